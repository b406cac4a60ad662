import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import app from '../src/app';
import { cookieFrom, ORIGIN, randomAddress, signUpAndSignIn, uniqueName, STRONG_PASSWORD } from './helpers';

// The D1 binding as the app sees it, with a record of what it was asked: which
// bookmark or constraint each request's session started from, and how many queries
// it ran. The database underneath is the real local D1.
function recordingDb() {
  const calls = { withSession: [] as Array<string | undefined>, queries: 0 };
  const db = new Proxy(env.DB, {
    get(target, prop) {
      if (prop !== 'withSession') return Reflect.get(target, prop).bind(target);
      return (constraint?: string) => {
        calls.withSession.push(constraint);
        const session = target.withSession(constraint as D1SessionConstraint);
        return {
          prepare: (query: string) => (calls.queries++, session.prepare(query)),
          batch: (statements: D1PreparedStatement[]) => (calls.queries++, session.batch(statements)),
          getBookmark: () => session.getBookmark(),
        };
      };
    },
  });
  return { db, calls };
}

async function fetchApp(path: string, init: RequestInit & { cookie?: string } = {}) {
  const { db, calls } = recordingDb();
  const ctx = createExecutionContext();
  const headers = new Headers(init.headers);
  if (init.cookie) headers.set('cookie', init.cookie);
  if (init.method === 'POST') {
    headers.set('origin', ORIGIN);
    headers.set('sec-fetch-site', 'same-origin');
    headers.set('cf-connecting-ip', randomAddress());
  }
  const res = await app.fetch(new Request(`${ORIGIN}${path}`, { ...init, headers, redirect: 'manual' }), { ...env, DB: db }, ctx);
  await waitOnExecutionContext(ctx);
  return { res, calls };
}

const BOOKMARK = /^d1-bookmark=[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$/;

describe('D1 sessions and the bookmark cookie', () => {
  it('anonymous pages make no D1 query and set no bookmark', async () => {
    for (const path of ['/', '/login', '/register', '/password-reset']) {
      const { res, calls } = await fetchApp(path);
      expect(res.status, path).toBe(200);
      expect(calls.queries, path).toBe(0);
      expect(cookieFrom(res, 'd1-bookmark'), path).toBeUndefined();
    }
  });

  it('a write hands its bookmark to the browser, HttpOnly and SameSite=Lax', async () => {
    const username = uniqueName();
    const body = new URLSearchParams({ username, email: `${username}@example.com`, password: STRONG_PASSWORD, passwordConfirm: STRONG_PASSWORD });
    const { res } = await fetchApp('/register', { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(303);
    const header = res.headers.getSetCookie().find((c) => c.startsWith('d1-bookmark='))!;
    expect(header.split(';')[0]).toMatch(BOOKMARK);
    expect(header).toMatch(/HttpOnly/i);
    expect(header).toMatch(/SameSite=Lax/i);
    expect(header).toMatch(/Path=\//);
  });

  it('the next request starts its D1 session from that bookmark, and sees the write', async () => {
    const { cookie } = await signUpAndSignIn();
    const email = `${uniqueName('new')}@example.com`;
    const form = new FormData();
    form.set('email', email);
    form.set('currentPassword', STRONG_PASSWORD);
    const saved = await fetchApp('/profile', { method: 'POST', body: form, cookie });
    expect(saved.res.status).toBe(303);
    const bookmark = cookieFrom(saved.res, 'd1-bookmark')!;
    expect(bookmark).toMatch(BOOKMARK);

    const next = await fetchApp('/profile', { cookie: `${cookie}; ${bookmark}` });
    expect(next.calls.withSession).toEqual([bookmark.split('=')[1]]);
    expect(await next.res.text()).toContain(email);
    // Reads do not move the cookie on: only writes do.
    expect(cookieFrom(next.res, 'd1-bookmark')).toBeUndefined();
  });

  it('without a bookmark, or with one that is not D1\u2019s, reads start anywhere', async () => {
    const { cookie } = await signUpAndSignIn();
    const plain = await fetchApp('/dashboard', { cookie });
    expect(plain.calls.withSession).toEqual(['first-unconstrained']);
    const forged = await fetchApp('/dashboard', { cookie: `${cookie}; d1-bookmark=../../etc` });
    expect(forged.res.status).toBe(200);
    expect(forged.calls.withSession).toEqual(['first-unconstrained']);
  });

  it('pages that open emailed links start at the primary, where the link was written', async () => {
    const { calls } = await fetchApp('/verify-email?token=nope');
    expect(calls.withSession).toEqual(['first-primary']);
    const { calls: reset } = await fetchApp('/password-reset/confirm');
    expect(reset.withSession).toEqual(['first-primary']);
  });

  it('a signed-in page is one KV read and one D1 query, revocation check included', async () => {
    const { cookie } = await signUpAndSignIn();
    const { res, calls } = await fetchApp('/dashboard', { cookie });
    expect(res.status).toBe(200);
    expect(calls.queries).toBe(1);
  });
});
