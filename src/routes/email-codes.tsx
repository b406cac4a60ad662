import { zValidator } from '@hono/zod-validator';
import { Hono, type Context } from 'hono';
import * as z from 'zod/mini';
import { confirmIdentityWithCode, requestStepUpCode } from '../account/step-up-code';
import { codeData, findCodeByLink, findCodeForBrowser, isCodeLive, isSameBrowser, redeemCode, redeemLink, type EmailCodePurpose } from '../auth/email-codes';
import { fieldMessage } from '../auth/field-errors';
import { email as emailField, fieldErrors, textValue } from '../auth/forms';
import { CONFIRM_IDENTITY_PATH } from '../auth/identity-confirmation';
import { hasUsablePassword } from '../auth/password-hash';
import { clientAddress, takeClientToken } from '../auth/rate-limits';
import { safeNextPath } from '../auth/redirects';
import { createAccountFromCode, type PendingSignUp } from '../auth/sign-up';
import type { EmailCodeRow } from '../db/schema';
import type { AppEnv } from '../http/app-env';
import { requireUser } from '../http/current-user';
import { CODE_PAGES, emailCodeCookie, limitCodeMail, mailAfterResponse, sendSignInCode, sendSignUpCode } from '../http/email-code-flow';
import { setFlash, takeFlash } from '../http/flash';
import { requestContext } from '../http/request-context';
import { setSessionCookie } from '../http/session-cookie';
import { redirectAfterSignIn, signInDeps } from '../http/sign-in-response';
import { tooManyRequests } from '../http/too-many-requests';
import { formatCode } from '../auth/email-codes';
import { stepUpCodeMessage } from '../mail/messages';
import { startSession } from '../sign-in/continue-sign-in';
import { signInWithEmailCode } from '../sign-in/email-code-sign-in';
import type { FieldErrors } from '../views/components/field';
import type { MessageKey } from '../i18n/catalog';
import { EmailCodePage, EmailLinkPage, SignInCodeRequestPage, wrongEmailCode } from '../views/pages/email-code';
import { RegisterPage } from '../views/pages/register';

// Codes by email: sign-up that confirms the address first, sign-in without a password, and
// "confirm it is you" for an account without one. The logic is in src/auth/email-codes.ts,
// src/auth/sign-up.ts, src/sign-in/email-code-sign-in.ts and src/account/step-up-code.ts.

// A catalogue reference, translated where the field shows it (src/auth/field-errors.ts).
const CODE_MISSING = fieldMessage('auth.emailCode.codeMissing');
const codeSchema = z.object({ code: z.string({ error: CODE_MISSING }).check(z.trim(), z.minLength(1, CODE_MISSING), z.maxLength(64)) });
const requestSchema = z.object({ email: emailField });
const resendSchema = z.object({ purpose: z.enum(['sign_up', 'sign_in', 'step_up']) });
const linkSchema = z.object({ token: z.string().check(z.maxLength(200)) });

const BACK = {
  sign_up: { href: '/register', label: 'auth.emailCode.back.signUp' },
  sign_in: { href: '/login', label: 'auth.emailCode.back.signIn' },
  step_up: { href: '/account', label: 'auth.emailCode.back.stepUp' },
} as const satisfies Record<EmailCodePurpose, { href: string; label: MessageKey }>;

// The code page of this browser's pending code, or back to where it started.
async function showCodePage(c: Context<AppEnv>, purpose: EmailCodePurpose, options: { status?: 200 | 400 | 401 | 422; errors?: FieldErrors } = {}) {
  const row = await findCodeForBrowser(c.var.db, emailCodeCookie.read(c), purpose);
  if (!row || (purpose === 'step_up' && row.userId !== c.var.user?.id)) {
    setFlash(c, { kind: 'info', message: c.var.i18n.t('auth.emailCode.startAgain') });
    return c.redirect(BACK[purpose].href, 303);
  }
  // A step-up goes back to the form it interrupted (?next=), through every page on the way.
  const query = purpose === 'step_up' ? `?next=${encodeURIComponent(safeNextPath(c.req.query('next'), '/account'))}` : '';
  const resend = purpose === 'step_up' ? `/account/confirm-code/send${query}` : '/email-code/resend';
  return c.html(
    <EmailCodePage
      purpose={purpose}
      email={row.email}
      action={`${CODE_PAGES[purpose]}${query}`}
      resendAction={resend}
      errors={options.errors}
      live={isCodeLive(row)}
      user={c.var.user}
      flash={takeFlash(c)}
      back={{ href: BACK[purpose].href, label: c.var.i18n.t(BACK[purpose].label) }}
    />,
    options.status ?? 200,
  );
}

