import { env } from 'cloudflare:test';
import { Hono } from 'hono';
import { setCookie } from 'hono/cookie';
import { afterEach, describe, expect, it, vi } from 'vitest';
import app from '../src/app';
import type { AppEnv } from '../src/http/app-env';
import { safeNextPath } from '../src/auth/redirects';
import type { Config } from '../src/config';
import { sameOriginRedirects } from '../src/http/same-origin-redirects';
import { get, ORIGIN, postForm, signUp, signUpAndSignIn, STRONG_PASSWORD } from './helpers';
import type { SoftAuthenticator } from './passkeys-authenticator';
import { addPasskey, postJson, signInWithPasskey } from './passkeys-helpers';
import { accountWithTwoFactor, passwordStep, secondStep } from './two-factor-helpers';

// `next` values that a URL parser normalises, or a browser reads, as another host:
// "/.//evil.example" parses to the path "//evil.example", which is scheme-relative.
const HOSTILE = [
  '//evil.example',
  'https://evil.example/',
  '/.//evil.example',
  '/..//evil.example',
  '/%2e//evil.example',
  '/%2E%2e//evil.example',
  '/a/..//evil.example',
  '/a/%2e%2e//evil.example',
  '/\\evil.example',
  '/./\\evil.example',
  '/%5C%5Cevil.example',
  '/%5c/evil.example',
  '/\t/evil.example',
  '/\n/evil.example',
  '/.\r//evil.example',
  '\t//evil.example',
  ' //evil.example',
];

// Where a browser goes with this Location (or JSON redirect): it resolves it against the page.
function staysOnThisSite(location: string | null | undefined): boolean {
  if (!location) return false;
  return new URL(location, ORIGIN).origin === ORIGIN && location.startsWith('/') && !location.startsWith('//') && !location.startsWith('/\\');
}

const withNext = (path: string, next: string) => `${path}?next=${encodeURIComponent(next)}`;

async function accountWithPasskey(): Promise<SoftAuthenticator> {
  const { username, cookie } = await signUpAndSignIn();
  const user = await env.DB.prepare('select id from users where username = ?').bind(username).first<{ id: string }>();
  return addPasskey(cookie, user!.id);
}

describe('safeNextPath', () => {
  it.each(HOSTILE)('turns next=%j into a path on this site', (next) => {
    expect(staysOnThisSite(safeNextPath(next))).toBe(true);
  });

  it.each(['/.//evil.example', '/..//evil.example', '/%2e//evil.example', '/a/..//evil.example', '/\t/evil.example', '/./\\evil.example'])(
    'falls back to the dashboard for next=%j, which parses to another host',
    (next) => {
      expect(safeNextPath(next)).toBe('/dashboard');
    },
  );

  it.each(['/dashboard', '/account?x=1#y', '/profile?tab=1', '/%5C%5Cevil.example'])('keeps the same-site path %j as it is', (next) => {
    expect(safeNextPath(next)).toBe(next);
  });
});

describe('?next= never sends the browser to another site', () => {
  it.each(HOSTILE)('after a password sign-in with next=%j', async (next) => {
    const { username } = await signUp();
    const res = await postForm(withNext('/login', next), { login: username, password: STRONG_PASSWORD });
    expect(res.status).toBe(303);
    expect(staysOnThisSite(res.headers.get('location'))).toBe(true);
  });

  it.each(HOSTILE)('for a signed-in visitor of /login with next=%j', async (next) => {
    const { cookie } = await signUpAndSignIn();
    const res = await get(withNext('/login', next), cookie);
    expect(res.status).toBe(302);
    expect(staysOnThisSite(res.headers.get('location'))).toBe(true);
  });

  it.each(HOSTILE)('after the two-factor step with next=%j', async (next) => {
    const { username, app: authenticatorApp } = await accountWithTwoFactor();
    const { pending } = await passwordStep(username, STRONG_PASSWORD, withNext('/login', next));
    const res = await secondStep(pending, await authenticatorApp.nextCode());
    expect(res.status).toBe(303);
    expect(staysOnThisSite(res.headers.get('location'))).toBe(true);
  });

  it.each(HOSTILE)('in the passkey sign-in answer with next=%j', async (next) => {
    const authenticator = await accountWithPasskey();
    const res = await signInWithPasskey(authenticator, withNext('/login/passkey', next));
    expect(res.status).toBe(200);
    const { redirect } = (await res.json()) as { redirect: string };
    expect(staysOnThisSite(redirect)).toBe(true);
  });

  it('still returns to a same-site next, query and fragment kept, after the two-factor step', async () => {
    const { username, app: authenticatorApp } = await accountWithTwoFactor();
    const { pending } = await passwordStep(username, STRONG_PASSWORD, withNext('/login', '/account?x=1#y'));
    const res = await secondStep(pending, await authenticatorApp.nextCode());
    expect(res.headers.get('location')).toBe('/account?x=1#y');
  });
});

describe('the Location check on every response', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  // A stand-in for a route with a bug: it redirects wherever it is told, after setting a cookie.
  function appRedirectingTo(location: string, publicOrigin = ORIGIN) {
    const test = new Hono<AppEnv>();
    test.use(sameOriginRedirects);
    test.use(async (c, next) => {
      c.set('config', { publicOrigin, secure: publicOrigin.startsWith('https:') } as Config);
      await next();
    });
    test.get('/go', (c) => {
      setCookie(c, 'kept', '1');
      return c.redirect(location, 303);
    });
    return test;
  }

  it.each(['//evil.example', '/\\evil.example', 'https://evil.example/', 'http://localhost:8787@evil.example/', '/\t/evil.example', 'javascript:alert(1)', 'dashboard'])(
    'sends the browser to / instead of %j, keeps the cookies, and logs it',
    async (location) => {
      const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
      const res = await appRedirectingTo(location).request(`${ORIGIN}/go`);
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/');
      expect(res.headers.getSetCookie()).toContainEqual(expect.stringMatching(/^kept=1/));
      expect(logged).toHaveBeenCalledWith(expect.stringContaining('Refused an off-site redirect from GET /go'));
    },
  );

  it.each(['/dashboard', '/account?x=1#y', `${ORIGIN}/login`, ORIGIN])('lets %j through', async (location) => {
    const res = await appRedirectingTo(location).request(`${ORIGIN}/go`);
    expect(res.headers.get('location')).toBe(location);
  });

  it('refuses the http form of an https PUBLIC_ORIGIN', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const res = await appRedirectingTo('http://accounts.example.com/login', 'https://accounts.example.com').request('https://accounts.example.com/go');
    expect(res.headers.get('location')).toBe('/');
  });

  it('is mounted on the app', () => {
    expect(app.routes.some((route) => route.handler === sameOriginRedirects)).toBe(true);
  });
});
