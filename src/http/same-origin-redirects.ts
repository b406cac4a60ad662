import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from './app-env';
import { isSameOriginPath } from '../auth/redirects';

// Where a response may send the browser: a path on this site, or an absolute URL on
// PUBLIC_ORIGIN. The app redirects nowhere else (avatars on MEDIA_PUBLIC_URL are linked,
// never redirected to).
function isSameOriginLocation(location: string, publicOrigin: string): boolean {
  let resolved: URL;
  try {
    resolved = new URL(location, publicOrigin);
  } catch {
    return false;
  }
  if (resolved.origin !== publicOrigin) return false;
  return isSameOriginPath(location) || location === publicOrigin || location.startsWith(`${publicOrigin}/`);
}

function describeTarget(location: string, publicOrigin: string): string {
  try {
    return new URL(location, publicOrigin).origin;
  } catch {
    return 'an unreadable URL';
  }
}

// The one deliberate way off the site: to a sign-in provider, with the URL the provider
// module built. Keyed by the request, so the exception ends with it.
const providerRedirects = new WeakMap<Request, string>();

export function redirectToProvider(c: Context<AppEnv>, url: URL): Response {
  providerRedirects.set(c.req.raw, url.href);
  return c.redirect(url.href, 303);
}

// The last line of defence behind safeNextPath: a Location that would leave the site,
// whatever produced it, becomes "/" (the response's cookies and status are kept).
export const sameOriginRedirects = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  const location = c.res.headers.get('Location');
  if (location === null) return;
  const publicOrigin = c.get('config')?.publicOrigin ?? new URL(c.req.url).origin;
  if (isSameOriginLocation(location, publicOrigin) || providerRedirects.get(c.req.raw) === location) return;
  // Only where it pointed, never the whole value: a query could carry a token.
  console.error(`Refused an off-site redirect from ${c.req.method} ${new URL(c.req.url).pathname} to ${describeTarget(location, publicOrigin)}`);
  c.res.headers.set('Location', '/');
});
