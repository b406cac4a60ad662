import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from './app-env';
import { withAvatarUrls } from '../users/avatar-urls';
import { findActiveUserForSession } from '../users/user-store';
import { signInUrl } from '../auth/redirects';
import { invalidateSession, saveRenewedSession, validateSessionToken } from '../auth/session';
import { isSessionRevoked } from '../auth/session-revocation';
import { deleteSessionCookie, readSessionCookie, setSessionCookie } from './session-cookie';

// Puts the signed-in user (or null) on the context: no storage call without a cookie,
// otherwise one KV read and one D1 query. KV may serve a stale record at this location;
// the D1 query also says whether the session was revoked, so a stale copy is refused.
export const loadCurrentUser = createMiddleware<AppEnv>(async (c, next) => {
  c.set('user', null);
  c.set('session', null);
  const token = readSessionCookie(c);
  if (token) {
    const validated = await validateSessionToken(c.env.SESSIONS, token);
    const found = validated ? await findActiveUserForSession(c.var.db, validated.session.userId, validated.session.id) : null;
    if (validated && found && !isSessionRevoked(validated.session, found)) {
      const { sessionRevoked: _, ...user } = found;
      c.set('user', withAvatarUrls(user, c.var.config.mediaBaseUrl));
      c.set('session', validated.session);
      if (validated.renewed) {
        c.executionCtx.waitUntil(saveRenewedSession(c.env.SESSIONS, validated.session));
        setSessionCookie(c, token, validated.session.expiresAt);
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
  if (!c.var.user) {
    const url = new URL(c.req.url);
    return c.redirect(signInUrl(url.pathname + url.search), 302);
  }
  await next();
});
