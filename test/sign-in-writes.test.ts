import { env } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseSessionCookie, sessionKey, userSessionsPrefix, type SessionRecord } from '../src/auth/session';
import { envCountingQueries, envWithBatch, envWithSessionPuts } from './binding-spies';
import { fetchWith } from './email-code-helpers';
import { get, postForm, sessionCookieFrom, signUpAndSignIn, STRONG_PASSWORD } from './helpers';

// A sign-in's D1 batch (last login, counts, the event, the previous session refused) and
// its new session's KV records are written together, not one after the other. Whatever
// stops between them must leave no session that D1 does not know.

async function userIdOf(username: string): Promise<string> {
  return (await env.DB.prepare('select id from users where username = ?').bind(username).first<{ id: string }>())!.id;
}

async function kvSessionsOf(userId: string): Promise<string[]> {
  return (await env.SESSIONS.list({ prefix: userSessionsPrefix(userId) })).keys.map((key) => key.name);
}

afterEach(() => vi.restoreAllMocks());

describe('a sign-in’s writes', () => {
  it('run together: the session record is being written while the D1 batch is still open', async () => {
    const { username } = await signUpAndSignIn();
    let putStarted!: () => void;
    const put = new Promise<void>((resolve) => (putStarted = resolve));
    let sawPutDuringBatch = false;
    const workerEnv = envWithSessionPuts(
      envWithBatch((batch) => async (statements) => {
        // Holds the batch until the KV write has begun (or 3 s, if it never does).
        sawPutDuringBatch = await Promise.race([put.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 3000))]);
        return batch(statements);
      }),
      () => putStarted(),
    );
    const response = await fetchWith(workerEnv, '/login', { fields: { login: username, password: STRONG_PASSWORD } });
    expect(response.status).toBe(303);
    expect(sawPutDuringBatch).toBe(true);
    expect((await get('/dashboard', sessionCookieFrom(response))).status).toBe(200);
  });

  it('come after one round trip to D1: the lockout and the account (with its second factors) are read together', async () => {
    const { username } = await signUpAndSignIn();
    const { workerEnv, queries } = envCountingQueries();
    const response = await fetchWith(workerEnv, '/login', { fields: { login: username, password: STRONG_PASSWORD } });
    expect(response.status).toBe(303);
    const beforeBatch = queries.slice(0, queries.findIndex((query) => query.sql === 'batch'));
    expect(beforeBatch.map((query) => query.sql)).toEqual([expect.stringContaining('login_failures'), expect.stringContaining('totp_credentials')]);
    expect(beforeBatch[1]!.running).toBe(2);
  });

  it('leave no session behind when the D1 batch fails', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const { username } = await signUpAndSignIn();
    const userId = await userIdOf(username);
    const before = await kvSessionsOf(userId);
    const failing = envWithBatch(() => async () => {
      throw new Error('D1 is unavailable');
    });
    const response = await fetchWith(failing, '/login', { fields: { login: username, password: STRONG_PASSWORD } });
    expect(response.status).toBe(500);
    expect(response.headers.getSetCookie().some((cookie) => cookie.startsWith('session=') && !cookie.startsWith('session=;'))).toBe(false);
    expect(await kvSessionsOf(userId)).toEqual(before);
  });

  it('make a session D1 refuses until its sign-in is recorded there', async () => {
    const { username } = await signUpAndSignIn();
    const signedIn = await postForm('/login', { login: username, password: STRONG_PASSWORD });
    const cookie = sessionCookieFrom(signedIn);
    expect((await get('/dashboard', cookie)).status).toBe(200);
    const record = (await env.SESSIONS.get<SessionRecord>(sessionKey(parseSessionCookie(cookie.split('=')[1])!.id), 'json'))!;
    expect(record.signedInAt).toBeTypeOf('number');
    // As if the isolate had stopped after the KV write and before the D1 batch.
    await env.DB.prepare('update users set last_login = ? where username = ?').bind(record.signedInAt! - 1, username).run();
    expect((await get('/dashboard', cookie)).status).toBe(302);
  });

  it('end the browser’s previous session in the same batch', async () => {
    const { cookie, username } = await signUpAndSignIn();
    const again = await postForm('/login', { login: username, password: STRONG_PASSWORD }, { cookie });
    expect(again.status).toBe(303);
    const previousId = parseSessionCookie(cookie.split('=')[1])!.id;
    expect(await env.DB.prepare('select count(*) as n from revoked_sessions where session_id = ?').bind(previousId).first('n')).toBe(1);
    expect((await get('/dashboard', cookie)).status).toBe(302);
    expect((await get('/dashboard', sessionCookieFrom(again))).status).toBe(200);
  });
});

describe('the sessions page', () => {
  it('does not list a session whose sign-in never reached D1', async () => {
    const { username } = await signUpAndSignIn();
    const recordOf = async (cookie: string) => (await env.SESSIONS.get<SessionRecord>(sessionKey(parseSessionCookie(cookie.split('=')[1])!.id), 'json'))!;
    const current = sessionCookieFrom(await postForm('/login', { login: username, password: STRONG_PASSWORD }));
    const orphan = sessionCookieFrom(await postForm('/login', { login: username, password: STRONG_PASSWORD }, { headers: { 'user-agent': 'Mozilla/5.0 (Windows NT 10.0) Firefox/140.0' } }));
    expect(await (await get('/account/sessions', current)).text()).toContain('Firefox on Windows');
    // As if the second sign-in had stopped after its KV write: D1 holds only the first.
    await env.DB.prepare('update users set last_login = ? where username = ?').bind((await recordOf(current)).signedInAt!, username).run();
    const page = await get('/account/sessions', current);
    expect(page.status).toBe(200);
    expect(await page.text()).not.toContain('Firefox on Windows');
    expect((await get('/dashboard', orphan)).status).toBe(302);
  });
});
