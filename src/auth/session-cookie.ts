import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from '../app-env';

// __Host- pins the cookie to this exact origin over https; it needs Secure, which
// browsers refuse on plain http, so local development uses a plain name.
export function sessionCookieName(secure: boolean): string {
  return secure ? '__Host-session' : 'session';
}

export function readSessionCookie(c: Context<AppEnv>): string | undefined {
  return getCookie(c, sessionCookieName(c.var.config.secure));
}

export function setSessionCookie(c: Context<AppEnv>, token: string, expiresAt: number): void {
  const secure = c.var.config.secure;
  setCookie(c, sessionCookieName(secure), token, {
    path: '/',
    httpOnly: true,
    secure,
    sameSite: 'Lax',
    maxAge: Math.max(0, Math.floor((expiresAt - Date.now()) / 1000)),
  });
}

export function deleteSessionCookie(c: Context<AppEnv>): void {
  const secure = c.var.config.secure;
  deleteCookie(c, sessionCookieName(secure), { path: '/', secure, httpOnly: true, sameSite: 'Lax' });
}
