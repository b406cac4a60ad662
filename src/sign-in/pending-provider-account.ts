import { derivedHmacKey, openSealedJson, sealJson } from '../crypto/sealed-json';
import type { ProviderClaims } from '../providers/provider-result';

// The claims between the provider's answer and the "choose your username" form: kept in a
// short-lived cookie under an HMAC, so the browser can carry them but not change them.

export const NEW_ACCOUNT_LIFETIME_MS = 15 * 60 * 1000;

export interface PendingProviderAccount {
  claims: ProviderClaims & { email: string };
  suggestedUsername: string;
  next?: string;
  expiresAt: number;
}

// Its own key, derived from MFA_ENCRYPTION_KEY like the flow cookie's.
function pendingAccountKey(secret: Uint8Array): Promise<CryptoKey> {
  return derivedHmacKey(secret, 'edge-accounts provider new account');
}

export async function sealPendingAccount(secret: Uint8Array, pending: PendingProviderAccount): Promise<string> {
  return sealJson(await pendingAccountKey(secret), pending);
}

// Null when absent, altered, for another provider, or expired.
export async function openPendingAccount(secret: Uint8Array, cookie: string | undefined, providerId: string, now = Date.now()): Promise<PendingProviderAccount | null> {
  if (!cookie) return null;
  const opened = await openSealedJson<PendingProviderAccount>(await pendingAccountKey(secret), cookie);
  if (!opened.ok) return null;
  const pending = opened.value;
  return pending.claims.providerId === providerId && pending.expiresAt > now ? pending : null;
}
