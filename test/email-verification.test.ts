import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { get, mailsTo, ORIGIN, postForm, signUpAndSignIn, STRONG_PASSWORD, waitForMail } from './helpers';
import { postProfile, profileOf } from './profile-helpers';

function tokenOf(link: string): string {
  return new URL(link).searchParams.get('token')!;
}

async function verifiedAt(username: string) {
  const row = await env.DB.prepare('select email_verified_at as v from users where username = ?').bind(username).first<{ v: number | null }>();
  return row!.v;
}

describe('email verification after sign-up', () => {
  it('sends a link; the dashboard shows the address as not verified until it is opened and confirmed', async () => {
    const { cookie, email, username } = await signUpAndSignIn();
    const mail = await waitForMail(email, 'Confirm your email address');
    expect(mail.link).toMatch(/^http:\/\/localhost:8787\/verify-email\?token=/);
    expect(await (await get('/dashboard', cookie)).text()).toContain('Not verified');

    // Opening the link (as a mail scanner would) changes nothing by itself.
    const page = await SELF.fetch(`${ORIGIN}/verify-email?token=${tokenOf(mail.link!)}`);
    expect(page.status).toBe(200);
    const body = await page.text();
    expect(body).toContain(`<strong>${email}</strong>`);
    expect(body).toContain("Confirm this address");
    expect(await verifiedAt(username)).toBeNull();

    const confirm = await postForm('/verify-email', { token: tokenOf(mail.link!) }, { cookie });
    expect(confirm.status).toBe(303);
    expect(await verifiedAt(username)).not.toBeNull();
    const dashboard = await (await get('/dashboard', cookie)).text();
    expect(dashboard).toContain('Verified');
    expect(dashboard).not.toContain('Not verified');
  });

  it('refuses a used or wrong link', async () => {
    const { cookie, email } = await signUpAndSignIn();
    const mail = await waitForMail(email, 'Confirm your email address');
    await postForm('/verify-email', { token: tokenOf(mail.link!) }, { cookie });
    expect((await postForm('/verify-email', { token: tokenOf(mail.link!) }, { cookie })).status).toBe(400);
    expect((await SELF.fetch(`${ORIGIN}/verify-email?token=nonsense`)).status).toBe(400);
  });

  it('resends on request, and only the newest link works', async () => {
    const { cookie, email, username } = await signUpAndSignIn();
    const first = await waitForMail(email, 'Confirm your email address');
    const start = Date.now();
    const resend = await postForm('/verify-email/resend', {}, { cookie });
    expect(resend.status).toBe(303);
    const second = await waitForMail(email, 'Confirm your email address', { after: start });
    expect(second.link).not.toBe(first.link);
    expect((await postForm('/verify-email', { token: tokenOf(first.link!) }, { cookie })).status).toBe(400);
    expect((await postForm('/verify-email', { token: tokenOf(second.link!) }, { cookie })).status).toBe(303);
    expect(await verifiedAt(username)).not.toBeNull();
  });

  it('limits resends', async () => {
    const { cookie } = await signUpAndSignIn();
    const statuses: number[] = [];
    // Fixed windows: up to two windows' worth may pass before the first refusal.
    for (let i = 0; i < 7 && !statuses.includes(429); i++) statuses.push((await postForm('/verify-email/resend', {}, { cookie })).status);
    expect(statuses.slice(0, 3)).toEqual([303, 303, 303]);
    expect(statuses.at(-1)).toBe(429);
  });
});

describe('changing the email address', () => {
  it('switches to the new address once it is confirmed, and tells the old one', async () => {
    const { cookie, email, username } = await signUpAndSignIn();
    const newEmail = `moved-${username.toLowerCase()}@example.org`;
    expect((await postProfile(cookie, { email: newEmail, currentPassword: STRONG_PASSWORD })).status).toBe(303);
    expect((await profileOf(username))!.email).toBe(email);

    const mail = await waitForMail(newEmail, 'Confirm your email address');
    expect(mail.text).toContain('Until you do, your current address stays in use.');
    expect(await (await get('/profile', cookie)).text()).toContain(`Waiting for confirmation of ${newEmail}`);
    expect((await postForm('/verify-email', { token: tokenOf(mail.link!) }, { cookie })).status).toBe(303);

    expect((await profileOf(username))!.email).toBe(newEmail);
    expect(await verifiedAt(username)).not.toBeNull();
    expect(await (await get('/profile', cookie)).text()).not.toContain('Waiting for confirmation');
    const notice = await waitForMail(email, 'email address was changed');
    expect(notice.text).toContain(newEmail);
  });

  it('does not take an address another account got in the meantime', async () => {
    const first = await signUpAndSignIn();
    const target = `contested-${first.username.toLowerCase()}@example.org`;
    expect((await postProfile(first.cookie, { email: target, currentPassword: STRONG_PASSWORD })).status).toBe(303);
    const mail = await waitForMail(target, 'Confirm your email address');
    const second = await signUpAndSignIn();
    await env.DB.prepare('update users set email = ? where username = ?').bind(target, second.username).run();
    const res = await postForm('/verify-email', { token: tokenOf(mail.link!) }, { cookie: first.cookie });
    expect(res.status).toBe(303);
    expect((await profileOf(first.username))!.email).toBe(first.email);
    // The sign-up confirmation and the notice of the request; no notice of a change.
    expect((await mailsTo(first.email)).map((m) => m.subject)).not.toContainEqual(expect.stringContaining('email address was changed'));
  });
});

describe('development mailbox', () => {
  it('lists sent messages with their links when DEV_MAILBOX is on', async () => {
    const { email } = await signUpAndSignIn();
    const mail = await waitForMail(email, 'Confirm your email address');
    const html = await (await get('/dev/mail')).text();
    expect(html).toContain('Development mailbox');
    expect(html).toContain(`href="${mail.link!.replace(/&/g, '&amp;')}"`);
  });

  it('does not exist in production', async () => {
    const { createExecutionContext, waitOnExecutionContext } = await import('cloudflare:test');
    const { default: app } = await import('../src/app');
    const ctx = createExecutionContext();
    const res = await app.fetch(new Request(`${ORIGIN}/dev/mail`), { ...env, DEV_MAILBOX: 'false' }, ctx);
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('Page not found');
  });
});
