import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { SESSION_RENEW_AFTER_MS, createSession, parseSessionCookie, sessionKey, userSessionsPrefix, validateSessionToken } from '../src/auth/session';
import { newUserId } from '../src/users/user-store';
import { get, postForm, sessionCookieFrom, sessionIdOf, signUpAndSignIn, STRONG_PASSWORD } from './helpers';

describe('session cookie', () => {
  it('is HttpOnly, SameSite=Lax, host-wide and expires', async () => {
    const { response } = await signUpAndSignIn();
    const header = response.headers.getSetCookie().find((c) => c.startsWith('session='))!;
    expect(header).toMatch(/HttpOnly/i);
    expect(header).toMatch(/SameSite=Lax/i);
    expect(header).toMatch(/Path=\//);
    expect(header).toMatch(/Max-Age=\d+/);
    expect(header).not.toMatch(/Domain=/i);
    // Local development over http: no Secure flag, no __Host- prefix (see config test).
    expect(header).not.toMatch(/Secure/i);
  });

  it('carries at least 120 random bits and KV stores only a hash of its secret', async () => {
    const { cookie } = await signUpAndSignIn();
    const { id, secret } = parseSessionCookie(cookie.split('=')[1])!;
    expect(id!.length * 5).toBeGreaterThanOrEqual(120);
    expect(secret!.length * 5).toBeGreaterThanOrEqual(120);
    const stored = await env.SESSIONS.get(sessionKey(id!));
    expect(stored).not.toBeNull();
    expect(stored).not.toContain(secret!);
    expect(JSON.parse(stored!).secretHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is a new session on every sign-in, and the previous one ends', async () => {
    const { cookie, username } = await signUpAndSignIn();
    const res = await postForm('/login', { login: username, password: STRONG_PASSWORD }, { cookie });
    const second = sessionCookieFrom(res);
    expect(second).not.toBe(cookie);
    expect((await get('/dashboard', cookie)).status).toBe(302);
    expect((await get('/dashboard', second)).status).toBe(200);
  });

  it('is refused when the secret is wrong, before and after the right one was seen', async () => {
    const { cookie } = await signUpAndSignIn();
    const { userId, id } = parseSessionCookie(cookie.split('=')[1])!;
    expect((await get('/dashboard', `session=${userId}.${id}.${'a'.repeat(32)}`)).status).toBe(302);
    expect((await get('/dashboard', `session=${id}.${'a'.repeat(32)}`)).status).toBe(302);
    // The isolate remembers the hashes of secrets it has checked: neither answer may leak
    // into the other.
    expect((await get('/dashboard', cookie)).status).toBe(200);
    expect((await get('/dashboard', `session=${userId}.${id}.${'a'.repeat(32)}`)).status).toBe(302);
    expect((await get('/dashboard', cookie)).status).toBe(200);
  });
});

describe('sign out', () => {
  it('deletes the KV session so the old cookie no longer works', async () => {
    const { cookie } = await signUpAndSignIn();
    const id = sessionIdOf(cookie);
    const res = await postForm('/logout', {}, { cookie });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
    expect(res.headers.getSetCookie().find((c) => c.startsWith('session='))).toMatch(/Max-Age=0/);
    expect(await env.SESSIONS.get(sessionKey(id))).toBeNull();
    expect((await get('/dashboard', cookie)).status).toBe(302);
  });

  it('is a POST: GET /logout only asks for confirmation', async () => {
    const { cookie } = await signUpAndSignIn();
    const res = await get('/logout', cookie);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('action="/logout"');
    expect((await get('/dashboard', cookie)).status).toBe(200);
  });
});

describe('session lifetime', () => {
  it('is indexed by user so all of one user\u2019s sessions can be listed', async () => {
    const userId = newUserId();
    const { session } = await createSession(env.SESSIONS, userId);
    const listed = await env.SESSIONS.list({ prefix: userSessionsPrefix(userId) });
    expect(listed.keys.map((k) => k.name)).toContain(`${userSessionsPrefix(userId)}${session.id}`);
  });

  it('slides: a session seen after the renewal interval is extended, up to the absolute limit', async () => {
    const start = Date.now();
    const { token, session } = await createSession(env.SESSIONS, newUserId(), {}, start);
    const soon = await validateSessionToken(env.SESSIONS, token, start + 1000);
    expect(soon?.renewed).toBe(false);
    const later = start + SESSION_RENEW_AFTER_MS + 1000;
    const renewed = await validateSessionToken(env.SESSIONS, token, later);
    expect(renewed?.renewed).toBe(true);
    expect(renewed!.session.expiresAt).toBeGreaterThan(session.expiresAt);
    expect(renewed!.session.expiresAt).toBeLessThanOrEqual(session.absoluteExpiresAt);
  });

  it('ends after the idle timeout and after the absolute lifetime', async () => {
    const start = Date.now();
    const { token, session } = await createSession(env.SESSIONS, newUserId(), {}, start);
    expect(await validateSessionToken(env.SESSIONS, token, session.expiresAt + 1)).toBeNull();
    expect(await validateSessionToken(env.SESSIONS, token, session.absoluteExpiresAt + 1)).toBeNull();
  });

  it('rejects malformed tokens without touching KV', async () => {
    expect(await validateSessionToken(env.SESSIONS, 'garbage')).toBeNull();
    expect(await validateSessionToken(env.SESSIONS, `${'a'.repeat(24)}.${'b'.repeat(32)}`)).toBeNull();
    expect(await validateSessionToken(env.SESSIONS, `${'0'.repeat(24)}.${'a'.repeat(24)}.${'b'.repeat(32)}.zz`)).toBeNull();
  });
});
