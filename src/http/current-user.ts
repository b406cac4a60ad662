import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from './app-env';
import { withAvatarUrls } from '../users/avatar-urls';
import { findActiveUserForSession } from '../users/user-store';
import { signInUrl } from '../auth/redirects';
import { checkSession, claimRenewal, invalidateSession, parseSessionCookie, readSessionRecord, saveRenewedSession, sessionToken } from '../auth/session';
import { isSessionRevoked } from '../auth/session-revocation';
import { deleteSessionCookie, readSessionCookie, setSessionCookie } from './session-cookie';

// Puts the signed-in user (or null) on the context: no storage call without a cookie,
// otherwise one KV read and one D1 query, started together (the cookie names the user).
// KV may serve a stale record at this location; the D1 query also says whether the
// session was revoked, so a stale copy is refused. A cookie whose user is not the
// record's gets what any broken cookie gets.
export const loadCurrentUser = createMiddleware<AppEnv>(async (c, next) => {
  c.set('user', null);
  c.set('session', null);
  const cookie = parseSessionCookie(readSessionCookie(c));
  if (cookie) {
    const now = Date.now();
    const [record, early] = await Promise.all([
      readSessionRecord(c.env.SESSIONS, cookie.id),
      cookie.userId ? findActiveUserForSession(c.get('db'), cookie.userId, cookie.id) : null,
    ]);
    const validated = checkSession(cookie, record, now);
    const found = !validated ? null : cookie.userId ? early : await findActiveUserForSession(c.get('db'), validated.session.userId, cookie.id);
    if (validated && found && !isSessionRevoked(validated.session, found)) {
      const { session } = validated;
      const { sessionRevoked: _, ...user } = found;
      c.set('user', withAvatarUrls(user, c.get('config').mediaBaseUrl));
      c.set('session', session);
      if (validated.renewed && claimRenewal(session.id, now)) c.executionCtx.waitUntil(saveRenewedSession(c.env.SESSIONS, session, now));
      // A renewed session, or a cookie from before user ids and expiries: written anew.
      if (validated.renewed || !cookie.userId || cookie.expiresAt === undefined) {
        setSessionCookie(c, sessionToken(session.userId, session.id, cookie.secret), session.expiresAt);
      }
    } else {
      if (validated) c.executionCtx.waitUntil(invalidateSession(c.env.SESSIONS, validated.session));
      deleteSessionCookie(c);
    }
  }
  await next();
});

// The signed-in user inside a zValidator hook, whose context is not typed with our
// variables; only for routes behind requireUser.
export const userOf = (c: unknown) => (c as Context<AppEnv>).var.user!;

// The edge version of Django's @login_required.
export const requireUser = createMiddleware<AppEnv>(async (c, next) => {
  if (!c.get('user')) {
    const url = new URL(c.req.url);
    return c.redirect(signInUrl(url.pathname + url.search), 302);
  }
  await next();
});
