import type { Context } from 'hono';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

// Cross-site request forgery check for every state-changing request, whatever its
// content type. Browsers send Sec-Fetch-Site (and Origin) on every POST; a request
// that carries neither cannot be shown to come from our own pages, so it is refused.
export function isCrossSiteRequest(c: Context): boolean {
  if (SAFE_METHODS.has(c.req.method)) return false;
  const fetchSite = c.req.header('sec-fetch-site');
  if (fetchSite) return fetchSite !== 'same-origin';
  const origin = c.req.header('origin');
  return origin !== new URL(c.req.url).origin;
}
