import { Hono } from 'hono';
import { contextStorage } from 'hono/context-storage';
import { createMiddleware } from 'hono/factory';
import { trimTrailingSlash } from 'hono/trailing-slash';
import type { AppEnv } from './http/app-env';
import { loadCurrentUser } from './http/current-user';
import { applyLocale, applyVisitorLocale, detectLanguage } from './http/locale';
import { isCrossSiteRequest } from './http/csrf';
import { readConfig } from './config';
import { createSessionDb } from './db/client';
import { readBookmarkCookie, sessionStart, setBookmarkCookie, shouldSendBookmark } from './http/d1-bookmark';
import { refuseUnreadableBodies } from './http/readable-body';
import { logRequest } from './http/request-log';
import { ENGLISH_TRANSLATOR } from './i18n/translator';
import { createMailer } from './mail/mailer';
import { withEdgeCachePurge } from './storage/media-cache';
import { createObjectStore, type ObjectStore } from './storage/object-store';
import { securityHeaders } from './http/security-headers';
import { sameOriginRedirects } from './http/same-origin-redirects';
import { accountRoutes } from './routes/account';
import { adminRoutes } from './routes/admin';
import { authRoutes } from './routes/auth';
import { dashboardRoutes } from './routes/dashboard';
import { devMailRoutes } from './routes/dev-mail';
import { emailCodeRoutes } from './routes/email-codes';
import { emailVerificationRoutes } from './routes/email-verification';
import { exportRoutes } from './routes/export';
import { healthRoutes } from './routes/health';
import { homeRoutes } from './routes/home';
import { languageRoutes } from './routes/language';
import { mediaRoutes } from './routes/media';
import { notMeRoutes } from './routes/not-me';
import { passkeyRoutes } from './routes/passkeys';
import { passwordResetRoutes } from './routes/password-reset';
import { profileRoutes } from './routes/profile';
import { confirmIdentityRoutes } from './routes/confirm-identity';
import { providerRoutes } from './routes/providers';
import { securityRoutes } from './routes/security';
import { signInMethodRoutes } from './routes/sign-in-methods';
import { ErrorPage } from './views/pages/error';

const app = new Hono<AppEnv>({ strict: true });

// Order matters: canonical URLs first (no storage touched), then config and headers,
// then CSRF before anything reads a session or a body. The request log wraps them all.
// Pages reach the request's translator through it (src/views/use-i18n.ts).
app.use(contextStorage());
app.use(logRequest);
app.use(trimTrailingSlash({ alwaysRedirect: true }));
app.use(securityHeaders);
app.use(sameOriginRedirects);
// Accept-Language only (no storage): even the pages refused below speak the visitor's language.
app.use(detectLanguage);
app.use(
  createMiddleware<AppEnv>(async (c, next) => {
    const config = readConfig(c.env);
    c.set('config', config);
    // One D1 session per request: creating it costs nothing until a query runs.
    const bookmark = readBookmarkCookie(c);
    const d1 = createSessionDb(c.env.DB, sessionStart(c.req.path, bookmark));
    c.set('db', d1.db);
    let store: ObjectStore | undefined;
    c.set('objectStore', () => (store ??= withEdgeCachePurge(createObjectStore(config.s3), config.publicOrigin)));
    c.set('mailer', () => createMailer(c.env.EMAIL, c.env.SESSIONS, config.mail, { assets: c.env.ASSETS, db: d1.db, offered: config.languages, request: c.get('i18n') ?? ENGLISH_TRANSLATOR }));
    await next();
    const latest = d1.bookmark();
    if (shouldSendBookmark(c.req.method, bookmark, latest)) setBookmarkCookie(c, latest);
  }),
);
app.use(
  createMiddleware<AppEnv>(async (c, next) => {
    if (isCrossSiteRequest(c)) {
      await applyVisitorLocale(c);
      return c.html(<ErrorPage status={403} />, 403);
    }
    await next();
  }),
);
app.use(refuseUnreadableBodies);
// Media and the health check are public: served before any session is read.
app.route('/', mediaRoutes);
app.route('/', healthRoutes);
app.use(loadCurrentUser);
app.use(applyLocale);

app.route('/', homeRoutes);
app.route('/', languageRoutes);
app.route('/', authRoutes);
app.route('/', emailCodeRoutes);
app.route('/', providerRoutes);
app.route('/', dashboardRoutes);
app.route('/', profileRoutes);
app.route('/', accountRoutes);
app.route('/', securityRoutes);
app.route('/', passkeyRoutes);
app.route('/', signInMethodRoutes);
app.route('/', confirmIdentityRoutes);
app.route('/', exportRoutes);
app.route('/', passwordResetRoutes);
app.route('/', emailVerificationRoutes);
app.route('/', notMeRoutes);
app.route('/', devMailRoutes);
app.route('/', adminRoutes);

app.notFound((c) => c.html(<ErrorPage status={404} user={c.get('user')} />, 404));
app.onError(async (error, c) => {
  // A body that is not the form it claims to be is the sender's mistake, not a failure:
  // hono's validator throws an HTTPException (400) and c.req.parseBody leaves its failed
  // parse in bodyCache. Either way nothing was done yet: a 400 page, no error log.
  const httpStatus = 'getResponse' in error ? error.getResponse().status : undefined;
  const cachedForm = c.req.bodyCache.formData; // typed as FormData, held as its promise
  const unreadableForm = cachedForm !== undefined && (await Promise.resolve(cachedForm).then(() => false, () => true));
  await applyVisitorLocale(c).catch(() => undefined);
  if ((httpStatus && httpStatus < 500) || unreadableForm) return c.html(<ErrorPage status={400} user={c.get('user')} />, 400);
  console.error(`${c.req.method} ${new URL(c.req.url).pathname} failed:`, error);
  return c.html(<ErrorPage status={500} />, 500);
});

export default app;
