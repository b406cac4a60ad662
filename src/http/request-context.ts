import type { Context } from 'hono';
import type { AppEnv } from './app-env';
import { clientAddress } from '../auth/rate-limits';
import { DEFAULT_LANGUAGE, PSEUDO_LANGUAGE } from '../i18n/languages';
import { requestTimeZone } from './locale';
import type { RequestContext } from '../users/security-events';

// Where a request came from, as the security log records it: the client address and
// Cloudflare's approximate location (city and country from request.cf), the browser.
export function requestContext(c: Context<AppEnv>): RequestContext {
  const cf = c.req.raw.cf as { city?: string; country?: string } | undefined;
  const location = [cf?.city, cf?.country].filter(Boolean).join(', ') || undefined;
  const ip = clientAddress(c.req.raw.headers);
  const language = c.get('i18n')?.language;
  return {
    ip: ip === 'unknown' ? undefined : ip,
    userAgent: c.req.header('user-agent')?.slice(0, 256),
    location,
    country: cf?.country,
    // A language other than English, once the locale middleware chose one: an account
    // signed up or in here keeps it for its emails until its owner picks one in the menu.
    // English is what an account without one gets anyway, so it is never written (and a
    // deployment offering English only writes nothing a later one would have to undo).
    // Nor is the testers' pseudo-language.
    language: language && language !== DEFAULT_LANGUAGE && language !== PSEUDO_LANGUAGE ? language : undefined,
    timeZone: requestTimeZone(c.req.raw) ?? undefined,
  };
}
