import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { parseSessionCookie, SESSION_IDLE_MS, sessionKey, type SessionRecord } from '../src/auth/session';
import { envWithSessionPuts } from './binding-spies';
import { fetchWith } from './email-code-helpers';
import { cookieFrom, get, sessionCookieFrom, signUpAndSignIn } from './helpers';

// A signed-in page starts its KV read and its D1 query together: the cookie names the
// user. Neither is trusted alone, and the renewal is decided from the cookie, so a
// location's day-old cached copy of the record cannot set off a write on every request.

function sessionCookieOf(response: Response): string | undefined {
  return cookieFrom(response, 'session');
}

// The app with a KV binding that counts writes to session records.
function countingEnv() {
  const puts: string[] = [];
  return { workerEnv: envWithSessionPuts(env, (key) => puts.push(key)), puts };
}

async function recordOf(cookie: string): Promise<SessionRecord> {
  return (await env.SESSIONS.get<SessionRecord>(sessionKey(parseSessionCookie(cookie.split('=')[1])!.id), 'json'))!;
}

// The record as it was `hoursAgo` (what a location's cache may still hold), in KV.
async function ageRecord(cookie: string, hoursAgo: number): Promise<SessionRecord> {
  const record = await recordOf(cookie);
  const then = Date.now() - hoursAgo * 60 * 60 * 1000;
  const old = { ...record, lastSeenAt: then, expiresAt: then + SESSION_IDLE_MS };
  await env.SESSIONS.put(sessionKey(parseSessionCookie(cookie.split('=')[1])!.id), JSON.stringify(old));
  return old;
}

// The cookie a browser would hold after a renewal at `expiresAt`.
function cookieStamped(cookie: string, expiresAt: number): string {
  const { userId, id, secret } = parseSessionCookie(cookie.split('=')[1])!;
  return `session=${userId}.${id}.${secret}.${Math.floor(expiresAt / 1000).toString(36)}`;
}