// Codes typed count per client too (the per-code cap is the real limit).
async function limitCodeEntry(c: Context<AppEnv>): Promise<Response | null> {
  const limit = await takeClientToken(c.env.SIGN_IN_LIMITER, 'email-code-entry', clientAddress(c.req.raw.headers));
  return limit.ok ? null : tooManyRequests(c, limit.retryAfterSeconds);
}

function codeRefused(c: Context<AppEnv>, purpose: EmailCodePurpose, result: { reason: 'expired' } | { reason: 'wrong'; attemptsLeft: number }) {
  const { t } = c.var.i18n;
  const message = result.reason === 'wrong' ? wrongEmailCode(t, result.attemptsLeft) : t('auth.emailCode.expired');
  return showCodePage(c, purpose, { status: result.reason === 'wrong' ? 401 : 400, errors: { code: [message] } });
}

// A spent sign-up code (typed here, or a link confirmed in any browser): the account, signed in.
// From another browser than the one that signed up, without the password typed there.
async function finishSignUp(c: Context<AppEnv>, row: EmailCodeRow, sameBrowser = true) {
  const keepPassword = sameBrowser || !codeData<PendingSignUp>(row).passwordHash;
  const result = await createAccountFromCode(c.var.db, row, requestContext(c), Date.now(), { keepPassword });
  if (!result.ok) {
    const pending = codeData<PendingSignUp>(row);
    return c.html(<RegisterPage values={{ username: pending.username, email: row.email }} errors={result.errors} config={c.var.config} />, 409);
  }
  const session = await startSession(signInDeps(c), result.user.id, { method: 'email_code' });
  setSessionCookie(c, session.token, session.expiresAt);
  const { username } = result.user;
  // Kept: the password typed where the account was signed up for; else it was dropped (said so).
  const message = keepPassword ? c.var.i18n.t('auth.emailCode.welcome', { username }) : c.var.i18n.t('auth.emailCode.welcomePasswordDropped', { username });
  setFlash(c, { kind: 'success', message });
  return c.redirect('/dashboard', 303);
}

async function finishSignIn(c: Context<AppEnv>, row: EmailCodeRow) {
  const result = await signInWithEmailCode(signInDeps(c), { userId: row.userId, next: codeData<{ next: string }>(row).next });
  if (!result.ok) {
    setFlash(c, { kind: 'info', message: c.var.i18n.t('auth.emailCode.signInAgain') });
    return c.redirect('/login', 303);
  }
  return redirectAfterSignIn(c, result);
}

function withoutCodeCookie(c: Context<AppEnv>) {
  if (emailCodeCookie.read(c) !== undefined) emailCodeCookie.delete(c);
}

