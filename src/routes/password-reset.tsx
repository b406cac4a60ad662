import { zValidator } from '@hono/zod-validator';
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../http/app-env';
import { fieldErrors, newPasswordSchema, passwordResetRequestSchema, textValue } from '../auth/forms';
import { findResetUser, requestPasswordReset, resetPassword } from '../account/password-reset';
import { clientAddress, takeClientToken } from '../auth/rate-limits';
import { commonPasswordsOf, loadCommonPasswords } from '../http/common-passwords';
import { defineCookie } from '../http/cookies';
import { setFlash } from '../http/flash';
import { requestContext } from '../http/request-context';
import { absoluteUrl } from '../mail/links';
import { sendQuietly } from '../mail/mailer';
import { passwordResetNotice } from '../mail/messages';
import { tooManyRequests } from '../http/too-many-requests';
import { ForgotPasswordPage, InvalidLinkPage, ResetPasswordPage } from '../views/pages/password-reset';

// The link's token moves from the address bar into a short-lived cookie at once, so it
// never sits in history, a Referer header or a screenshot of the form.
const resetTokenCookie = defineCookie({ name: 'reset_token', sameSite: 'Lax', httpOnly: true, maxAge: 60 * 60 });

function invalidLink(c: Context<AppEnv>) {
  resetTokenCookie.delete(c);
  return c.html(<InvalidLinkPage kind="passwordReset" />, 400);
}

export const passwordResetRoutes = new Hono<AppEnv>()
  .get('/password-reset', (c) => c.html(<ForgotPasswordPage />))
  .post(
    '/password-reset',
    zValidator('form', passwordResetRequestSchema, (result, c) => {
      if (!result.success) return c.html(<ForgotPasswordPage email={textValue(result.data, 'email')} errors={fieldErrors(result.error)} />, 422);
    }),
    async (c) => {
      const { email } = c.req.valid('form');
      const limit = await takeClientToken(c.env.PASSWORD_RESET_LIMITER, 'password-reset', clientAddress(c.req.raw.headers));
      if (!limit.ok) return tooManyRequests(c, limit.retryAfterSeconds);
      // After the response: the page looks and takes the same whether or not the address has an account.
      c.executionCtx.waitUntil(
        requestPasswordReset(c.var.db, c.var.mailer(), c.var.config, email).catch((error) => console.error('Password reset request failed:', error)),
      );
      return c.html(<ForgotPasswordPage email={email} sent />);
    },
  )
  .get('/password-reset/confirm', async (c) => {
    c.header('Referrer-Policy', 'no-referrer');
    const fromLink = c.req.query('token');
    if (fromLink) {
      resetTokenCookie.set(c, fromLink);
      return c.redirect('/password-reset/confirm', 303);
    }
    const token = resetTokenCookie.read(c);
    const user = token ? await findResetUser(c.var.db, token) : null;
    if (!user) return invalidLink(c);
    return c.html(<ResetPasswordPage username={user.username} />);
  })
  .post('/password-reset/confirm', loadCommonPasswords, zValidator('form', newPasswordSchema), async (c) => {
    const token = resetTokenCookie.read(c);
    const { password = '', passwordConfirm = '' } = c.req.valid('form');
    const result = token ? await resetPassword(c.var.db, c.env.SESSIONS, commonPasswordsOf(c), token, { password, passwordConfirm }, requestContext(c)) : ({ ok: false, reason: 'invalid' } as const);
    if (!result.ok && result.reason === 'rules') {
      const user = await findResetUser(c.var.db, token!);
      return c.html(<ResetPasswordPage username={user?.username ?? ''} errors={result.errors} />, 422);
    }
    if (!result.ok) return invalidLink(c);
    const notice = passwordResetNotice(result.user.email, result.user.username, absoluteUrl(c.var.config, '/account/security'), result);
    c.executionCtx.waitUntil(sendQuietly(c.var.mailer(), notice));
    resetTokenCookie.delete(c);
    const removed = result.removed && (result.removed.passkeys.length || result.removed.twoFactor || result.removed.providers.length);
    setFlash(c, { kind: 'success', message: c.var.i18n.t(removed ? 'auth.passwordReset.changedAndRemoved' : 'auth.passwordReset.changed') });
    return c.redirect('/login', 303);
  });
