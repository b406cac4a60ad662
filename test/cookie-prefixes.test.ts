import { createExecutionContext, env, SELF, waitOnExecutionContext } from 'cloudflare:test';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import app from '../src/app';
import type { AppEnv } from '../src/http/app-env';
import { createOneTimeToken } from '../src/auth/one-time-tokens';
import type { Config } from '../src/config';
import { createDb } from '../src/db/client';
import { defineCookie } from '../src/http/cookies';
import { ORIGIN, randomAddress, STRONG_PASSWORD, uniqueName } from './helpers';
import { accountWithTwoFactor } from './two-factor-helpers';

const HTTPS_ORIGIN = 'https://accounts.example.com';
// Any 32 random bytes: an https origin refuses the development key in wrangler.toml.
const PRODUCTION_KEY = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));
const httpsEnv = { ...env, PUBLIC_ORIGIN: HTTPS_ORIGIN, MFA_ENCRYPTION_KEY: PRODUCTION_KEY } as Env;

type Body = { form?: Record<string, string>; json?: unknown; cookie?: string };
type Client = (path: string, body?: Body) => Promise<Response>;

// A browser's same-origin requests (a POST when there is a body), to the app on its
// development http origin or, with the same storage, on an https PUBLIC_ORIGIN.
function clientFor(origin: string): Client {
  return async (path, body = {}) => {
    const headers: Record<string, string> = { origin, 'sec-fetch-site': 'same-origin', 'cf-connecting-ip': randomAddress() };
    if (body.cookie) headers.cookie = body.cookie;
    let init: RequestInit = { redirect: 'manual', headers };
    if (body.form) init = { ...init, method: 'POST', body: new URLSearchParams(body.form), headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' } };
    if (body.json) {
      // The passkey routes want the length a browser sends (a Request built here has none).
      const json = JSON.stringify(body.json);
      init = { ...init, method: 'POST', body: json, headers: { ...headers, 'content-type': 'application/json', 'content-length': String(json.length) } };
    }
    if (origin === ORIGIN) return SELF.fetch(`${origin}${path}`, init);
    const ctx = createExecutionContext();
    const res = await app.fetch(new Request(`${origin}${path}`, init), httpsEnv, ctx);
    await waitOnExecutionContext(ctx);
    return res;
  };
}

const overHttp = clientFor(ORIGIN);
const overHttps = clientFor(HTTPS_ORIGIN);

function signUpWith(client: Client, username = uniqueName()) {
  return client('/register', { form: { username, email: `${username}@example.com`, password: STRONG_PASSWORD, passwordConfirm: STRONG_PASSWORD } });
}

// The Set-Cookie line for a cookie, whatever its prefix, and the "name=value" pair.
function setCookieLine(res: Response, name: string): string | undefined {
  return res.headers.getSetCookie().find((line) => new RegExp(`^(__Host-|__Secure-)?${name}=`).test(line));
}
const pairOf = (line: string | undefined) => line?.split(';')[0];

async function sessionOver(client: Client): Promise<string> {
  return pairOf(setCookieLine(await signUpWith(client), 'session'))!;
}

// A valid reset token, as the emailed link carries it.
async function resetToken(): Promise<string> {
  const username = uniqueName();
  expect((await signUpWith(overHttp, username)).status).toBe(303);
  const user = await env.DB.prepare('select id from users where username = ?').bind(username).first<{ id: string }>();
  return createOneTimeToken(createDb(env.DB), { userId: user!.id, purpose: 'password_reset' });
}

// Every cookie that carries state, and a request that sets it.
const COOKIES: { name: string; sameSite: 'Lax' | 'Strict'; setBy: (client: Client) => Promise<Response> }[] = [
  { name: 'session', sameSite: 'Lax', setBy: (client) => signUpWith(client) },
  { name: 'flash', sameSite: 'Lax', setBy: (client) => signUpWith(client) },
  {
    name: 'pending_sign_in',
    sameSite: 'Lax',
    setBy: async (client) => client('/login', { form: { login: (await accountWithTwoFactor()).username, password: STRONG_PASSWORD } }),
  },
  { name: 'webauthn_sign_in', sameSite: 'Strict', setBy: (client) => client('/login/passkey/options', { json: {} }) },
  {
    name: 'webauthn_register',
    sameSite: 'Strict',
    setBy: async (client) => client('/account/security/passkeys/options', { json: { password: STRONG_PASSWORD }, cookie: await sessionOver(client) }),
  },
  { name: 'reset_token', sameSite: 'Lax', setBy: (client) => client('/password-reset/confirm?token=from-the-link') },
];

describe('over https, every cookie that carries state is __Host-', () => {
  it.each(COOKIES)('$name is __Host-$name: Secure, Path=/, no Domain, HttpOnly, SameSite=$sameSite', async ({ name, sameSite, setBy }) => {
    const line = setCookieLine(await setBy(overHttps), name);
    expect(line).toMatch(new RegExp(`^__Host-${name}=[^;]+;`));
    expect(line).toMatch(/; Secure(;|$)/);
    expect(line).toMatch(/; Path=\/(;|$)/);
    expect(line).not.toMatch(/Domain=/i);
    expect(line).toMatch(/; HttpOnly(;|$)/);
    expect(line).toContain(`; SameSite=${sameSite}`);
  });

  it('reads only the __Host- cookie: a reset token planted under the plain name opens nothing', async () => {
    const token = await resetToken();
    expect((await overHttps('/password-reset/confirm', { cookie: `reset_token=${token}` })).status).toBe(400);
    const form = await overHttps('/password-reset/confirm', { cookie: `__Host-reset_token=${token}` });
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('Choose a new password');
  });

  it('reads only the __Host- cookie: a flash message planted under the plain name is not shown', async () => {
    const planted = await overHttps('/login', { cookie: `flash=error:${encodeURIComponent('Call 555-0100 now')}` });
    expect(await planted.text()).not.toContain('Call 555-0100 now');
    const own = await overHttps('/login', { cookie: `__Host-flash=info:${encodeURIComponent('Signed out')}` });
    expect(await own.text()).toContain('Signed out');
  });

  it('clears a cookie under the same __Host- name, Secure and Path=/, so the browser accepts the deletion', async () => {
    const res = await overHttps('/login', { cookie: `__Host-flash=info:${encodeURIComponent('Signed out')}` });
    const line = setCookieLine(res, 'flash');
    expect(line).toMatch(/^__Host-flash=;/);
    expect(line).toMatch(/Max-Age=0/);
    expect(line).toMatch(/; Secure(;|$)/);
    expect(line).toMatch(/; Path=\/(;|$)/);
  });

  it('completes a two-factor sign-in with the __Host- pending cookie and clears it', async () => {
    const { username, recoveryCodes } = await accountWithTwoFactor();
    const passwordStep = await overHttps('/login', { form: { login: username, password: STRONG_PASSWORD } });
    const pending = pairOf(setCookieLine(passwordStep, 'pending_sign_in'))!;
    expect(pending).toMatch(/^__Host-pending_sign_in=/);
    // The recovery code: the app key differs on this origin, so a TOTP secret stored over http would not open.
    const done = await overHttps('/login/two-factor', { form: { method: 'recovery_code', code: recoveryCodes[0]! }, cookie: pending });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/dashboard');
    expect(setCookieLine(done, 'session')).toMatch(/^__Host-session=/);
    expect(setCookieLine(done, 'pending_sign_in')).toMatch(/^__Host-pending_sign_in=;.*Max-Age=0.*; Path=\/; .*Secure/);
  });
});

describe('over http (local development), the plain names on Path=/', () => {
  it.each(COOKIES)('$name is $name, not Secure, on Path=/', async ({ name, setBy }) => {
    const line = setCookieLine(await setBy(overHttp), name);
    expect(line).toMatch(new RegExp(`^${name}=[^;]+;`));
    expect(line).toMatch(/; Path=\/(;|$)/);
    expect(line).not.toMatch(/; Secure/);
  });
});

describe('defineCookie', () => {
  const cookie = defineCookie({ name: 'note', sameSite: 'Lax', httpOnly: true, maxAge: 60 });

  function appWith(secure: boolean) {
    const test = new Hono<AppEnv>();
    test.use(async (c, next) => {
      c.set('config', { secure } as Config);
      await next();
    });
    test.get('/set', (c) => {
      cookie.set(c, 'v');
      return c.body(null, 204);
    });
    test.get('/until', (c) => {
      cookie.set(c, 'v', Date.now() + 300_000);
      return c.body(null, 204);
    });
    test.get('/read', (c) => c.text(cookie.read(c) ?? 'none'));
    return test;
  }

  it('lives for its maxAge, or until the expiry it is given', async () => {
    expect((await appWith(true).request('/set')).headers.get('set-cookie')).toBe('__Host-note=v; Max-Age=60; Path=/; HttpOnly; Secure; SameSite=Lax');
    expect((await appWith(false).request('/until')).headers.get('set-cookie')).toMatch(/^note=v; Max-Age=(299|300); Path=\/; HttpOnly; SameSite=Lax$/);
  });

  it('reads the name for the origin it runs on', async () => {
    const both = { headers: { cookie: 'note=plain; __Host-note=prefixed' } };
    expect(await (await appWith(true).request('/read', both)).text()).toBe('prefixed');
    expect(await (await appWith(false).request('/read', both)).text()).toBe('plain');
  });
});
