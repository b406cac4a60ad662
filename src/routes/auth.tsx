import { zValidator } from '@hono/zod-validator';
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../http/app-env';
import { fieldMessage } from '../auth/field-errors';
import { fieldErrors, loginSchema, registerErrors, registerSchema, textValue } from '../auth/forms';
import { commonPasswordsOf, loadCommonPasswords } from '../http/common-passwords';
import type { FieldErrors } from '../views/components/field';
import { safeNextPath } from '../auth/redirects';
import { revokeSession } from '../auth/session-revocation';
import { deleteSessionCookie, setSessionCookie } from '../http/session-cookie';
import { holdFailedSignIn } from '../import/failure-floor';
import { signUp } from '../auth/sign-up';
import { sendSignUpCode } from '../http/email-code-flow';
import { clientAddress, takeClientToken } from '../auth/rate-limits';
import { tooManyRequests } from '../http/too-many-requests';
import { sendEmailVerification } from '../account/email-verification';
import { setFlash, takeFlash } from '../http/flash';
import { requestContext } from '../http/request-context';
import { redirectAfterSignIn, signInDeps } from '../http/sign-in-response';
import { secondStepSchema } from '../mfa/forms';
import { findAccountFactors } from '../mfa/other-credentials';
import { findPendingSignIn } from '../mfa/pending-sign-in';
import { SECOND_STEP_PATH, deletePendingSignInCookie, readPendingSignInCookie } from '../http/pending-sign-in-cookie';
import { importSecretBoxKey } from '../mfa/secret-box';
import { startSession } from '../sign-in/continue-sign-in';
import { completeSecondStep, signInWithPassword } from '../sign-in/sign-in-methods';
import { TwoFactorSignInPage, chooseSecondStepView } from '../views/pages/two-factor-sign-in';
import { LoginPage } from '../views/pages/login';
import { LogoutPage } from '../views/pages/logout';
import { RegisterPage } from '../views/pages/register';

// The pending sign-in is gone (expired, used, or the password changed meanwhile).
function signInAgain(c: Context<AppEnv>) {
  deletePendingSignInCookie(c);
  setFlash(c, { kind: 'info', message: c.var.i18n.t('auth.twoFactor.timedOut') });
  return c.redirect('/login', 303);
}

// The second-step page for the pending sign-in this browser holds: the form asked for,
// and the passkey too if the account has one.
async function showSecondStep(c: Context<AppEnv>, asked: string | undefined, options: { status?: 200 | 400 | 401 | 422; errors?: FieldErrors } = {}) {
  const pending = await findPendingSignIn(c.var.db, readPendingSignInCookie(c));
  if (!pending) return signInAgain(c);
  const choices = await findAccountFactors(c.var.db, pending.userId);
  const method = chooseSecondStepView(choices, asked);
  return c.html(<TwoFactorSignInPage method={method} choices={choices} first={pending} errors={method === 'passkey' ? undefined : options.errors} />, options.status ?? 200);
}

