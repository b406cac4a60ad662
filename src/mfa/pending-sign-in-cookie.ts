import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from '../app-env';

// The pending sign-in's token: HttpOnly, SameSite=Lax, and sent only to the second-step
// pages. It is not a session cookie: nothing else in the app reads it.
export const SECOND_STEP_PATH = '/login/two-factor';

function cookieName(secure: boolean): string {
  return secure ? '__Secure-pending_sign_in' : 'pending_sign_in';
}

export function readPendingSignInCookie(c: Context<AppEnv>): string | undefined {
  return getCookie(c, cookieName(c.var.config.secure));
}

export function setPendingSignInCookie(c: Context<AppEnv>, token: string, expiresAt: number): void {
  const secure = c.var.config.secure;
  setCookie(c, cookieName(secure), token, {
    path: SECOND_STEP_PATH,
    httpOnly: true,
    secure,
    sameSite: 'Lax',
    maxAge: Math.max(0, Math.floor((expiresAt - Date.now()) / 1000)),
  });
}

export function deletePendingSignInCookie(c: Context<AppEnv>): void {
  const secure = c.var.config.secure;
  deleteCookie(c, cookieName(secure), { path: SECOND_STEP_PATH, secure, httpOnly: true, sameSite: 'Lax' });
}
