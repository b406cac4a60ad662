import { createTOTPKeyURI, generateHOTP, verifyHOTP } from '@oslojs/otp';
import { decodeBase32IgnorePadding, encodeBase32UpperCaseNoPadding } from '@oslojs/encoding';

// Time-based one-time passwords (RFC 6238) as every authenticator app makes them by
// default: HMAC-SHA1, 6 digits, 30-second steps. The code is checked one step either
// side of now, for a phone clock a little off or a code typed just as it changed.
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
export const TOTP_WINDOW_STEPS = 1;
export const TOTP_ISSUER = 'Edge Accounts';
// 160 bits, the key length RFC 4226 recommends for HMAC-SHA1.
const KEY_BYTES = 20;

export function generateTotpKey(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(KEY_BYTES));
}

export function totpStep(now: number): number {
  return Math.floor(now / 1000 / TOTP_PERIOD_SECONDS);
}

export function generateTotpCode(key: Uint8Array, now = Date.now()): string {
  return generateHOTP(key, BigInt(totpStep(now)), TOTP_DIGITS);
}

// People type "123 456" or paste "123-456".
export function normalizeTotpCode(input: string): string {
  return input.replace(/[\s-]/g, '');
}

// The time step the code belongs to, or null. Which step matched is what makes replay
// detection possible (the caller only accepts steps after the last one used).
export function matchTotpStep(key: Uint8Array, input: string, now = Date.now()): number | null {
  const code = normalizeTotpCode(input);
  if (!/^\d+$/.test(code)) return null;
  const current = totpStep(now);
  for (let step = current - TOTP_WINDOW_STEPS; step <= current + TOTP_WINDOW_STEPS; step++) {
    if (verifyHOTP(key, BigInt(step), TOTP_DIGITS, code)) return step;
  }
  return null;
}

// What the QR code holds (the otpauth:// format authenticator apps read).
export function totpKeyUri(accountName: string, key: Uint8Array): string {
  return createTOTPKeyURI(TOTP_ISSUER, accountName, key, TOTP_PERIOD_SECONDS, TOTP_DIGITS);
}

// For typing by hand: "ABCD EFGH IJKL ..." (apps ignore the spaces).
export function formatTotpKey(key: Uint8Array): string {
  return encodeBase32UpperCaseNoPadding(key).replace(/(.{4})(?=.)/g, '$1 ');
}

export function parseTotpKey(text: string): Uint8Array {
  return decodeBase32IgnorePadding(text.replace(/\s+/g, '').toUpperCase());
}
