import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from '../app-env';
import type { WebAuthnPurpose } from './webauthn-challenges';

// The browser's half of a WebAuthn challenge (src/mfa/webauthn-challenges.ts): HttpOnly,
// SameSite=Strict, as long as the challenge lives, and sent only to the paths that
// answer it. One cookie per purpose, so adding a passkey and signing in never clash.
const PATHS: Record<WebAuthnPurpose, string> = {
  webauthn_register: '/account/security/passkeys',
  webauthn_sign_in: '/login/passkey',
};

function cookieName(purpose: WebAuthnPurpose, secure: boolean): string {
  return `${secure ? '__Secure-' : ''}${purpose}`;
}

export function readWebAuthnCookie(c: Context<AppEnv>, purpose: WebAuthnPurpose): string | undefined {
  return getCookie(c, cookieName(purpose, c.var.config.secure));
}

export function setWebAuthnCookie(c: Context<AppEnv>, purpose: WebAuthnPurpose, token: string, expiresAt: number): void {
  const secure = c.var.config.secure;
  setCookie(c, cookieName(purpose, secure), token, {
    path: PATHS[purpose],
    httpOnly: true,
    secure,
    sameSite: 'Strict',
    maxAge: Math.max(0, Math.floor((expiresAt - Date.now()) / 1000)),
  });
}

export function deleteWebAuthnCookie(c: Context<AppEnv>, purpose: WebAuthnPurpose): void {
  const secure = c.var.config.secure;
  deleteCookie(c, cookieName(purpose, secure), { path: PATHS[purpose], secure, httpOnly: true, sameSite: 'Strict' });
}