describe('the session cookie', () => {
  it('names the user, the session and the expiry it was written with', async () => {
    const { cookie, username } = await signUpAndSignIn();
    const parsed = parseSessionCookie(cookie.split('=')[1])!;
    const user = await env.DB.prepare('select id from users where username = ?').bind(username).first<{ id: string }>();
    expect(parsed.userId).toBe(user!.id);
    expect(Math.abs(parsed.expiresAt! - (await recordOf(cookie)).expiresAt)).toBeLessThan(1000);
  });

  it('gets nothing with another user’s id, and tells nothing: the same answer as a broken cookie', async () => {
    const attacker = await signUpAndSignIn();
    const victim = await signUpAndSignIn();
    const victimId = parseSessionCookie(victim.cookie.split('=')[1])!.userId!;
    const { id, secret, expiresAt } = parseSessionCookie(attacker.cookie.split('=')[1])!;
    const forged = `session=${victimId}.${id}.${secret}.${Math.floor(expiresAt! / 1000).toString(36)}`;
    const broken = `session=${victimId}.${id}.${'a'.repeat(32)}.${Math.floor(expiresAt! / 1000).toString(36)}`;
    for (const path of ['/dashboard', '/account/sessions', '/profile']) {
      const [withForged, withBroken] = await Promise.all([get(path, forged), get(path, broken)]);
      expect(withForged.status).toBe(302);
      expect(withForged.status).toBe(withBroken.status);
      expect(withForged.headers.get('location')).toBe(withBroken.headers.get('location'));
      expect(sessionCookieOf(withForged)).toBe(sessionCookieOf(withBroken));
      expect(await withForged.text()).not.toContain(victim.username);
    }
    const home = await (await get('/', forged)).text();
    expect(home).not.toContain(victim.username);
    expect(home).not.toContain(attacker.username);
    // Neither account lost its session.
    expect((await get('/dashboard', victim.cookie)).status).toBe(200);
    expect((await get('/dashboard', attacker.cookie)).status).toBe(200);
  });

  it('from before user ids still signs in, and is written anew in the new form', async () => {
    const { cookie, username } = await signUpAndSignIn();
    const { id, secret } = parseSessionCookie(cookie.split('=')[1])!;
    const response = await get('/dashboard', `session=${id}.${secret}`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(username);
    const rewritten = parseSessionCookie(sessionCookieOf(response)!.split('=')[1])!;
    expect(rewritten).toMatchObject({ id, secret });
    expect(rewritten.userId).toMatch(/^[0-9a-f]{24}$/);
    expect((await get('/dashboard', sessionCookieOf(response)!)).status).toBe(200);
  });
});

describe('renewal', () => {
  it('is not set off by a stale copy of the record: a browser that renewed an hour ago writes nothing', async () => {
    const { cookie } = await signUpAndSignIn();
    // KV (or the location's cache) still holds the record from five hours ago, but this
    // browser's cookie was renewed just now.
    await ageRecord(cookie, 5);
    const fresh = cookieStamped(cookie, Date.now() + SESSION_IDLE_MS);
    const { workerEnv, puts } = countingEnv();
    for (let i = 0; i < 20; i++) {
      const response = await fetchWith(workerEnv, '/dashboard', { cookie: fresh });
      expect(response.status).toBe(200);
      expect(sessionCookieOf(response)).toBeUndefined();
    }
    expect(puts).toEqual([]);
  });

  it('writes once for many requests that arrive with the same old cookie', async () => {
    const { cookie } = await signUpAndSignIn();
    const old = await ageRecord(cookie, 5);
    const stale = cookieStamped(cookie, old.expiresAt);
    const { workerEnv, puts } = countingEnv();
    const responses = await Promise.all(Array.from({ length: 30 }, () => fetchWith(workerEnv, '/dashboard', { cookie: stale })));
    expect(responses.map((r) => r.status)).toEqual(responses.map(() => 200));
    expect(puts).toHaveLength(1);
    // Every response hands the browser the renewed cookie, which then needs nothing.
    const renewed = sessionCookieOf(responses[0]!)!;
    expect(parseSessionCookie(renewed.split('=')[1])!.expiresAt).toBeGreaterThan(old.expiresAt + 4 * 60 * 60 * 1000);
    expect((await recordOf(cookie)).expiresAt).toBeGreaterThan(old.expiresAt);
    await fetchWith(workerEnv, '/dashboard', { cookie: renewed });
    expect(puts).toHaveLength(1);
  });

  it('still comes when the record nears its end, even if the cookie says it was renewed', async () => {
    const { cookie } = await signUpAndSignIn();
    // A renewal whose write was lost: the record has a few hours left, the cookie two weeks.
    await ageRecord(cookie, 14 * 24 - 3);
    const { workerEnv, puts } = countingEnv();
    const response = await fetchWith(workerEnv, '/dashboard', { cookie: cookieStamped(cookie, Date.now() + SESSION_IDLE_MS) });
    expect(response.status).toBe(200);
    expect(puts).toHaveLength(1);
    expect((await recordOf(cookie)).expiresAt).toBeGreaterThan(Date.now() + SESSION_IDLE_MS - 60_000);
  });
});

describe('a signed-out session', () => {
  it('stays refused whatever KV still holds for it', async () => {
    const { cookie } = await signUpAndSignIn();
    const record = await recordOf(cookie);
    const { workerEnv } = countingEnv();
    expect((await fetchWith(workerEnv, '/logout', { cookie, fields: {} })).status).toBe(303);
    // A location that cached the record before the sign-out still serves it.
    await env.SESSIONS.put(sessionKey(parseSessionCookie(cookie.split('=')[1])!.id), JSON.stringify(record));
    expect((await get('/dashboard', cookie)).status).toBe(302);
    expect(sessionCookieFrom(await get('/dashboard', cookie))).toMatch(/^session=$/);
  });
});
