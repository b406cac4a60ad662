import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from '@oslojs/encoding';
import type { Db } from '../db/client';
import { authChallenges } from '../db/schema';
import { derivedHmacKey } from '../crypto/sealed-json';
import { sha256Hex } from '../crypto/sha256';
import { WEBAUTHN_CHALLENGE_LIFETIME_MS, type AnsweredChallenge, type IssuedChallenge } from './webauthn-challenges';

// Passkey sign-in challenges. The sign-in page asks for one on every view (autofill needs
// it ready), for anyone, so issuing one must not write: the browser's cookie carries the
// challenge, its expiry and an HMAC over both, and nothing is stored. The challenge is
// spent when it is answered: its hash goes into auth_challenges with ON CONFLICT DO
// NOTHING, so a second answer to the same challenge finds it there and is refused.

const PURPOSE = 'webauthn_sign_in';
const encoder = new TextEncoder();
// An HMAC key of its own, derived from the app's second-factor secret (src/crypto/sealed-json.ts).
export function challengeSigningKey(secret: Uint8Array): Promise<CryptoKey> {
  return derivedHmacKey(secret, 'edge-accounts passkey sign-in challenge');
}

function signedPart(challenge: string, expiresAt: number): Uint8Array {
  return encoder.encode(`${PURPOSE}.${challenge}.${expiresAt}`);
}

export async function issueSignInChallenge(key: CryptoKey, now = Date.now()): Promise<IssuedChallenge> {
  const challenge = crypto.getRandomValues(new Uint8Array(32));
  const expiresAt = now + WEBAUTHN_CHALLENGE_LIFETIME_MS;
  const encoded = encodeBase64urlNoPadding(challenge);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, signedPart(encoded, expiresAt)));
  return { token: `${encoded}.${expiresAt}.${encodeBase64urlNoPadding(mac)}`, challenge, expiresAt };
}

// The challenge a browser's cookie vouches for, spent by this call; null if the cookie is
// forged, expired or already used.
export async function redeemSignInChallenge(db: Db, key: CryptoKey, token: string | undefined, now = Date.now()): Promise<AnsweredChallenge | null> {
  const match = token ? /^([A-Za-z0-9_-]{43})\.(\d{13})\.([A-Za-z0-9_-]{43})$/.exec(token) : null;
  if (!match) return null;
  const [, encoded, expires, mac] = match;
  const expiresAt = Number(expires);
  // crypto.subtle.verify compares in constant time.
  if (!(await crypto.subtle.verify('HMAC', key, decodeBase64urlIgnorePadding(mac!), signedPart(encoded!, expiresAt)))) return null;
  if (expiresAt <= now) return null;
  const spent = await db
    .insert(authChallenges)
    .values({ id: `spent:${sha256Hex(encoded!)}`, purpose: `${PURPOSE}_spent`, userId: null, secretHash: '', createdAt: now, expiresAt })
    .onConflictDoNothing()
    .returning({ id: authChallenges.id })
    .get();
  return spent ? { challenge: decodeBase64urlIgnorePadding(encoded!), userId: null } : null;
}
