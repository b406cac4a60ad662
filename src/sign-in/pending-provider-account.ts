import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from '@oslojs/encoding';
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

const encoder = new TextEncoder();
const keys = new WeakMap<Uint8Array, Promise<CryptoKey>>();

// Its own key, derived (HKDF) from MFA_ENCRYPTION_KEY like the flow cookie's.
function pendingAccountKey(secret: Uint8Array): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle
      .importKey('raw', secret, 'HKDF', false, ['deriveKey'])
      .then((base) =>
        crypto.subtle.deriveKey(
          { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: encoder.encode('edge-accounts provider new account') },
          base,
          { name: 'HMAC', hash: 'SHA-256', length: 256 },
          false,
          ['sign', 'verify'],
        ),
      );
    keys.set(secret, key);
  }
  return key;
}

export async function sealPendingAccount(secret: Uint8Array, pending: PendingProviderAccount): Promise<string> {
  const payload = encodeBase64urlNoPadding(encoder.encode(JSON.stringify(pending)));
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', await pendingAccountKey(secret), encoder.encode(payload)));
  return `${payload}.${encodeBase64urlNoPadding(mac)}`;
}

// Null when absent, altered, for another provider, or expired.
export async function openPendingAccount(secret: Uint8Array, cookie: string | undefined, providerId: string, now = Date.now()): Promise<PendingProviderAccount | null> {
  const match = cookie ? /^([A-Za-z0-9_-]{1,4000})\.([A-Za-z0-9_-]{43})$/.exec(cookie) : null;
  if (!match) return null;
  const [, payload, mac] = match;
  if (!(await crypto.subtle.verify('HMAC', await pendingAccountKey(secret), decodeBase64urlIgnorePadding(mac!), encoder.encode(payload!)))) return null;
  const pending = JSON.parse(new TextDecoder().decode(decodeBase64urlIgnorePadding(payload!))) as PendingProviderAccount;
  return pending.claims.providerId === providerId && pending.expiresAt > now ? pending : null;
}
