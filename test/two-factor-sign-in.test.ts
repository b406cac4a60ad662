import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { LOCKOUT_MAX_FAILURES } from '../src/auth/rate-limits';
import { cookieFrom, get, ORIGIN, postForm, sessionCookieFrom, STRONG_PASSWORD, waitForMail } from './helpers';
import { accountWithTwoFactor, passwordStep, secondStep, signInWithCode } from './two-factor-helpers';
import { confirmAddress } from './password-reset-helpers';

const NEW_PASSWORD = 'lilac orchard pebble 73';

async function lastSignInMethod(username: string): Promise<string | undefined> {
  const row = await env.DB.prepare(
    "select e.details from security_events e join users u on u.id = e.user_id where u.username = ? and e.type = 'sign_in' order by e.created_at desc, e.id desc limit 1",
  )
    .bind(username)
    .first<{ details: string }>();
  return row ? (JSON.parse(row.details) as { method: string }).method : undefined;
}

async function countEvents(username: string, type: string): Promise<number> {
  const row = await env.DB.prepare('select count(*) as n from security_events e join users u on u.id = e.user_id where u.username = ? and e.type = ?').bind(username, type).first<{ n: number }>();
  return row!.n;
}

describe('sign-in with the authenticator app', () => {
  it('gives no session after the password, only a short-lived cookie for the second step', async () => {
    const { username } = await accountWithTwoFactor();
    const { res, pending } = await passwordStep(username);
    const header = res.headers.getSetCookie().find((c) => c.startsWith('pending_sign_in='))!;
    expect(header).toMatch(/Path=\/;/);
    expect(header).toMatch(/HttpOnly/i);
    expect(header).toMatch(/SameSite=Lax/i);
    expect(Number(/Max-Age=(\d+)/.exec(header)![1])).toBeLessThanOrEqual(300);
    // The pending cookie is not a session: it opens nothing.
    expect((await get('/dashboard', pending)).status).toBe(302);
    const page = await get('/login/two-factor', pending);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Enter the code from your app');
    // Without the cookie, the second step sends back to the start.
    expect((await get('/login/two-factor')).headers.get('location')).toBe('/login');
    // Nothing recorded as a sign-in yet.
    expect(await countEvents(username, 'sign_in')).toBe(0);
  });

  it('signs in with a current code, records the method, and the pending sign-in is used up', async () => {
    const { username, app } = await accountWithTwoFactor();
    const { pending } = await passwordStep(username);
    const res = await secondStep(pending, await app.nextCode());
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/dashboard');
    const session = sessionCookieFrom(res);
    expect((await get('/dashboard', session)).status).toBe(200);
    expect(res.headers.getSetCookie().find((c) => c.startsWith('pending_sign_in='))).toMatch(/Max-Age=0/);
    expect(await lastSignInMethod(username)).toBe('password_totp');
    // The same pending sign-in cannot start a second session, even with a fresh code.
    const again = await secondStep(pending, await app.nextCode());
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toBe('/login');
    expect(again.headers.getSetCookie().some((c) => c.startsWith('session='))).toBe(false);
  });

  it('refuses a code already used (replay), and a wrong one', async () => {
    const { username, app } = await accountWithTwoFactor();
    const { pending } = await passwordStep(username);
    const code = await app.nextCode();
    expect((await secondStep(pending, code)).status).toBe(303);
    const { pending: second } = await passwordStep(username);
    const replay = await secondStep(second, code);
    expect(replay.status).toBe(401);
    expect(await replay.text()).toContain('That code did not work.');
    expect((await secondStep(second, '12345')).status).toBe(401);
    expect(await countEvents(username, 'sign_in_second_factor_failed')).toBe(2);
  });

  it('keeps ?next= through the second step', async () => {
    const { username, app } = await accountWithTwoFactor();
    const { pending } = await passwordStep(username, STRONG_PASSWORD, '/login?next=%2Faccount%2Fsessions%3Fx%3D1');
    const res = await secondStep(pending, await app.nextCode());
    expect(res.headers.get('location')).toBe('/account/sessions?x=1');
  });

  it('never redirects off-site after the second step', async () => {
    const { username, app } = await accountWithTwoFactor();
    const { pending } = await passwordStep(username, STRONG_PASSWORD, `/login?next=${encodeURIComponent('//evil.example/')}`);
    expect((await secondStep(pending, await app.nextCode())).headers.get('location')).toBe('/dashboard');
  });

  it('signs in with a recovery code instead, which then no longer works', async () => {
    const { username, email, recoveryCodes } = await accountWithTwoFactor();
    const { pending } = await passwordStep(username);
    expect(await (await get('/login/two-factor?use=recovery', pending)).text()).toContain('Enter a recovery code');
    const res = await secondStep(pending, recoveryCodes[2]!, 'recovery_code');
    expect(res.status).toBe(303);
    expect((await get('/dashboard', sessionCookieFrom(res))).status).toBe(200);
    expect(await lastSignInMethod(username)).toBe('password_recovery_code');
    expect(await countEvents(username, 'recovery_code_used')).toBe(1);
    expect((await waitForMail(email, 'A recovery code was used')).text).toContain('9 unused codes are left');

    const { pending: again } = await passwordStep(username);
    const reused = await secondStep(again, recoveryCodes[2]!, 'recovery_code');
    expect(reused.status).toBe(401);
    expect(await reused.text()).toContain('That recovery code did not work.');
  });

  it(`locks the account after ${LOCKOUT_MAX_FAILURES} wrong codes, even for the right one`, async () => {
    const { username, app } = await accountWithTwoFactor();
    const { pending } = await passwordStep(username);
    for (let i = 0; i < LOCKOUT_MAX_FAILURES; i++) {
      expect((await secondStep(pending, String(100000 + i))).status).toBe(401);
    }
    const locked = await secondStep(pending, await app.nextCode());
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(800);
    // A new sign-in passes the password step (its lockout counts per login as typed, and
    // says nothing there), then meets the account's lockout at the code.
    const { pending: again } = await passwordStep(username);
    expect((await secondStep(again, await app.nextCode())).status).toBe(429);
    expect(await countEvents(username, 'sign_in_second_factor_failed')).toBe(LOCKOUT_MAX_FAILURES);
  });

  it('wrong codes add up across sign-ins: a right password does not clear the count', async () => {
    const { username, app } = await accountWithTwoFactor();
    for (let round = 0; round < 2; round++) {
      const { pending } = await passwordStep(username);
      for (let i = 0; i < LOCKOUT_MAX_FAILURES / 2; i++) expect((await secondStep(pending, '999999')).status).toBe(401);
    }
    const { pending } = await passwordStep(username);
    expect((await secondStep(pending, await app.nextCode())).status).toBe(429);
  });

  it('expires: a pending sign-in older than five minutes sends back to the start', async () => {
    const { username, app } = await accountWithTwoFactor();
    const { pending } = await passwordStep(username);
    const id = pending.split('=')[1]!.split('.')[0]!;
    await env.DB.prepare('update auth_challenges set expires_at = ? where id = ?').bind(Date.now() - 1, id).run();
    const res = await secondStep(pending, await app.nextCode());
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login');
  });
});

