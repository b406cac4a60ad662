import { env } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseSessionCookie, sessionKey, userSessionsPrefix, type SessionRecord } from '../src/auth/session';
import { envWithSessionPuts } from './binding-spies';
import { fetchWith } from './email-code-helpers';
import { get, postForm, sessionCookieFrom, signUpAndSignIn, STRONG_PASSWORD } from './helpers';

// A sign-in's D1 batch (last login, counts, the event, the previous session refused) and
// its new session's KV records are written together, not one after the other. Whatever
// stops between them must leave no session that D1 does not know.

type Batch = (statements: unknown[]) => Promise<unknown>;

// env with a D1 binding whose sessions' batch() goes through `wrap`.
function envWithBatch(wrap: (batch: Batch) => Batch): Env {
  const db = new Proxy(env.DB, {
    get(target, property) {
      if (property === 'withSession') {
        return (...args: unknown[]) => {
          const session = (target.withSession as (...a: unknown[]) => D1DatabaseSession)(...args);
          return new Proxy(session, {
            get(inner, name) {
              const value = Reflect.get(inner, name) as unknown;
              if (name === 'batch') return wrap((value as Batch).bind(inner));
              return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(inner) : value;
            },
          });
        };
      }
      const value = Reflect.get(target, property) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { ...env, DB: db } as Env;
}

// env whose D1 sessions report each query: its SQL, and how many were running when it began.
function envCountingQueries(): { workerEnv: Env; queries: { sql: string; running: number }[] } {
  const queries: { sql: string; running: number }[] = [];
  let running = 0;
  const track = (sql: string, run: () => Promise<unknown>) => {
    running += 1;
    queries.push({ sql, running });
    return run().finally(() => (running -= 1));
  };
  const statement = (inner: D1PreparedStatement, sql: string): D1PreparedStatement =>
    new Proxy(inner, {
      get(target, name) {
        const value = Reflect.get(target, name) as unknown;
        if (name === 'bind') return (...args: unknown[]) => statement((value as (...a: unknown[]) => D1PreparedStatement).apply(target, args), sql);
        if (name === 'all' || name === 'raw' || name === 'first' || name === 'run') return (...args: unknown[]) => track(sql, () => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args));
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  const workerEnv = envWithBatch((batch) => (statements) => track('batch', () => batch(statements)));
  const db = workerEnv.DB;
  const withSession = db.withSession.bind(db);
  const counted = new Proxy(db, {
    get(target, property) {
      if (property === 'withSession') {
        return (...args: unknown[]) => {
          const session = (withSession as (...a: unknown[]) => D1DatabaseSession)(...args);
          return new Proxy(session, {
            get(inner, name) {
              const value = Reflect.get(inner, name) as unknown;
              if (name === 'prepare') return (sql: string) => statement((value as (q: string) => D1PreparedStatement).call(inner, sql), sql);
              return value;
            },
          });
        };
      }
      return Reflect.get(target, property) as unknown;
    },
  });
  return { workerEnv: { ...workerEnv, DB: counted } as Env, queries };
}

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
