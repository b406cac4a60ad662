import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';
import { safeNextPath } from '../src/auth/redirects';
import { ConfigError, readConfig } from '../src/config';
import app from '../src/app';
import { STRONG_PASSWORD, uniqueName } from './helpers';

// Any 32 random bytes: an https origin refuses the development key in wrangler.toml.
const PRODUCTION_KEY = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));

describe('safeNextPath', () => {
  it.each([
    ['/profile?tab=1#x', '/profile?tab=1#x'],
    ['/dashboard', '/dashboard'],
    [undefined, '/dashboard'],
    ['', '/dashboard'],
    ['dashboard', '/dashboard'],
    ['//evil.example', '/dashboard'],
    ['/\\evil.example', '/dashboard'],
    ['https://evil.example/x', '/dashboard'],
    ['/\tevil', '/dashboard'],
  ])('%s -> %s', (input, expected) => {
    expect(safeNextPath(input)).toBe(expected);
  });
});

describe('config', () => {
  it('names a missing or wrong variable', () => {
    expect(() => readConfig({ ...env, PUBLIC_ORIGIN: 'not a url' } as Env)).toThrow(ConfigError);
    expect(() => readConfig({ ...env, PUBLIC_ORIGIN: undefined } as unknown as Env)).toThrow(/PUBLIC_ORIGIN/);
  });

  it('refuses to start without the Images binding rather than store unprocessed files', () => {
    expect(() => readConfig({ ...env, IMAGES: undefined } as unknown as Env)).toThrow(/IMAGES binding is missing/);
  });

  it('names missing S3 credentials', () => {
    expect(() => readConfig({ ...env, S3_SECRET_ACCESS_KEY: '' } as Env)).toThrow(/S3_SECRET_ACCESS_KEY/);
    expect(() => readConfig({ ...env, S3_BUCKET: undefined } as unknown as Env)).toThrow(/S3_BUCKET/);
  });

  it('turns on secure cookies for an https origin', () => {
    expect(readConfig({ ...env, PUBLIC_ORIGIN: 'https://accounts.example.com/', MFA_ENCRYPTION_KEY: PRODUCTION_KEY } as Env)).toMatchObject({
      publicOrigin: 'https://accounts.example.com',
      secure: true,
    });
  });

  it('shows a 500 page, not a stack trace, when config is wrong', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const ctx = createExecutionContext();
    const res = await app.fetch(new Request('http://localhost/'), { ...env, PUBLIC_ORIGIN: 'nope' }, ctx);
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(500);
    const html = await res.text();
    expect(html).toContain('Something went wrong');
    expect(html).not.toContain('ConfigError');
    // The configuration's error alone: the page itself renders without one.
    expect(logged.mock.calls.map((call) => String(call[1]))).toEqual([expect.stringContaining('ConfigError')]);
    logged.mockRestore();
  });
});

describe('production (https) mode', () => {
  it('refuses the public development key for second-factor secrets', () => {
    expect(() => readConfig({ ...env, PUBLIC_ORIGIN: 'https://accounts.example.com' } as Env)).toThrow(/MFA_ENCRYPTION_KEY is the public development key/);
  });

  const prodEnv = { ...env, PUBLIC_ORIGIN: 'https://accounts.example.com', MFA_ENCRYPTION_KEY: PRODUCTION_KEY } as Env;
  async function prodFetch(path: string, init: RequestInit = {}) {
    const ctx = createExecutionContext();
    const res = await app.fetch(new Request(`https://accounts.example.com${path}`, init), prodEnv, ctx);
    await waitOnExecutionContext(ctx);
    return res;
  }

  it('sends HSTS', async () => {
    expect((await prodFetch('/')).headers.get('strict-transport-security')).toMatch(/max-age=\d{7,}/);
  });

  it('uses a Secure __Host- session cookie', async () => {
    const username = uniqueName();
    const res = await prodFetch('/register', {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://accounts.example.com', 'sec-fetch-site': 'same-origin' },
      body: new URLSearchParams({ username, email: `${username}@example.com`, password: STRONG_PASSWORD, passwordConfirm: STRONG_PASSWORD }),
    });
    expect(res.status).toBe(303);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('__Host-session='));
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; Path=\//);
  });
});
