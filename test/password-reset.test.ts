import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createOneTimeToken } from '../src/auth/one-time-tokens';
import { createDb } from '../src/db/client';
import { cookieFrom, get, mailsTo, ORIGIN, postForm, sessionCookieFrom, signUpAndSignIn, STRONG_PASSWORD, waitForMail } from './helpers';

const NEW_PASSWORD = 'quiet meadow lantern 58';

async function requestReset(email: string, headers: Record<string, string> = {}) {
  return postForm('/password-reset', { email }, { headers });
}

// Follows the emailed link the way a browser does: token into a cookie, then the form.
async function openResetLink(link: string) {
  const url = new URL(link);
  const first = await SELF.fetch(`${ORIGIN}${url.pathname}${url.search}`, { redirect: 'manual' });
  const cookie = cookieFrom(first, 'reset_token');
  return { first, cookie };
}

async function resetFlow() {
  const account = await signUpAndSignIn();
  const start = Date.now();
  await requestReset(account.email);
  const mail = await waitForMail(account.email, 'Reset your', { after: start });
  return { ...account, mail };
}

describe('forgot password', () => {
  it('answers the same whether or not the address has an account', async () => {
    const { email } = await signUpAndSignIn();
    const known = await requestReset(email);
    const unknown = await requestReset('nobody-here@example.com');
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    const a = (await known.text()).replace(email, 'X');
    const b = (await unknown.text()).replace('nobody-here@example.com', 'X');
    expect(a).toBe(b);
    expect(a).toContain('If an account uses that address');
    expect(await mailsTo('nobody-here@example.com')).toEqual([]);
  });

  it('emails a link built from PUBLIC_ORIGIN, whatever Host the request claims', async () => {
    const { email } = await signUpAndSignIn();
    const start = Date.now();
    await requestReset(email, { 'x-forwarded-host': 'evil.example', forwarded: 'host=evil.example' });
    const mail = await waitForMail(email, 'Reset your', { after: start });
    expect(mail.link).toMatch(/^http:\/\/localhost:8787\/password-reset\/confirm\?token=[a-z2-7]{24}\.[a-z2-7]{32}$/);
    expect(mail.text).toContain(mail.link!);
    expect(mail.html).toContain('Choose a new password');
  });

  it('moves the token out of the address bar and sends no referrer', async () => {
    const { mail } = await resetFlow();
    const { first, cookie } = await openResetLink(mail.link!);
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/password-reset/confirm');
    expect(first.headers.get('referrer-policy')).toBe('no-referrer');
    expect(cookie).toMatch(/^reset_token=/);
    const form = await get('/password-reset/confirm', cookie);
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('Choose a new password');
  });

  it('sets the new password and signs out every session', async () => {
    const { mail, cookie: session, username } = await resetFlow();
    const { cookie } = await openResetLink(mail.link!);
    const res = await postForm('/password-reset/confirm', { password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD }, { cookie });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login');
    expect((await get('/dashboard', session)).status).toBe(302);
    expect((await postForm('/login', { login: username, password: STRONG_PASSWORD })).status).toBe(401);
    expect((await postForm('/login', { login: username, password: NEW_PASSWORD })).status).toBe(303);
  });

  it('tells the owner by email that the password changed', async () => {
    const { mail, email } = await resetFlow();
    const { cookie } = await openResetLink(mail.link!);
    await postForm('/password-reset/confirm', { password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD }, { cookie });
    expect((await waitForMail(email, 'password was changed')).text).toContain('was just changed');
  });

  it('works only once', async () => {
    const { mail } = await resetFlow();
    const { cookie } = await openResetLink(mail.link!);
    expect((await postForm('/password-reset/confirm', { password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD }, { cookie })).status).toBe(303);
    const again = await openResetLink(mail.link!);
    const page = await get('/password-reset/confirm', again.cookie);
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('This link no longer works');
    const reuse = await postForm('/password-reset/confirm', { password: 'another fine passphrase 7', passwordConfirm: 'another fine passphrase 7' }, { cookie });
    expect(reuse.status).toBe(400);
  });

  it('keeps the link usable when the new password breaks a rule', async () => {
    const { mail } = await resetFlow();
    const { cookie } = await openResetLink(mail.link!);
    const weak = await postForm('/password-reset/confirm', { password: 'password123', passwordConfirm: 'password123' }, { cookie });
    expect(weak.status).toBe(422);
    expect(await weak.text()).toContain('too common');
    expect((await postForm('/password-reset/confirm', { password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD }, { cookie })).status).toBe(303);
  });

  it('refuses a wrong token', async () => {
    const { mail } = await resetFlow();
    const forged = mail.link!.replace(/\.[a-z2-7]{32}$/, `.${'a'.repeat(32)}`);
    const { cookie } = await openResetLink(forged);
    expect((await get('/password-reset/confirm', cookie)).status).toBe(400);
    expect((await get('/password-reset/confirm')).status).toBe(400);
  });

  it('refuses an expired link (older than an hour)', async () => {
    const { username } = await signUpAndSignIn();
    const user = await env.DB.prepare('select id from users where username = ?').bind(username).first<{ id: string }>();
    const token = await createOneTimeToken(createDb(env.DB), { userId: user!.id, purpose: 'password_reset' }, Date.now() - 61 * 60 * 1000);
    const { cookie } = await openResetLink(`${ORIGIN}/password-reset/confirm?token=${token}`);
    expect((await get('/password-reset/confirm', cookie)).status).toBe(400);
  });

  it('stops working once the password was changed another way', async () => {
    const { mail, cookie: session } = await resetFlow();
    const change = await postForm('/account/password', { currentPassword: STRONG_PASSWORD, password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD }, { cookie: session });
    expect(change.status).toBe(303);
    const { cookie } = await openResetLink(mail.link!);
    expect((await get('/password-reset/confirm', cookie)).status).toBe(400);
  });

  it('signs in with the new password afterwards from a fresh cookie jar', async () => {
    const { mail, username } = await resetFlow();
    const { cookie } = await openResetLink(mail.link!);
    await postForm('/password-reset/confirm', { password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD }, { cookie });
    const signIn = await postForm('/login', { login: username, password: NEW_PASSWORD });
    expect((await get('/dashboard', sessionCookieFrom(signIn))).status).toBe(200);
  });
});
