import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from '@oslojs/encoding';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { authChallenges } from '../db/schema';
import { newIdAndSecret, secretMatches, splitToken } from '../auth/random-token';

// A WebAuthn challenge: 32 random bytes the authenticator signs over, kept in
// auth_challenges for 5 minutes and used up by the one request that answers it. The
// browser that asked holds "<row id>.<secret>" in an HttpOnly cookie (only a hash of the
// secret is stored), so a challenge read from a page cannot be answered from elsewhere.

export type WebAuthnPurpose = 'webauthn_register' | 'webauthn_sign_in';
export const WEBAUTHN_CHALLENGE_LIFETIME_MS = 5 * 60 * 1000;

export interface IssuedChallenge {
  // For the cookie.
  token: string;
  challenge: Uint8Array;
  expiresAt: number;
}

export interface AnsweredChallenge {
  challenge: Uint8Array;
  // Registration: whose challenge it is. Sign-in: null (no one is known yet).
  userId: string | null;
}

export async function createWebAuthnChallenge(db: Db, purpose: WebAuthnPurpose, userId: string | null, now = Date.now()): Promise<IssuedChallenge> {
  const { id, secretHash, token } = newIdAndSecret();
  const challenge = crypto.getRandomValues(new Uint8Array(32));
  const expiresAt = now + WEBAUTHN_CHALLENGE_LIFETIME_MS;
  await db.insert(authChallenges).values({
    id,
    purpose,
    userId,
    secretHash,
    data: JSON.stringify({ challenge: encodeBase64urlNoPadding(challenge) }),
    createdAt: now,
    expiresAt,
  });
  return { token, challenge, expiresAt };
}

// Used up whatever happens next (DELETE ... RETURNING: of two requests, one gets it).
// It is deleted before the secret is compared: only this browser's cookie carries the
// row id, so nobody else can spend it.
export async function consumeWebAuthnChallenge(db: Db, purpose: WebAuthnPurpose, token: string | undefined, now = Date.now()): Promise<AnsweredChallenge | null> {
  const parts = token ? splitToken(token) : null;
  if (!parts) return null;
  const row = await db
    .delete(authChallenges)
    .where(and(eq(authChallenges.id, parts.id), eq(authChallenges.purpose, purpose)))
    .returning()
    .get();
  if (!row || row.expiresAt <= now || !secretMatches(parts.secret, row.secretHash)) return null;
  const challenge = readStoredChallenge(row.data);
  return challenge ? { challenge, userId: row.userId } : null;
}

// The challenge bytes a row's data keeps ({"challenge": base64url}), or null.
export function readStoredChallenge(data: string | null): Uint8Array | null {
  try {
    const { challenge } = JSON.parse(data ?? '{}') as { challenge?: unknown };
    return typeof challenge === 'string' ? decodeBase64urlIgnorePadding(challenge) : null;
  } catch {
    return null;
  }
}
