import type { Context } from 'hono';
import type { AppEnv } from './app-env';
import { defineCookie } from './cookies';

// The pending sign-in's token: HttpOnly, SameSite=Lax, for the second-step pages. It is
// not a session cookie: nothing else in the app reads it.
export const SECOND_STEP_PATH = '/login/two-factor';

const pendingSignInCookie = defineCookie({ name: 'pending_sign_in', sameSite: 'Lax', httpOnly: true });

export function readPendingSignInCookie(c: Context<AppEnv>): string | undefined {
  return pendingSignInCookie.read(c);
}

export function setPendingSignInCookie(c: Context<AppEnv>, token: string, expiresAt: number): void {
  pendingSignInCookie.set(c, token, expiresAt);
}

export function deletePendingSignInCookie(c: Context<AppEnv>): void {
  pendingSignInCookie.delete(c);
}
