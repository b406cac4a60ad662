import { SELF } from 'cloudflare:test';
import { expect } from 'vitest';
import { cookieFrom, ORIGIN, postForm, randomAddress } from './helpers';
import { loginAtLocalProvider } from './oidc-login';

// Trips to the real local OpenID provider (started by test/global-setup.ts) over HTTP.

export const LOCAL_NAME = 'Local OpenID (development)';

// A button that leaves for a provider: /oauth/<id>/start, or another start path
// (/account/confirm/<id>, a link) with this browser's cookies.
export async function startAt(provider: string, query = '', options: { path?: string; cookie?: string } = {}) {
  const res = await postForm(options.path ?? `/oauth/${provider}/start${query}`, {}, options.cookie ? { cookie: options.cookie } : {});
  return { res, flow: cookieFrom(res, 'provider_flow'), location: res.headers.get('location') };
}

// The provider sending the browser back, with the flow cookie and any other cookies.
export function callback(url: URL, ...cookies: (string | undefined)[]) {
  const cookie = cookies.filter(Boolean).join('; ');
  return SELF.fetch(`${ORIGIN}${url.pathname}${url.search}`, {
    redirect: 'manual',
    headers: { 'cf-connecting-ip': randomAddress(), ...(cookie ? { cookie } : {}) },
  });
}

// "Continue with Local OpenID", the provider's login screen, and back to the app.
export async function signInAtLocal(login: string, options: { action?: 'cancel'; query?: string; path?: string; cookie?: string } = {}) {
  const start = await startAt('local', options.query, { path: options.path, cookie: options.cookie });
  expect(start.res.status).toBe(303);
  const back = await loginAtLocalProvider(start.location!, login, { action: options.action });
  return { res: await callback(back, start.flow, options.cookie), back, flow: start.flow };
}

export async function chooseUsername(res: Response, username: string) {
  const pending = cookieFrom(res, 'provider_account');
  expect(pending).toBeTruthy();
  return postForm('/oauth/local/username', { username }, { cookie: pending });
}
