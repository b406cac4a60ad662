import { looksLikeEmail, normalizeEmail, EMAIL_MAX_LENGTH } from '../users/identity';
import type { ProviderFlow } from './provider-flow';

// Who the provider says the person is. The identity is (issuer, subject), never the address.
export interface ProviderClaims {
  providerId: string;
  issuer: string;
  subject: string;
  // Normalised; null when the provider gave none (or nothing that looks like an address).
  email: string | null;
  emailVerified: boolean;
  preferredUsername: string | null;
  name: string | null;
}

// Each refusal gets its own page: what happened and what to do next.
export type ProviderRefusalReason =
  | 'cancelled' // the person said no at the provider (error=access_denied)
  | 'state-expired' // the trip took more than 10 minutes, or the cookie is gone
  | 'state-mismatch' // the callback does not belong to a trip this browser started
  | 'provider-unreachable' // network error, timeout or 5xx: try again later
  | 'provider-error' // a nonsense answer, a failed check, a replayed code
  | 'email-missing'; // an address is needed (new account or linking) and none was given

export type ProviderCallbackResult =
  | { ok: true; claims: ProviderClaims; flow: ProviderFlow }
  // detail is for the log, never for the page; flow is there when the cookie was intact.
  | { ok: false; reason: ProviderRefusalReason; detail: string; flow?: ProviderFlow };

export interface ProviderDeps {
  // MFA_ENCRYPTION_KEY: the flow cookie's HMAC key is derived from it.
  secret: Uint8Array;
  // Tests only: to count or redirect what the module fetches.
  fetch?: typeof fetch;
}

export type ProviderStartResult =
  | {
      ok: true;
      // Where to send the browser.
      url: URL;
      // The value of the short-lived flow cookie (SameSite=Lax: the return is a cross-site navigation).
      flowCookie: string;
      expiresAt: number;
    }
  | { ok: false; reason: 'provider-unreachable' | 'provider-error'; detail: string };

export function readAddress(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const email = normalizeEmail(value);
  return email.length <= EMAIL_MAX_LENGTH && looksLikeEmail(email) ? email : null;
}

export function readText(value: unknown, maxLength = 200): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, maxLength) : null;
}
