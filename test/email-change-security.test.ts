import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { LOCKOUT_MAX_FAILURES } from '../src/auth/rate-limits';
import { cookieFrom, get, mailsTo, ORIGIN, postForm, signUpAndSignIn, STRONG_PASSWORD, uniqueName, waitForMail } from './helpers';
import { fixture, postProfile, profileOf } from './profile-helpers';

const photo = () => ({ bytes: fixture('small.png'), name: 's.png', type: 'image/png' });
const newAddress = () => `${uniqueName('moved')}@example.org`.toLowerCase();
const tokenOf = (link: string) => new URL(link).searchParams.get('token')!;

async function eventsOf(userId: string) {
  const { results } = await env.DB.prepare('select type, details from security_events where user_id = ? order by created_at, id').bind(userId).all<{ type: string; details: string | null }>();
  return results.map((r) => ({ type: r.type, details: r.details ? JSON.parse(r.details) : {} }));
}

async function pendingLinks(userId: string) {
  const row = await env.DB.prepare("select count(*) as n from auth_tokens where user_id = ? and purpose = 'verify_email' and email != (select email from users where id = ?)")
    .bind(userId, userId)
    .first<{ n: number }>();
  return row!.n;
}

async function signedInAccount() {
  const account = await signUpAndSignIn();
  return { ...account, id: (await profileOf(account.username))!.id };
}

// The binding counts in fixed 60 s windows aligned to the clock: start a run of requests
// where it fits in one window, so "the fourth within a minute" is really within one.
async function startOfRateLimitWindow(needMs = 10_000) {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < needMs) await new Promise((resolve) => setTimeout(resolve, left + 100));
}

describe('changing the email address needs the current password', () => {
  it('shows a current-password field that says it is needed only for the address', async () => {
    const { cookie } = await signUpAndSignIn();
    const html = await (await get('/profile', cookie)).text();
    expect(html).toMatch(/<input id="field-currentPassword" name="currentPassword" type="password" autocomplete="current-password"/);
    expect(html).toContain('<label for="field-currentPassword">Current password</label>');
    expect(html).toContain('Needed only to change your email address.');
  });

  it.each([
    ['without the password', undefined, 'Enter your current password to change your email address.'],
    ['with a wrong password', 'not my password at all', 'That password is wrong.'],
  ])('%s, a stolen session cannot change it: the form comes back with the address kept and nothing is written or sent', async (_label, currentPassword, message) => {
    const account = await signedInAccount();
    const target = newAddress();
    const res = await postProfile(account.cookie, { email: target, currentPassword, file: photo() });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toMatch(new RegExp(`id="field-currentPassword-error"[^>]*>(?:(?!</ul>).)*${message}`, 's'));
    expect(html).toContain(`value="${target}"`);
    const after = (await profileOf(account.username))!;
    expect(after.email).toBe(account.email);
    expect(after.avatarKey).toBeNull();
    expect(await pendingLinks(account.id)).toBe(0);
    expect(await mailsTo(target)).toEqual([]);
    expect((await mailsTo(account.email)).map((m) => m.subject)).toEqual(['Confirm your email address']);
    expect((await eventsOf(account.id)).map((e) => e.type)).toEqual(['signed_up']);
  });

  it('wrong passwords typed there count toward the account lockout: then even the right one is refused', async () => {
    const account = await signedInAccount();
    const target = newAddress();
    for (let i = 0; i < LOCKOUT_MAX_FAILURES; i++) {
      expect((await postProfile(account.cookie, { email: target, currentPassword: `guess ${i}` })).status).toBe(422);
    }
    const locked = await postProfile(account.cookie, { email: target, currentPassword: STRONG_PASSWORD });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(800);
    expect(await mailsTo(target)).toEqual([]);
  });

  it('with the password: a link to the new address, a notice naming it to the current one, and the request in the log', async () => {
    const account = await signedInAccount();
    const target = newAddress();
    expect((await postProfile(account.cookie, { email: target, currentPassword: STRONG_PASSWORD })).status).toBe(303);
    expect((await waitForMail(target, 'Confirm your email address')).link).toMatch(/\/verify-email\?token=/);
    const notice = await waitForMail(account.email, 'Someone asked to change your email address');
    expect(notice.text).toContain(target);
    expect(notice.text).toContain('change your password');
    expect(notice.link).toBe(`${ORIGIN}/account`);
    expect(await eventsOf(account.id)).toContainEqual({ type: 'email_change_requested', details: { to: target } });
    expect(await (await get('/account/activity', account.cookie)).text()).toContain(`Asked to change the email address to ${target}`);
  });

  it('a picture-only change still needs no password', async () => {
    const account = await signedInAccount();
    expect((await postProfile(account.cookie, { email: account.email.toUpperCase(), file: photo() })).status).toBe(303);
    expect((await profileOf(account.username))!.avatarKey).toBeTruthy();
  });
});

