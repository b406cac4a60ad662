import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { revokeAllUserSessions } from '../src/auth/session-revocation';
import { sessionKey } from '../src/auth/session';
import { createDb } from '../src/db/client';
import { get, postForm, sessionCookieFrom, sessionIdOf, signUpAndSignIn, STRONG_PASSWORD, waitForMail } from './helpers';

// KV is eventually consistent: after a revocation, another Cloudflare location can
// still serve the old session record for a minute or more. Each test here simulates
// such a location by writing the old record back into KV after the revocation, and
// checks that the session is refused anyway (the D1 query that loads the user knows).

const NEW_PASSWORD = 'amber harbour kettle 31';


// The raw KV records of these sessions, to put back later.
async function snapshot(...cookies: string[]): Promise<Array<[string, string]>> {
  return Promise.all(
    cookies.map(async (cookie) => {
      const key = sessionKey(sessionIdOf(cookie));
      const value = await env.SESSIONS.get(key);
      if (!value) throw new Error(`no KV record for ${key}`);
      return [key, value] as [string, string];
    }),
  );
}

async function restoreStaleCopies(records: Array<[string, string]>): Promise<void> {
  await Promise.all(records.map(([key, value]) => env.SESSIONS.put(key, value)));
}

async function signInAgain(username: string): Promise<string> {
  const res = await postForm('/login', { login: username, password: STRONG_PASSWORD });
  expect(res.status).toBe(303);
  return sessionCookieFrom(res);
}

async function isSignedIn(cookie: string): Promise<boolean> {
  const res = await get('/dashboard', cookie);
  if (res.status === 200) return true;
  expect(res.status).toBe(302);
  return false;
}

describe('a revoked session stays refused where KV still has its record', () => {
  it('control: a restored record of a live session still works', async () => {
    const { cookie } = await signUpAndSignIn();
    const records = await snapshot(cookie);
    await env.SESSIONS.delete(records[0]![0]);
    await restoreStaleCopies(records);
    expect(await isSignedIn(cookie)).toBe(true);
  });

  it('after signing out', async () => {
    const { cookie } = await signUpAndSignIn();
    const records = await snapshot(cookie);
    expect((await postForm('/logout', {}, { cookie })).status).toBe(303);
    await restoreStaleCopies(records);
    expect(await isSignedIn(cookie)).toBe(false);
  });

  it('after "sign out this session" on the sessions page', async () => {
    const { cookie, username } = await signUpAndSignIn();
    const other = await signInAgain(username);
    const records = await snapshot(other);
    await postForm(`/account/sessions/${sessionIdOf(other)}/revoke`, {}, { cookie });
    await restoreStaleCopies(records);
    expect(await isSignedIn(other)).toBe(false);
    expect(await isSignedIn(cookie)).toBe(true);
  });

  it('after "sign out all other sessions", including the old token of this device', async () => {
    const { cookie, username } = await signUpAndSignIn();
    const other = await signInAgain(username);
    const records = await snapshot(cookie, other);
    const res = await postForm('/account/sessions/revoke-others', {}, { cookie });
    await restoreStaleCopies(records);
    expect(await isSignedIn(other)).toBe(false);
    expect(await isSignedIn(cookie)).toBe(false);
    expect(await isSignedIn(sessionCookieFrom(res))).toBe(true);
  });

  it('after a password change', async () => {
    const { cookie, username } = await signUpAndSignIn();
    const other = await signInAgain(username);
    const records = await snapshot(cookie, other);
    const res = await postForm('/account/password', { currentPassword: STRONG_PASSWORD, password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD }, { cookie });
    expect(res.status).toBe(303);
    await restoreStaleCopies(records);
    expect(await isSignedIn(other)).toBe(false);
    expect(await isSignedIn(cookie)).toBe(false);
    expect(await isSignedIn(sessionCookieFrom(res))).toBe(true);
  });

  it('after a password reset by email', async () => {
    const { cookie, username, email } = await signUpAndSignIn();
    const other = await signInAgain(username);
    const records = await snapshot(cookie, other);
    const requestedAt = Date.now();
    await postForm('/password-reset', { email });
    const mail = await waitForMail(email, 'Reset', { after: requestedAt });
    const opened = await get(new URL(mail.link!).pathname + new URL(mail.link!).search);
    const resetCookie = opened.headers.getSetCookie().find((c) => c.startsWith('reset_token='))!.split(';')[0]!;
    const res = await postForm('/password-reset/confirm', { password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD }, { cookie: resetCookie });
    expect(res.status).toBe(303);
    await restoreStaleCopies(records);
    expect(await isSignedIn(cookie)).toBe(false);
    expect(await isSignedIn(other)).toBe(false);
  });

  it('after deactivation (all sessions revoked by time)', async () => {
    const { cookie, username } = await signUpAndSignIn();
    const records = await snapshot(cookie);
    const { id } = (await env.DB.prepare('select id from users where username = ?').bind(username).first<{ id: string }>())!;
    await revokeAllUserSessions(createDb(env.DB), env.SESSIONS, id);
    await restoreStaleCopies(records);
    expect(await isSignedIn(cookie)).toBe(false);
  });

  it('after deleting the account', async () => {
    const { cookie } = await signUpAndSignIn();
    const records = await snapshot(cookie);
    expect((await postForm('/account/delete', { password: STRONG_PASSWORD }, { cookie })).status).toBe(303);
    await restoreStaleCopies(records);
    expect(await isSignedIn(cookie)).toBe(false);
  });

  it('never touches another user\u2019s sessions', async () => {
    const alice = await signUpAndSignIn();
    const bob = await signUpAndSignIn();
    await postForm('/account/sessions/revoke-others', {}, { cookie: alice.cookie });
    await postForm('/logout', {}, { cookie: alice.cookie });
    expect(await isSignedIn(bob.cookie)).toBe(true);
  });
});
