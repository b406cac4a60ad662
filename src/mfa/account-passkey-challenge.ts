import { encodeBase64urlNoPadding } from '@oslojs/encoding';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { authChallenges, passkeys } from '../db/schema';
import { parseTransports, toStoredPasskey } from './passkeys';
import { verifyAssertion, type RelyingParty } from './webauthn';
import { WEBAUTHN_CHALLENGE_LIFETIME_MS, readStoredChallenge } from './webauthn-challenges';
import { recordPasskeyUse, sameUser, type AssertionAnswer, type RequestOptionsJSON } from './webauthn-sign-in';

// A challenge for the passkeys of one known account (a sign-in's second step, a signed-in
// person confirming it is them). It is stored under an id derived from what it belongs to
// (the pending sign-in, the session), one at a time (asking again replaces it), so only
// whoever holds that can ask for or answer it, and it needs no cookie of its own.

export interface ChallengeOwner {
  // The auth_challenges row id and purpose.
  rowId: string;
  purpose: string;
  userId: string;
  // The challenge cannot outlive what it belongs to.
  notAfter?: number;
}

// Null when the account has no passkey to ask for. The person must be verified
// (biometrics or device PIN), as at sign-in.
export async function startAccountPasskeyChallenge(db: Db, rp: RelyingParty, owner: ChallengeOwner, now = Date.now()): Promise<RequestOptionsJSON | null> {
  const keys = await db.select({ id: passkeys.id, transports: passkeys.transports }).from(passkeys).where(eq(passkeys.userId, owner.userId)).all();
  if (keys.length === 0) return null;
  const challenge = encodeBase64urlNoPadding(crypto.getRandomValues(new Uint8Array(32)));
  const expiresAt = Math.min(now + WEBAUTHN_CHALLENGE_LIFETIME_MS, owner.notAfter ?? Infinity);
  const data = JSON.stringify({ challenge });
  await db
    .insert(authChallenges)
    .values({ id: owner.rowId, purpose: owner.purpose, userId: owner.userId, secretHash: '', data, createdAt: now, expiresAt })
    .onConflictDoUpdate({ target: authChallenges.id, set: { userId: owner.userId, data, createdAt: now, expiresAt } });
  return {
    challenge,
    rpId: rp.id,
    timeout: expiresAt - now,
    userVerification: 'required',
    allowCredentials: keys.map((key) => ({ type: 'public-key', id: key.id, transports: parseTransports(key.transports) })),
  };
}

export type AccountPasskeyCheck = 'accepted' | 'wrong' | 'no-challenge';

// The challenge is used up whatever happens next (DELETE ... RETURNING), so an answer
// counts once. Only a passkey of this account counts: another account's, one since
// removed, a failed signature or a counter that went back is a wrong answer (the caller
// counts it toward the account's lockout).
export async function checkAccountPasskeyAnswer(db: Db, rp: RelyingParty, owner: ChallengeOwner, answer: AssertionAnswer, now = Date.now()): Promise<AccountPasskeyCheck> {
  const row = await db
    .delete(authChallenges)
    .where(and(eq(authChallenges.id, owner.rowId), eq(authChallenges.purpose, owner.purpose)))
    .returning()
    .get();
  const challenge = row && row.userId === owner.userId && row.expiresAt > now ? readStoredChallenge(row.data) : null;
  if (!challenge) return 'no-challenge';
  const found = await db
    .select()
    .from(passkeys)
    .where(and(eq(passkeys.id, answer.credentialId), eq(passkeys.userId, owner.userId)))
    .get();
  const stored = found ? toStoredPasskey(found) : null;
  if (!stored || !sameUser(answer.userHandle, stored.userId)) return 'wrong';
  const verified = await verifyAssertion(answer, { rp, challenge }, stored);
  if (!verified.ok) return 'wrong';
  return (await recordPasskeyUse(db, stored, verified, now)) ? 'accepted' : 'wrong';
}
