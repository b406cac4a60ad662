import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env';
import { requireUser } from '../http/current-user';
import { findValidToken } from '../auth/one-time-tokens';
import { takeClientToken } from '../auth/rate-limits';
import { setFlash } from '../http/flash';
import { requestContext } from '../http/request-context';
import { tooManyRequests } from '../http/too-many-requests';
import { confirmEmail, sendEmailVerification } from '../account/email-verification';
import { InvalidLinkPage } from '../views/pages/password-reset';
import { VerifyEmailPage } from '../views/pages/verify-email';

const invalid = <InvalidLinkPage kind="emailConfirmation" />;

export const emailVerificationRoutes = new Hono<AppEnv>()
  // Opening the link only shows a button: mail scanners that follow links must not
  // confirm an address on the owner's behalf.
  .get('/verify-email', async (c) => {
    c.header('Referrer-Policy', 'no-referrer');
    const token = c.req.query('token') ?? '';
    const row = await findValidToken(c.var.db, token, 'verify_email');
    if (!row?.email) return c.html(invalid, 400);
    return c.html(<VerifyEmailPage email={row.email} token={token} user={c.var.user} />);
  })
  .post('/verify-email', async (c) => {
    const form = await c.req.parseBody();
    const token = typeof form.token === 'string' ? form.token : '';
    const result = await confirmEmail(c.var.db, c.var.mailer(), token, requestContext(c));
    if (!result.ok && result.reason === 'taken') {
      setFlash(c, { kind: 'error', message: c.var.i18n.t('auth.verifyEmail.taken') });
      return c.redirect(c.var.user ? '/dashboard' : '/', 303);
    }
    if (!result.ok) return c.html(invalid, 400);
    const { t } = c.var.i18n;
    const message = result.previousEmail
      ? t('auth.verifyEmail.changed', { email: result.email, previousEmail: result.previousEmail })
      : t('auth.verifyEmail.confirmed', { email: result.email });
    setFlash(c, { kind: 'success', message });
    return c.redirect(c.var.user ? '/dashboard' : '/login', 303);
  })
  .post('/verify-email/resend', requireUser, async (c) => {
    const user = c.var.user!;
    if (user.emailVerifiedAt) {
      setFlash(c, { kind: 'info', message: c.var.i18n.t('auth.verifyEmail.alreadyConfirmed') });
      return c.redirect('/dashboard', 303);
    }
    const limit = await takeClientToken(c.env.EMAIL_VERIFICATION_LIMITER, 'verify-email', user.id);
    if (!limit.ok) return tooManyRequests(c, limit.retryAfterSeconds);
    const sent = await sendEmailVerification(c.var.db, c.var.mailer(), c.var.config, user);
    setFlash(
      c,
      sent
        ? { kind: 'success', message: c.var.i18n.t('auth.verifyEmail.resent', { email: user.email }) }
        : { kind: 'error', message: c.var.i18n.t('auth.verifyEmail.sendFailed') },
    );
    return c.redirect('/dashboard', 303);
  });
