import { SELF } from 'cloudflare:test';
import { describe, expect, inject, it } from 'vitest';
import { get, ORIGIN, postForm, signUpAndSignIn, STRONG_PASSWORD, uniqueName } from './helpers';

describe('CSRF protection', () => {
  it('refuses a cross-site form POST', async () => {
    const { cookie } = await signUpAndSignIn();
    const res = await postForm('/logout', {}, { cookie, headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('Request refused');
    expect((await get('/dashboard', cookie)).status).toBe(200);
  });

  it('refuses a POST from another origin when Sec-Fetch-Site is absent', async () => {
    const username = uniqueName();
    const res = await SELF.fetch(`${ORIGIN}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
      body: new URLSearchParams({ username, email: `${username}@example.com`, password: STRONG_PASSWORD, passwordConfirm: STRONG_PASSWORD }),
    });
    expect(res.status).toBe(403);
  });

  it('refuses a POST with neither Origin nor Sec-Fetch-Site, whatever the content type', async () => {
    const res = await SELF.fetch(`${ORIGIN}/logout`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(403);
  });

  it('refuses a same-site but cross-origin request', async () => {
    const res = await postForm('/logout', {}, { headers: { 'sec-fetch-site': 'same-site', origin: 'https://other.localhost:8787' } });
    expect(res.status).toBe(403);
  });
});

describe('security headers', () => {
  it('are on every page', async () => {
    for (const path of ['/', '/login', '/register', '/no-such-page']) {
      const res = await get(path);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
    }
  });

  it('let forms reach only this site and the configured sign-in providers (a browser applies form-action to the redirect to the provider)', async () => {
    const csp = (await get('/login')).headers.get('content-security-policy') ?? '';
    const formAction = /form-action ([^;]+)/.exec(csp)![1]!.split(' ');
    expect(formAction).toEqual(["'self'", new URL(inject('oidcIssuer')).origin, new URL(inject('githubStandIn')).origin]);
  });

  it('omit HSTS on local http', async () => {
    expect((await get('/')).headers.get('strict-transport-security')).toBeNull();
  });

  it('mark signed-in pages no-store', async () => {
    const { cookie } = await signUpAndSignIn();
    expect((await get('/dashboard', cookie)).headers.get('cache-control')).toBe('no-store');
    expect((await get('/', cookie)).headers.get('cache-control')).toBe('no-store');
  });
});

describe('pages and paths', () => {
  it('redirects anonymous visitors from the dashboard to sign in, with next', async () => {
    const res = await get('/dashboard');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/login?next=%2Fdashboard');
  });

  it.each([
    ['/register/', '/register'],
    ['/login/', '/login'],
    ['/logout/', '/logout'],
    ['/dashboard/', '/dashboard'],
    ['/edit_profile/', '/edit_profile'],
  ])('redirects the old path %s to %s', async (from, to) => {
    const res = await get(from);
    expect(res.status).toBe(301);
    expect(new URL(res.headers.get('location')!).pathname).toBe(to);
  });

  it('keeps the original /edit_profile address working', async () => {
    const res = await get('/edit_profile');
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('/profile');
  });

  it('shows a sign-up and sign-in link to visitors and the name and sign-out button to members', async () => {
    const anonymous = await (await get('/')).text();
    expect(anonymous).toContain('href="/register"');
    expect(anonymous).toContain('href="/login"');
    const { cookie, username } = await signUpAndSignIn();
    const member = await (await get('/', cookie)).text();
    expect(member).toContain(username);
    expect(member).toMatch(/<form method="post" action="\/logout"/);
  });

  it('answers unknown paths with a 404 page', async () => {
    const res = await get('/definitely-not-here');
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('Page not found');
  });

  it('shows the default avatar on the dashboard', async () => {
    const { cookie } = await signUpAndSignIn();
    expect(await (await get('/dashboard', cookie)).text()).toContain('/static/default-avatar.svg');
  });
});