describe('a password reset does not bypass the second factor', () => {
  it('asks for the code after a reset through the email link, and voids a pending sign-in from before', async () => {
    const { username, email, app } = await accountWithTwoFactor();
    // A confirmed address: a reset of a never-confirmed one removes the app (test/pre-hijack.test.ts).
    await confirmAddress(email);
    const { pending: before } = await passwordStep(username);
    const start = Date.now();
    await postForm('/password-reset', { email });
    const mail = await waitForMail(email, 'Reset your', { after: start });
    const link = new URL(mail.link!);
    const opened = await SELF.fetch(`${ORIGIN}${link.pathname}${link.search}`, { redirect: 'manual' });
    const resetCookie = cookieFrom(opened, 'reset_token')!;
    const reset = await postForm('/password-reset/confirm', { password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD }, { cookie: resetCookie });
    expect(reset.status).toBe(303);
    expect(reset.headers.get('location')).toBe('/login');
    expect(reset.headers.getSetCookie().some((c) => /^(__Host-)?session=/.test(c))).toBe(false);

    // The pending sign-in made with the old password is void, even with a right code.
    expect((await secondStep(before, await app.nextCode())).headers.get('location')).toBe('/login');
    // The new password alone is not enough either.
    const { pending } = await passwordStep(username, NEW_PASSWORD);
    expect((await get('/dashboard', pending)).status).toBe(302);
    const done = await secondStep(pending, await app.nextCode());
    expect(done.status).toBe(303);
    expect((await get('/dashboard', sessionCookieFrom(done))).status).toBe(200);
  });
});

describe('signing in twice', () => {
  it('each sign-in needs its own code', async () => {
    const { username, app } = await accountWithTwoFactor();
    const first = await signInWithCode(username, app);
    const second = await signInWithCode(username, app);
    expect(first).not.toBe(second);
  });
});
