import type { Context } from 'hono';
import type { AppEnv } from './app-env';
import { defineCookie, type AppCookie } from './cookies';
import type { WebAuthnPurpose } from '../mfa/webauthn-challenges';

// The browser's half of a WebAuthn challenge (src/mfa/webauthn-challenges.ts): HttpOnly,
// SameSite=Strict, as long as the challenge lives. One cookie per purpose, so adding a
// passkey and signing in never clash.
const COOKIES: Record<WebAuthnPurpose, AppCookie> = {
  webauthn_register: defineCookie({ name: 'webauthn_register', sameSite: 'Strict', httpOnly: true }),
  webauthn_sign_in: defineCookie({ name: 'webauthn_sign_in', sameSite: 'Strict', httpOnly: true }),
};

export function readWebAuthnCookie(c: Context<AppEnv>, purpose: WebAuthnPurpose): string | undefined {
  return COOKIES[purpose].read(c);
}

export function setWebAuthnCookie(c: Context<AppEnv>, purpose: WebAuthnPurpose, token: string, expiresAt: number): void {
  COOKIES[purpose].set(c, token, expiresAt);
}

export function deleteWebAuthnCookie(c: Context<AppEnv>, purpose: WebAuthnPurpose): void {
  COOKIES[purpose].delete(c);
}
