import type { Context } from 'hono';
import { formatCode, type EmailCodePurpose, type IssuedEmailCode } from '../auth/email-codes';
import { clientAddress, takeClientToken } from '../auth/rate-limits';
import { requestSignUpCode } from '../auth/sign-up';
import { absoluteUrl } from '../mail/links';
import { sendQuietly } from '../mail/mailer';
import {
  signInCodeMessage,
  signInCodeNoAccountNotice,
  signInCodeResetFirstNotice,
  signUpAddressTakenNotice,
  signUpCodeMessage,
  type MailMessage,
} from '../mail/messages';
import { requestSignInCode } from '../sign-in/email-code-sign-in';
import { findUserByEmail } from '../users/user-store';
import { RegisterPage } from '../views/pages/register';
import type { AppEnv } from './app-env';
import { defineCookie } from './cookies';
import { tooManyRequests } from './too-many-requests';

// The browser's half of a code sent by email: the cookie that binds the code to the browser
// that asked, the mail (sent after the response, so what the page shows and how long it
// takes say nothing about which mail went out), and the per-client limit.

// HttpOnly, SameSite=Lax; `__Host-` over https (src/http/cookies.ts: that prefix requires
// Path=/, so the cookie is origin-bound rather than path-scoped). It outlives the code by an
// hour: "send a new code" replays the request it came from.
export const emailCodeCookie = defineCookie({ name: 'email_code', sameSite: 'Lax', httpOnly: true });
const RESEND_GRACE_MS = 60 * 60 * 1000;

export const CODE_PAGES: Record<EmailCodePurpose, string> = {
  sign_up: '/register/code',
  sign_in: '/login/code/enter',
  step_up: '/account/confirm-code',
};

// Work for after the response, started on a later turn of the event loop: whatever a
// branch needs (a lookup, composing the mail) costs the response nothing, so two branches
// that must look alike (a new and a taken address) do the same work before it.
function afterResponse(c: Context<AppEnv>, work: () => Promise<unknown>): void {
  c.executionCtx.waitUntil(new Promise((resolve) => setTimeout(resolve, 0)).then(work));
}

export function mailAfterResponse(c: Context<AppEnv>, message: () => MailMessage | null): void {
  afterResponse(c, async () => {
    const composed = message();
    if (composed) await sendQuietly(c.var.mailer(), composed);
  });
}

// Per client, before any work: every request here may send a mail.
export async function limitCodeMail(c: Context<AppEnv>): Promise<Response | null> {
  const limit = await takeClientToken(c.env.EMAIL_CODE_LIMITER, 'email-code', clientAddress(c.req.raw.headers));
  return limit.ok ? null : tooManyRequests(c, limit.retryAfterSeconds);
}

function toCodePage(c: Context<AppEnv>, purpose: EmailCodePurpose, issued: IssuedEmailCode): Response {
  emailCodeCookie.set(c, issued.browserToken, issued.expiresAt + RESEND_GRACE_MS);
  return c.redirect(CODE_PAGES[purpose], 303);
}

function linkFor(c: Context<AppEnv>, issued: IssuedEmailCode): string {
  return absoluteUrl(c.var.config, '/email-link', { token: issued.linkToken });
}

// A sign-up (SIGN_UP_CONFIRMATION=before) or its resend: the code page either way. The
// address's owner, if it has one, is told someone tried; nobody else learns it.
export async function sendSignUpCode(
  c: Context<AppEnv>,
  input: { username: string; email: string; password: { typed: string } | { hash: string | null } },
): Promise<Response> {
  const limited = await limitCodeMail(c);
  if (limited) return limited;
  const result = await requestSignUpCode(c.var.db, input);
  if (!result.ok && result.reason === 'limited') return tooManyRequests(c, result.retryAfterSeconds);
  if (!result.ok) {
    const values = { username: input.username, email: input.email };
    return c.html(<RegisterPage values={values} errors={result.errors} config={c.var.config} />, 422);
  }
  const { issued } = result;
  const config = c.var.config;
  if (result.addressTaken) {
    // The owner is greeted by their own name, never by what a stranger typed.
    afterResponse(c, async () => {
      const owner = await findUserByEmail(c.var.db, input.email);
      if (owner) await sendQuietly(c.var.mailer(), signUpAddressTakenNotice(owner.email, owner.username, absoluteUrl(config, '/login'), absoluteUrl(config, '/password-reset')));
    });
  } else {
    mailAfterResponse(c, () => signUpCodeMessage(input.email, input.username, formatCode(issued.code), linkFor(c, issued)));
  }
  return toCodePage(c, 'sign_up', issued);
}

// "Email me a sign-in code" or its resend: the code page for any address.
export async function sendSignInCode(c: Context<AppEnv>, email: string, next: string | undefined): Promise<Response> {
  const limited = await limitCodeMail(c);
  if (limited) return limited;
  const result = await requestSignInCode(c.var.db, email, next);
  if (!result.ok) return tooManyRequests(c, result.retryAfterSeconds);
  const { issued, user } = result;
  const config = c.var.config;
  const messages: Record<typeof result.mail, () => MailMessage | null> = {
    code: () => signInCodeMessage(user!.email, user!.username, formatCode(issued.code), linkFor(c, issued)),
    'reset-first': () => signInCodeResetFirstNotice(user!.email, user!.username, absoluteUrl(config, '/password-reset')),
    'no-account': () => signInCodeNoAccountNotice(email.trim(), absoluteUrl(config, '/register')),
    none: () => null,
  };
  mailAfterResponse(c, messages[result.mail]);
  return toCodePage(c, 'sign_in', issued);
}
