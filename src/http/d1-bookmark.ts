import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from './app-env';

// The D1 bookmark of this browser's last write travels in a cookie, so its next
// request, wherever it lands, reads from a replica at least that fresh: a user always
// sees their own changes. Replicas catch up within seconds, so an hour is plenty, and
// a stale or lost cookie only means reading from any replica.
const MAX_AGE_SECONDS = 60 * 60;
// What D1 hands out: "<8 hex>-<8 hex>-<8 hex>-<32 hex>". Anything else is ignored
// rather than passed to withSession.
const BOOKMARK_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$/;

// Links from emails open pages that read a token written moments ago, perhaps on the
// primary only: those pages start at the primary unless the browser's own bookmark
// already asks for something at least that fresh.
const FRESH_READ_PATHS = new Set(['/password-reset/confirm', '/verify-email', '/not-me']);

export function sessionStart(path: string, bookmark: string | null): string {
  return bookmark ?? (FRESH_READ_PATHS.has(path) ? 'first-primary' : 'first-unconstrained');
}

export function bookmarkCookieName(secure: boolean): string {
  return secure ? '__Host-d1-bookmark' : 'd1-bookmark';
}

export function readBookmarkCookie(c: Context<AppEnv>): string | null {
  const value = getCookie(c, bookmarkCookieName(c.get('config').secure));
  return value && BOOKMARK_PATTERN.test(value) ? value : null;
}

// Only requests that may have written need to pass their bookmark on; reads on GET
// pages would otherwise set a cookie on every page view.
export function shouldSendBookmark(method: string, before: string | null, after: string | null): after is string {
  return method !== 'GET' && method !== 'HEAD' && after !== null && after !== before && BOOKMARK_PATTERN.test(after);
}

export function setBookmarkCookie(c: Context<AppEnv>, bookmark: string): void {
  const secure = c.get('config').secure;
  setCookie(c, bookmarkCookieName(secure), bookmark, { path: '/', httpOnly: true, secure, sameSite: 'Lax', maxAge: MAX_AGE_SECONDS });
}
