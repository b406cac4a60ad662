import type { Context } from 'hono';
import type { AppEnv } from './app-env';
import { defineCookie } from './cookies';

const sessionCookie = defineCookie({ name: 'session', sameSite: 'Lax', httpOnly: true });

export function sessionCookieName(secure: boolean): string {
  return sessionCookie.nameFor(secure);
}

export function readSessionCookie(c: Context<AppEnv>): string | undefined {
  return sessionCookie.read(c);
}

// The token and the expiry it is written with (seconds, base 36): the next requests tell
// from it whether the session needs renewing (src/auth/session.ts, renewalDue).
export function setSessionCookie(c: Context<AppEnv>, token: string, expiresAt: number): void {
  sessionCookie.set(c, `${token}.${Math.floor(expiresAt / 1000).toString(36)}`, expiresAt);
}

export function deleteSessionCookie(c: Context<AppEnv>): void {
  sessionCookie.delete(c);
}