export const emailCodeRoutes = new Hono<AppEnv>()
  // --- Sign-up: the code page after /register (SIGN_UP_CONFIRMATION=before) ---
  .get(CODE_PAGES.sign_up, (c) => (c.var.user ? c.redirect('/dashboard') : showCodePage(c, 'sign_up')))
  .post(
    CODE_PAGES.sign_up,
    zValidator('form', codeSchema, (result, c) => {
      if (!result.success) return showCodePage(c as Context<AppEnv>, 'sign_up', { status: 422, errors: fieldErrors(result.error) });
    }),
    async (c) => {
      const limited = await limitCodeEntry(c);
      if (limited) return limited;
      const result = await redeemCode(c.var.db, emailCodeCookie.read(c), 'sign_up', c.req.valid('form').code);
      if (!result.ok) return codeRefused(c, 'sign_up', result);
      withoutCodeCookie(c);
      return finishSignUp(c, result.row);
    },
  )
  // --- Sign-in with a code ---
  .get('/login/code', (c) => {
    const next = c.req.query('next');
    if (c.var.user) return c.redirect(safeNextPath(next));
    return c.html(<SignInCodeRequestPage next={next} flash={takeFlash(c)} />);
  })
  .post(
    '/login/code',
    zValidator('form', requestSchema, (result, c) => {
      if (!result.success) return c.html(<SignInCodeRequestPage email={textValue(result.data, 'email')} next={c.req.query('next')} errors={fieldErrors(result.error)} />, 422);
    }),
    (c) => {
      const next = c.req.query('next');
      return sendSignInCode(c, c.req.valid('form').email, next ? safeNextPath(next) : undefined);
    },
  )
  .get(CODE_PAGES.sign_in, (c) => showCodePage(c, 'sign_in'))
  .post(
    CODE_PAGES.sign_in,
    zValidator('form', codeSchema, (result, c) => {
      if (!result.success) return showCodePage(c as Context<AppEnv>, 'sign_in', { status: 422, errors: fieldErrors(result.error) });
    }),
    async (c) => {
      const limited = await limitCodeEntry(c);
      if (limited) return limited;
      const result = await redeemCode(c.var.db, emailCodeCookie.read(c), 'sign_in', c.req.valid('form').code);
      if (!result.ok) return codeRefused(c, 'sign_in', result);
      withoutCodeCookie(c);
      return finishSignIn(c, result.row);
    },
  )
  // --- "Send a new code": the request this browser made, made again ---
  .post('/email-code/resend', zValidator('form', resendSchema), async (c) => {
    const { purpose } = c.req.valid('form');
    const row = await findCodeForBrowser(c.var.db, emailCodeCookie.read(c), purpose);
    if (!row) return showCodePage(c, purpose);
    if (purpose === 'sign_up') {
      const pending = codeData<PendingSignUp>(row);
      return sendSignUpCode(c, { username: pending.username ?? '', email: row.email, password: { hash: pending.passwordHash ?? null } });
    }
    if (purpose === 'sign_in') return sendSignInCode(c, row.email, codeData<{ next: string }>(row).next);
    // A step-up's own page posts to /account/confirm-code/send.
    return c.redirect(CONFIRM_IDENTITY_PATH, 303);
  })
  // --- The link in the mail: a page with a button (mail scanners open links) ---
  .get('/email-link', async (c) => {
    const token = c.req.query('token') ?? '';
    const row = await findCodeByLink(c.var.db, token);
    const username = row?.purpose === 'sign_up' ? codeData<PendingSignUp>(row).username : undefined;
    return c.html(<EmailLinkPage token={token} purpose={row?.purpose ?? null} email={row?.email} username={username} />, row ? 200 : 400);
  })
  .post('/email-link', zValidator('form', linkSchema), async (c) => {
    const limited = await limitCodeEntry(c);
    if (limited) return limited;
    const row = await redeemLink(c.var.db, c.req.valid('form').token);
    if (!row) return c.html(<EmailLinkPage token="" purpose={null} />, 400);
    const sameBrowser = isSameBrowser(row, emailCodeCookie.read(c));
    if (sameBrowser) withoutCodeCookie(c);
    if (row.purpose === 'sign_up') return finishSignUp(c, row, sameBrowser);
    return finishSignIn(c, row);
  })
  // --- "Confirm it is you" with a code, for an account without a password ---
  .use('/account/confirm-code', requireUser)
  .use('/account/confirm-code/*', requireUser)
  .post('/account/confirm-code/send', async (c) => {
    const user = c.var.user!;
    // An account with a password types it on the form itself: no code to send.
    if (hasUsablePassword(user.passwordHash)) return c.redirect(safeNextPath(c.req.query('next'), '/account'), 303);
    const limited = await limitCodeMail(c);
    if (limited) return limited;
    const result = await requestStepUpCode(c.var.db, user);
    if (!result.ok) return tooManyRequests(c, result.retryAfterSeconds);
    mailAfterResponse(c, () => stepUpCodeMessage(user.email, user.username, formatCode(result.issued.code)));
    emailCodeCookie.set(c, result.issued.browserToken, result.issued.expiresAt);
    const next = safeNextPath(c.req.query('next'), '/account');
    return c.redirect(`${CODE_PAGES.step_up}?next=${encodeURIComponent(next)}`, 303);
  })
  .get(CODE_PAGES.step_up, (c) => showCodePage(c, 'step_up'))
  .post(
    CODE_PAGES.step_up,
    zValidator('form', codeSchema, (result, c) => {
      if (!result.success) return showCodePage(c as Context<AppEnv>, 'step_up', { status: 422, errors: fieldErrors(result.error) });
    }),
    async (c) => {
      const user = c.var.user!;
      const result = await confirmIdentityWithCode(c.var.db, { id: user.id, sessionId: c.var.session!.id }, emailCodeCookie.read(c), c.req.valid('form').code, requestContext(c));
      if (!result.ok && result.reason === 'locked') return tooManyRequests(c, result.retryAfterSeconds);
      if (!result.ok) return codeRefused(c, 'step_up', result);
      withoutCodeCookie(c);
      setFlash(c, { kind: 'success', message: c.var.i18n.t('auth.emailCode.confirmed') });
      return c.redirect(safeNextPath(c.req.query('next'), '/account'), 303);
    },
  );
