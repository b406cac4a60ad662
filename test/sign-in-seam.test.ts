import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createDb } from '../src/db/client';
import { findAccountFactors } from '../src/mfa/other-credentials';
import { requiresSecondStep, type FirstFactorMethod } from '../src/sign-in/second-step-rule';
import { cookieFrom, isSignedIn, postForm, sessionCookieFrom, signUpAndSignIn, STRONG_PASSWORD } from './helpers';
import { addPasskey, signInWithPasskey } from './passkeys-helpers';
import { accountWithTwoFactor, passwordStep, secondStep } from './two-factor-helpers';

const NOTHING = { totp: false, passkeys: false };
const APP = { totp: true, passkeys: false };
const PASSKEYS = { totp: false, passkeys: true };
const BOTH = { totp: true, passkeys: true };

describe('when a sign-in needs a second step', () => {
  it('after a password: only when the authenticator app is on', () => {
    expect(requiresSecondStep({ method: 'password' }, NOTHING)).toBe(false);
    expect(requiresSecondStep({ method: 'password' }, PASSKEYS)).toBe(false);
    expect(requiresSecondStep({ method: 'password' }, APP)).toBe(true);
    expect(requiresSecondStep({ method: 'password' }, BOTH)).toBe(true);
  });

  it('never after a user-verified passkey, which is two factors already', () => {
    for (const account of [NOTHING, APP, PASSKEYS, BOTH]) expect(requiresSecondStep({ method: 'passkey', userVerified: true }, account)).toBe(false);
  });

  it('after a passkey the authenticator did not verify the person with, as after a password', () => {
    expect(requiresSecondStep({ method: 'passkey', userVerified: false }, PASSKEYS)).toBe(false);
    expect(requiresSecondStep({ method: 'passkey', userVerified: false }, APP)).toBe(true);
  });

  it('after a provider or an emailed code: when the account has the app or a passkey', () => {
    for (const method of ['provider', 'email_code'] satisfies FirstFactorMethod[]) {
      expect(requiresSecondStep({ method }, NOTHING)).toBe(false);
      expect(requiresSecondStep({ method }, APP)).toBe(true);
      expect(requiresSecondStep({ method }, PASSKEYS)).toBe(true);
      expect(requiresSecondStep({ method }, BOTH)).toBe(true);
    }
  });
});

async function userIdOf(username: string): Promise<string> {
  return (await env.DB.prepare('select id from users where username = ?').bind(username).first<{ id: string }>())!.id;
}

async function signInMethods(userId: string): Promise<unknown[]> {
  const { results } = await env.DB.prepare("select details from security_events where user_id = ? and type = 'sign_in' order by id")
    .bind(userId)
    .all<{ details: string }>();
  return results.map((row) => (JSON.parse(row.details) as { method: unknown }).method);
}

async function sessionIds(userId: string): Promise<string[]> {
  return (await env.SESSIONS.list({ prefix: `user-sessions:${userId}:` })).keys.map((key) => key.name);
}

// What one sign-in did: the sign_in events and the sessions it added.
async function watch(userId: string, signIn: () => Promise<Response>) {
  const sessionsBefore = await sessionIds(userId);
  const eventsBefore = (await signInMethods(userId)).length;
  const res = await signIn();
  const newSessions = (await sessionIds(userId)).filter((id) => !sessionsBefore.includes(id));
  return { res, methods: (await signInMethods(userId)).slice(eventsBefore), newSessions };
}

describe('what an account has for a second step', () => {
  it('is read from the app and the passkeys it has', async () => {
    const db = createDb(env.DB);
    const plain = await signUpAndSignIn();
    expect(await findAccountFactors(db, await userIdOf(plain.username))).toEqual(NOTHING);
    const withApp = await accountWithTwoFactor();
    const appUser = await userIdOf(withApp.username);
    expect(await findAccountFactors(db, appUser)).toEqual(APP);
    await addPasskey(withApp.cookie, appUser);
    expect(await findAccountFactors(db, appUser)).toEqual(BOTH);
  });
});

describe('every way to sign in goes through the one seam', () => {
  it('a password sign-in records its event and starts exactly one session', async () => {
    const { username } = await signUpAndSignIn();
    const userId = await userIdOf(username);
    const { res, methods, newSessions } = await watch(userId, () => postForm('/login', { login: username, password: STRONG_PASSWORD }));
    expect(res.status).toBe(303);
    expect(methods).toEqual(['password']);
    expect(newSessions).toHaveLength(1);
    expect(await isSignedIn(sessionCookieFrom(res))).toBe(true);
  });

  it('a passkey sign-in records its event and starts exactly one session', async () => {
    const { username, cookie } = await signUpAndSignIn();
    const userId = await userIdOf(username);
    const authenticator = await addPasskey(cookie, userId);
    const { res, methods, newSessions } = await watch(userId, () => signInWithPasskey(authenticator));
    expect(res.status).toBe(200);
    expect(methods).toEqual(['passkey']);
    expect(newSessions).toHaveLength(1);
    expect(await isSignedIn(sessionCookieFrom(res))).toBe(true);
  });

  it('a password step starts nothing; the second step records its event and starts exactly one session', async () => {
    const { username, app } = await accountWithTwoFactor();
    const userId = await userIdOf(username);
    const sessionsBefore = await sessionIds(userId);
    const { pending } = await passwordStep(username);
    expect(await signInMethods(userId)).toEqual([]);
    expect(await sessionIds(userId)).toEqual(sessionsBefore);
    const { res, methods, newSessions } = await watch(userId, async () => secondStep(pending, await app.nextCode()));
    expect(res.status).toBe(303);
    expect(methods).toEqual(['password_totp']);
    expect(newSessions).toHaveLength(1);
    expect(await isSignedIn(sessionCookieFrom(res))).toBe(true);
    expect(cookieFrom(res, 'pending_sign_in')).toBe('pending_sign_in=');
  });

  it('a sign-in on a browser that had a session ends that one', async () => {
    const { username, cookie } = await signUpAndSignIn();
    const userId = await userIdOf(username);
    const { res, newSessions } = await watch(userId, () => postForm('/login', { login: username, password: STRONG_PASSWORD }, { cookie }));
    expect(newSessions).toHaveLength(1);
    expect(await isSignedIn(cookie)).toBe(false);
    expect(await isSignedIn(sessionCookieFrom(res))).toBe(true);
  });
});
