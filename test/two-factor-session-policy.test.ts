import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { get, isSignedIn, postForm, sessionCookieFrom, signUpAndSignIn, STRONG_PASSWORD } from './helpers';
import { addPasskey } from './passkeys-helpers';
import { accountWithTwoFactor, finishEnrolment, keyFromSetupPage, signInWithCode, startEnrolment, TestAuthenticator } from './two-factor-helpers';

// What turning two-factor on and off, and adding and removing a passkey, do to the
// account's other sessions (src/auth/credential-policy.ts), and why a pending
// authenticator key is for the session that started it only.

async function signInAgain(username: string): Promise<string> {
  const res = await postForm('/login', { login: username, password: STRONG_PASSWORD });
  expect(res.status).toBe(303);
  return sessionCookieFrom(res);
}

// The page a redirect leads to, with the flash message the redirect set.
async function followWithFlash(res: Response, cookie: string): Promise<string> {
  const flash = res.headers.getSetCookie().find((c) => /^(__Host-)?flash=/.test(c))!.split(';')[0];
  const page = await get(res.headers.get('location')!, `${cookie}; ${flash}`);
  expect(page.status).toBe(200);
  return page.text();
}

async function userIdOf(username: string): Promise<string> {
  return (await env.DB.prepare('select id from users where username = ?').bind(username).first<{ id: string }>())!.id;
}

async function totpEnabled(username: string): Promise<boolean> {
  const row = await env.DB.prepare('select t.enabled_at as e from totp_credentials t join users u on u.id = t.user_id where u.username = ?')
    .bind(username)
    .first<{ e: number | null }>();
  return row?.e != null;
}

describe('turning two-factor on', () => {
  it('signs out the other sessions; this one continues with a new token', async () => {
    const { cookie, username } = await signUpAndSignIn();
    const other = await signInAgain(username);
    const { app } = await startEnrolment(cookie);
    const done = await finishEnrolment(cookie, await app.nextCode());
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('1 other session was signed out.');
    const renewed = sessionCookieFrom(done);
    expect(await isSignedIn(renewed)).toBe(true);
    expect(await isSignedIn(other)).toBe(false);
    expect(await isSignedIn(cookie)).toBe(false);
  });
});

describe('turning two-factor off', () => {
  it('leaves the other sessions signed in', async () => {
    const { cookie, username, app } = await accountWithTwoFactor();
    const other = await signInWithCode(username, app);
    const off = await postForm('/account/security/totp/disable', { password: STRONG_PASSWORD, code: await app.nextCode() }, { cookie });
    expect(off.status).toBe(303);
    expect(await isSignedIn(other)).toBe(true);
    expect(await isSignedIn(cookie)).toBe(true);
  });
});

describe('passkeys and sessions', () => {
  it('adding a passkey leaves the other sessions signed in', async () => {
    const { cookie, username } = await signUpAndSignIn();
    const other = await signInAgain(username);
    await addPasskey(cookie, await userIdOf(username));
    expect(await isSignedIn(other)).toBe(true);
    expect(await isSignedIn(cookie)).toBe(true);
  });

  it('removing a passkey signs out the other sessions; this one continues with a new token', async () => {
    const { cookie, username } = await signUpAndSignIn();
    const passkey = await addPasskey(cookie, await userIdOf(username), 'Lost phone');
    const other = await signInAgain(username);
    const res = await postForm(`/account/security/passkeys/${passkey.id}/remove`, { password: STRONG_PASSWORD }, { cookie });
    expect(res.status).toBe(303);
    const renewed = sessionCookieFrom(res);
    expect(await followWithFlash(res, renewed)).toContain('Passkey “Lost phone” removed. 1 other session was signed out.');
    expect(await isSignedIn(renewed)).toBe(true);
    expect(await isSignedIn(other)).toBe(false);
  });
});

describe('a pending authenticator key', () => {
  it('is not shown to another session of the account, which cannot finish the setup either', async () => {
    const { cookie, username } = await signUpAndSignIn();
    const thief = await signInAgain(username);
    const { html, app } = await startEnrolment(cookie);
    const keyText = /<code id="totp-key">([A-Z2-7 ]+)<\/code>/.exec(html)![1]!;

    const seen = await get('/account/security/totp/setup', thief);
    expect(seen.status).toBe(303);
    expect(seen.headers.get('location')).toBe('/account/security');
    const landing = await followWithFlash(seen, thief);
    expect(landing).toContain('A setup started in another browser cannot be finished in this one.');
    expect(landing).not.toContain(keyText);

    // Even with a right code (one the owner's app would show), the thief's session cannot turn it on.
    const finished = await finishEnrolment(thief, await app.nextCode());
    expect(finished.status).toBe(303);
    expect(await finished.text()).not.toContain(keyText);
    expect(await totpEnabled(username)).toBe(false);
    expect(await isSignedIn(cookie)).toBe(true);

    // The owner's setup is untouched and finishes.
    expect((await finishEnrolment(cookie, await app.nextCode())).status).toBe(200);
    expect(await totpEnabled(username)).toBe(true);
  });

  it('is not replaced by a start without the password', async () => {
    const { cookie, username } = await signUpAndSignIn();
    const thief = await signInAgain(username);
    const { html } = await startEnrolment(cookie);
    const key = keyFromSetupPage(html);

    expect((await postForm('/account/security/totp', {}, { cookie: thief })).status).toBe(422);
    const wrong = await postForm('/account/security/totp', { password: 'a guess' }, { cookie: thief });
    expect(wrong.status).toBe(422);
    expect(await wrong.text()).toContain('That password is wrong.');

    const again = await get('/account/security/totp/setup', cookie);
    expect(keyFromSetupPage(await again.text())).toEqual(key);
  });

  it('is replaced by a new start from the owner’s session', async () => {
    const { cookie, username } = await signUpAndSignIn();
    const first = await startEnrolment(cookie);
    const second = await startEnrolment(cookie);
    expect(second.app.key).not.toEqual(first.app.key);
    const stale = new TestAuthenticator(first.app.key);
    expect((await finishEnrolment(cookie, await stale.nextCode())).status).toBe(422);
    expect((await finishEnrolment(cookie, await second.app.nextCode())).status).toBe(200);
    expect(await totpEnabled(username)).toBe(true);
  });

  it('needs a start that counts wrong passwords toward the lockout (then the 429 page)', async () => {
    const { cookie } = await signUpAndSignIn();
    for (let i = 0; i < 10; i++) expect((await postForm('/account/security/totp', { password: `guess ${i}` }, { cookie })).status).toBe(422);
    const locked = await postForm('/account/security/totp', { password: STRONG_PASSWORD }, { cookie });
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).toBeTruthy();
    expect((await get('/account/security/totp/setup', cookie)).status).toBe(303);
  });
});
