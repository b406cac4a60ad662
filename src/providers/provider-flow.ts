import { encodeBase64urlNoPadding } from '@oslojs/encoding';
import { derivedHmacKey, openSealedJson, sealJson } from '../crypto/sealed-json';

// What a sign-in at a provider must remember between leaving for the provider and coming
// back: state, the PKCE verifier, the nonce, and what the trip is for. Starting a trip is
// open to anyone (a button on the sign-in page), so it writes nothing: the browser keeps
// this in a short-lived cookie, with an expiry and an HMAC over everything. The HMAC is what
// makes the 10-minute limit, the provider the trip went to and the account a link is for
// trustworthy when they come back; the random values alone could not carry those.

export const PROVIDER_FLOW_LIFETIME_MS = 10 * 60 * 1000;
// The cookie outlives the flow a little, so a late return reads "expired", not "no cookie".
export const PROVIDER_FLOW_COOKIE_MAX_AGE_SECONDS = 15 * 60;

// 'confirm': a signed-in person without a password proving again who they are.
export type ProviderFlowIntent = 'sign-in' | 'link' | 'confirm';

export interface ProviderFlow {
  providerId: string;
  intent: ProviderFlowIntent;
  // For 'link' and 'confirm': the account the trip is for.
  userId?: string;
  // Where to go afterwards (a same-origin path, checked by the caller).
  next?: string;
  state: string;
  codeVerifier: string;
  nonce: string;
  expiresAt: number;
}

export type ProviderFlowCheck = { ok: true; flow: ProviderFlow } | { ok: false; reason: 'state-expired' | 'state-mismatch'; detail: string };

// An HMAC key of its own, derived from the app's MFA_ENCRYPTION_KEY (src/crypto/sealed-json.ts).
export function providerFlowKey(secret: Uint8Array): Promise<CryptoKey> {
  return derivedHmacKey(secret, 'edge-accounts provider sign-in flow');
}

export function sealProviderFlow(key: CryptoKey, flow: ProviderFlow): Promise<string> {
  return sealJson(key, flow);
}

// The flow a callback belongs to: the cookie must be intact, for this provider, not expired,
// and its state must equal the one the provider sent back.
export async function openProviderFlow(
  key: CryptoKey,
  cookie: string | undefined,
  expected: { providerId: string; state: string | null },
  now = Date.now(),
): Promise<ProviderFlowCheck> {
  // A browser drops the cookie after its Max-Age: by far the likeliest reason it is gone.
  if (!cookie) return { ok: false, reason: 'state-expired', detail: 'no flow cookie' };
  const opened = await openSealedJson<ProviderFlow>(key, cookie);
  if (!opened.ok) {
    return { ok: false, reason: 'state-mismatch', detail: opened.reason === 'malformed' ? 'malformed flow cookie' : 'flow cookie signature does not match' };
  }
  const flow = opened.value;
  if (flow.providerId !== expected.providerId) return { ok: false, reason: 'state-mismatch', detail: `flow started for provider "${flow.providerId}"` };
  if (flow.expiresAt <= now) return { ok: false, reason: 'state-expired', detail: 'flow older than 10 minutes' };
  // The state travels in URLs anyway: no secret to protect with a constant-time compare.
  if (!expected.state || expected.state !== flow.state) return { ok: false, reason: 'state-mismatch', detail: 'state differs from the flow cookie' };
  return { ok: true, flow };
}

export function newProviderFlow(providerId: string, options: { intent: ProviderFlowIntent; userId?: string; next?: string }, now = Date.now()): ProviderFlow {
  const random = () => encodeBase64urlNoPadding(crypto.getRandomValues(new Uint8Array(32)));
  return {
    providerId,
    intent: options.intent,
    ...(options.userId ? { userId: options.userId } : {}),
    ...(options.next ? { next: options.next } : {}),
    state: random(),
    codeVerifier: random(),
    nonce: random(),
    expiresAt: now + PROVIDER_FLOW_LIFETIME_MS,
  };
}
