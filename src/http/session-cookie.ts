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

export function setSessionCookie(c: Context<AppEnv>, token: string, expiresAt: number): void {
  sessionCookie.set(c, token, expiresAt);
}

export function deleteSessionCookie(c: Context<AppEnv>): void {
  sessionCookie.delete(c);
}
