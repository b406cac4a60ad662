import type { Context } from 'hono';
import { safeNextPath } from '../auth/redirects';
import type { SignInDeps, SignInResult } from '../sign-in/continue-sign-in';
import type { AppEnv } from './app-env';
import { SECOND_STEP_PATH, deletePendingSignInCookie, readPendingSignInCookie, setPendingSignInCookie } from './pending-sign-in-cookie';
import { requestContext } from './request-context';
import { setSessionCookie } from './session-cookie';

// What src/sign-in needs from this request.
export function signInDeps(c: Context<AppEnv>): SignInDeps {
  return {
    db: c.var.db,
    kv: c.env.SESSIONS,
    mailer: c.var.mailer,
    config: c.var.config,
    context: requestContext(c),
    previousSession: c.var.session,
    waitUntil: (work) => c.executionCtx.waitUntil(work),
  };
}

// The browser's side of a sign-in, and where it goes next: the session cookie (any
// pending sign-in it held is over), or the pending sign-in's cookie for the second step.
function applySignIn(c: Context<AppEnv>, result: SignInResult): string {
  if (result.kind === 'second-step') {
    setPendingSignInCookie(c, result.pendingToken, result.expiresAt);
    return SECOND_STEP_PATH;
  }
  if (readPendingSignInCookie(c) !== undefined) deletePendingSignInCookie(c);
  setSessionCookie(c, result.token, result.expiresAt);
  return safeNextPath(result.next);
}

// For the HTML forms.
export function redirectAfterSignIn(c: Context<AppEnv>, result: SignInResult): Response {
  return c.redirect(applySignIn(c, result), 303);
}

// For the passkey endpoint, whose script goes where it is told.
export function jsonAfterSignIn(c: Context<AppEnv>, result: SignInResult): Response {
  return c.json({ redirect: applySignIn(c, result) });
}
