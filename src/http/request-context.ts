import type { Context } from 'hono';
import type { AppEnv } from './app-env';
import { clientAddress } from '../auth/rate-limits';
import type { RequestContext } from '../users/security-events';

// Where a request came from, as the security log records it: the client address and
// Cloudflare's approximate location (city and country from request.cf), the browser.
export function requestContext(c: Context<AppEnv>): RequestContext {
  const cf = c.req.raw.cf as { city?: string; country?: string } | undefined;
  const location = [cf?.city, cf?.country].filter(Boolean).join(', ') || undefined;
  const ip = clientAddress(c.req.raw.headers);
  return {
    ip: ip === 'unknown' ? undefined : ip,
    userAgent: c.req.header('user-agent')?.slice(0, 256),
    location,
    country: cf?.country,
  };
}