describe('confirming an address', () => {
  it('a confirmed change voids the reset link mailed to the previous address', async () => {
    const account = await signedInAccount();
    const start = Date.now();
    await postForm('/password-reset', { email: account.email });
    const reset = await waitForMail(account.email, 'Reset your', { after: start });

    const target = newAddress();
    expect((await postProfile(account.cookie, { email: target, currentPassword: STRONG_PASSWORD })).status).toBe(303);
    const confirm = await waitForMail(target, 'Confirm your email address');
    expect((await postForm('/verify-email', { token: tokenOf(confirm.link!) }, { cookie: account.cookie })).status).toBe(303);
    expect((await profileOf(account.username))!.email).toBe(target);

    const opened = await SELF.fetch(`${ORIGIN}/password-reset/confirm?token=${tokenOf(reset.link!)}`, { redirect: 'manual' });
    const resetCookie = cookieFrom(opened, 'reset_token')!;
    expect((await get('/password-reset/confirm', resetCookie)).status).toBe(400);
    const used = await postForm('/password-reset/confirm', { password: 'quiet meadow lantern 58', passwordConfirm: 'quiet meadow lantern 58' }, { cookie: resetCookie });
    expect(used.status).toBe(400);
    expect((await postForm('/login', { login: account.username, password: STRONG_PASSWORD })).status).toBe(303);
  });

  it('the first confirmation of the sign-up address is recorded', async () => {
    const account = await signedInAccount();
    const mail = await waitForMail(account.email, 'Confirm your email address');
    expect((await postForm('/verify-email', { token: tokenOf(mail.link!) }, { cookie: account.cookie })).status).toBe(303);
    expect(await eventsOf(account.id)).toEqual([
      { type: 'signed_up', details: {} },
      { type: 'email_confirmed', details: { email: account.email } },
    ]);
    expect(await (await get('/account/activity', account.cookie)).text()).toContain(`Email address confirmed: ${account.email}`);
  });
});

describe('email-change requests are limited', () => {
  it('a fourth request from one account within a minute gets the 429 page and sends nothing', async () => {
    const account = await signedInAccount();
    const targets = [newAddress(), newAddress(), newAddress(), newAddress()];
    await startOfRateLimitWindow();
    const statuses = [];
    for (const email of targets) statuses.push((await postProfile(account.cookie, { email, currentPassword: STRONG_PASSWORD })).status);
    expect(statuses).toEqual([303, 303, 303, 429]);
    expect(await mailsTo(targets[3]!)).toEqual([]);
    expect((await mailsTo(account.email)).filter((m) => m.subject.startsWith('Someone asked'))).toHaveLength(3);
    // The third request's link is still the one waiting.
    expect(await (await get('/profile', account.cookie)).text()).toContain(`Waiting for confirmation of ${targets[2]}`);
  });

  it('a fourth request to the same address within a minute is refused, even from another account', async () => {
    const [first, second] = [await signedInAccount(), await signedInAccount()];
    const target = newAddress();
    await startOfRateLimitWindow();
    const statuses = [];
    for (const account of [first, first, second, second]) {
      const res = await postProfile(account.cookie, { email: target, currentPassword: STRONG_PASSWORD });
      statuses.push(res.status);
      if (res.status === 429) {
        expect(res.headers.get('retry-after')).toBe('60');
        expect(await res.text()).toContain('Please try again in about 60 seconds');
      }
    }
    expect(statuses).toEqual([303, 303, 303, 429]);
    expect(await mailsTo(target)).toHaveLength(3);
  });
});
