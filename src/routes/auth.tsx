import { zValidator } from '@hono/zod-validator';
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../app-env';
import { fieldErrors, loginSchema, registerSchema, textValue } from '../auth/forms';
import { safeNextPath } from '../auth/redirects';
import { createSession } from '../auth/session';
import { revokeSession } from '../auth/session-revocation';
import { deleteSessionCookie, setSessionCookie } from '../auth/session-cookie';
import { INACTIVE_ACCOUNT, INVALID_CREDENTIALS, authenticate } from '../auth/sign-in';
import { signUp } from '../auth/sign-up';
import { clientAddress, takeClientToken } from '../auth/rate-limits';
import { tooManyRequests } from '../http/too-many-requests';
import { sendEmailVerification } from '../users/email-verification';
import { setFlash, takeFlash } from '../http/flash';
import { requestContext } from '../http/request-context';
import { LoginPage } from '../views/pages/login';
import { LogoutPage } from '../views/pages/logout';
import { RegisterPage } from '../views/pages/register';

// A new session on every sign-in (no fixation); any previous one on this browser ends.
async function startSession(c: Context<AppEnv>, userId: string) {
  if (c.var.session) await revokeSession(c.var.db, c.env.SESSIONS, c.var.session);
  const { userAgent, location } = requestContext(c);
  const { token, session } = await createSession(c.env.SESSIONS, userId, { userAgent, location });
  setSessionCookie(c, token, session.expiresAt);
}

export const authRoutes = new Hono<AppEnv>()
  .get('/register', (c) => (c.var.user ? c.redirect('/dashboard') : c.html(<RegisterPage />)))
  .post(
    '/register',
    zValidator('form', registerSchema, (result, c) => {
      if (!result.success) {
        const values = { username: textValue(result.data, 'username'), email: textValue(result.data, 'email') };
        return c.html(<RegisterPage values={values} errors={fieldErrors(result.error)} />, 422);
      }
    }),
    async (c) => {
      const input = c.req.valid('form');
      const limit = await takeClientToken(c.env.SIGN_UP_LIMITER, 'sign-up', clientAddress(c.req.raw.headers));
      if (!limit.ok) return tooManyRequests(c, limit.retryAfterSeconds);
      const result = await signUp(c.var.db, input, requestContext(c));
      if (!result.ok) return c.html(<RegisterPage values={input} errors={result.errors} />, 422);
      await startSession(c, result.user.id);
      const sent = await sendEmailVerification(c.var.db, c.var.mailer(), c.var.config, result.user);
      const confirm = sent ? ` We sent a link to ${result.user.email} to confirm your address.` : '';
      setFlash(c, { kind: 'success', message: `Welcome, ${result.user.username}! Your account is ready.${confirm}` });
      return c.redirect('/dashboard', 303);
    },
  )
  .get('/login', (c) => {
    const next = c.req.query('next');
    if (c.var.user) return c.redirect(safeNextPath(next));
    return c.html(<LoginPage next={next} flash={takeFlash(c)} />);
  })
  .post(
    '/login',
    zValidator('form', loginSchema, (result, c) => {
      if (!result.success) {
        return c.html(<LoginPage login={textValue(result.data, 'login')} next={c.req.query('next')} errors={fieldErrors(result.error)} />, 422);
      }
    }),
    async (c) => {
      const { login, password } = c.req.valid('form');
      const next = c.req.query('next');
      const limit = await takeClientToken(c.env.SIGN_IN_LIMITER, 'sign-in', clientAddress(c.req.raw.headers));
      if (!limit.ok) return tooManyRequests(c, limit.retryAfterSeconds);
      const result = await authenticate(c.var.db, login, password, requestContext(c));
      if (!result.ok && result.reason === 'locked') return tooManyRequests(c, result.retryAfterSeconds);
      if (!result.ok) {
        const message = result.reason === 'inactive' ? INACTIVE_ACCOUNT : INVALID_CREDENTIALS;
        return c.html(<LoginPage login={login} next={next} errors={{ form: [message] }} />, 401);
      }
      await startSession(c, result.user.id);
      return c.redirect(safeNextPath(next), 303);
    },
  )
  // Old links to /logout land on a confirmation page: signing out is a POST.
  .get('/logout', (c) => (c.var.user ? c.html(<LogoutPage user={c.var.user} />) : c.redirect('/')))
  .post('/logout', async (c) => {
    if (c.var.session) await revokeSession(c.var.db, c.env.SESSIONS, c.var.session);
    deleteSessionCookie(c);
    setFlash(c, { kind: 'info', message: 'You have been signed out.' });
    return c.redirect('/', 303);
  });