export const authRoutes = new Hono<AppEnv>()
  .get('/register', (c) => (c.var.user ? c.redirect('/dashboard') : c.html(<RegisterPage config={c.var.config} />)))
  .post(
    '/register',
    loadCommonPasswords,
    zValidator('form', registerSchema, (result, c) => {
      const errors = registerErrors(result.data, commonPasswordsOf(c));
      if (Object.keys(errors).length) {
        const values = { username: textValue(result.data, 'username'), email: textValue(result.data, 'email') };
        return c.html(<RegisterPage values={values} errors={errors} config={(c as Context<AppEnv>).var.config} />, 422);
      }
    }),
    async (c) => {
      const input = c.req.valid('form');
      const limit = await takeClientToken(c.env.SIGN_UP_LIMITER, 'sign-up', clientAddress(c.req.raw.headers));
      if (!limit.ok) return tooManyRequests(c, limit.retryAfterSeconds);
      // The default: a code to the address first; the account once it is entered.
      if (c.var.config.signUpConfirmation === 'before') {
        return sendSignUpCode(c, { username: input.username, email: input.email, password: { typed: input.password } });
      }
      const result = await signUp(c.var.db, input, requestContext(c));
      if (!result.ok) return c.html(<RegisterPage values={input} errors={result.errors} config={c.var.config} />, 422);
      const session = await startSession(signInDeps(c), result.user.id, { method: 'password' });
      setSessionCookie(c, session.token, session.expiresAt);
      const sent = await sendEmailVerification(c.var.db, c.var.mailer(), c.var.config, result.user);
      const { username, email } = result.user;
      const { t } = c.var.i18n;
      setFlash(c, { kind: 'success', message: sent ? t('auth.register.welcomeConfirm', { username, email }) : t('auth.register.welcome', { username }) });
      return c.redirect('/dashboard', 303);
    },
  )
  .get('/login', (c) => {
    const next = c.req.query('next');
    if (c.var.user) return c.redirect(safeNextPath(next));
    return c.html(<LoginPage next={next} flash={takeFlash(c)} providers={c.var.config.signInProviders} />);
  })
  .post(
    '/login',
    zValidator('form', loginSchema, (result, c) => {
      if (!result.success) {
        return c.html(<LoginPage login={textValue(result.data, 'login')} next={c.req.query('next')} errors={fieldErrors(result.error)} providers={(c as Context<AppEnv>).var.config.signInProviders} />, 422);
      }
    }),
    async (c) => {
      const { login, password } = c.req.valid('form');
      const next = c.req.query('next');
      const limit = await takeClientToken(c.env.SIGN_IN_LIMITER, 'sign-in', clientAddress(c.req.raw.headers));
      if (!limit.ok) return tooManyRequests(c, limit.retryAfterSeconds);
      const started = Date.now();
      const result = await signInWithPassword(signInDeps(c), { login, password, next }, started);
      if (!result.ok && result.reason === 'locked') return tooManyRequests(c, result.retryAfterSeconds);
      if (!result.ok) {
        // A deactivated account gets the same answer as a wrong password: it says nothing about the account.
        // Held to the Django import's floor: an imported account's slower hash says nothing either.
        const { imported } = await holdFailedSignIn(c.env.SESSIONS, started);
        const { t } = c.var.i18n;
        const messages = imported ? [t('auth.login.invalidCredentials'), t('auth.login.importedAccountHint')] : [t('auth.login.invalidCredentials')];
        return c.html(<LoginPage login={login} next={next} errors={{ form: messages }} providers={c.var.config.signInProviders} />, 401);
      }
      return redirectAfterSignIn(c, result);
    },
  )
  .get(SECOND_STEP_PATH, (c) => showSecondStep(c, c.req.query('use')))
  .post(
    SECOND_STEP_PATH,
    zValidator('form', secondStepSchema, (result, c) => {
      if (!result.success) return showSecondStep(c as Context<AppEnv>, textValue(result.data, 'method'), { status: 422, errors: fieldErrors(result.error) });
    }),
    async (c) => {
      const { method = 'totp', code } = c.req.valid('form');
      // Its own count per address (same binding), so typing a code never uses up sign-in attempts.
      const limit = await takeClientToken(c.env.SIGN_IN_LIMITER, 'two-factor', clientAddress(c.req.raw.headers));
      if (!limit.ok) return tooManyRequests(c, limit.retryAfterSeconds);
      const key = await importSecretBoxKey(c.var.config.mfaEncryptionKey);
      const result = await completeSecondStep(signInDeps(c), { pendingToken: readPendingSignInCookie(c), proof: { method, code, key } });
      if (!result.ok && result.reason === 'expired') return signInAgain(c);
      if (!result.ok && result.reason === 'locked') return tooManyRequests(c, result.retryAfterSeconds);
      if (!result.ok && result.reason === 'no-app') return showSecondStep(c, method, { status: 400 });
      if (!result.ok) {
        const wrong = method === 'totp' ? fieldMessage('security.fields.wrongCode') : fieldMessage('security.fields.wrongRecoveryCode');
        return showSecondStep(c, method, { status: 401, errors: { code: [wrong] } });
      }
      return redirectAfterSignIn(c, result);
    },
  )
  // Old links to /logout land on a confirmation page: signing out is a POST.
  .get('/logout', (c) => (c.var.user ? c.html(<LogoutPage user={c.var.user} />) : c.redirect('/')))
  .post('/logout', async (c) => {
    if (c.var.session) await revokeSession(c.var.db, c.env.SESSIONS, c.var.session);
    deleteSessionCookie(c);
    setFlash(c, { kind: 'info', message: c.var.i18n.t('auth.logout.done') });
    return c.redirect('/', 303);
  });
