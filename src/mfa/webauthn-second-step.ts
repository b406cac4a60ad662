import { encodeBase64urlNoPadding } from '@oslojs/encoding';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { authChallenges, passkeys } from '../db/schema';
import type { PendingSignIn } from './pending-sign-in';
import { parseTransports, toStoredPasskey } from './passkeys';
import { verifyAssertion, type RelyingParty } from './webauthn';
import { WEBAUTHN_CHALLENGE_LIFETIME_MS, readStoredChallenge } from './webauthn-challenges';
import { recordPasskeyUse, sameUser, type AssertionAnswer, type RequestOptionsJSON } from './webauthn-sign-in';

// A passkey as the second step of a sign-in (after a provider, for one): the account is
// known, so the options list only its passkeys. The challenge belongs to the pending
// sign-in: stored under the pending sign-in's id, one at a time (asking again replaces
// it), so only the browser whose cookie proves the pending sign-in can ask for or answer
// it, and it needs no cookie of its own. It cannot outlive its pending sign-in.

const PURPOSE = 'webauthn_second_step';

function challengeRowId(pending: Pick<PendingSignIn, 'id'>): string {
  return `${PURPOSE}:${pending.id}`;
}

// Null when the account has no passkey to ask for.
export async function startPasskeySecondStep(db: Db, rp: RelyingParty, pending: PendingSignIn, now = Date.now()): Promise<RequestOptionsJSON | null> {
  const keys = await db.select({ id: passkeys.id, transports: passkeys.transports }).from(passkeys).where(eq(passkeys.userId, pending.userId)).all();
  if (keys.length === 0) return null;
  const challenge = encodeBase64urlNoPadding(crypto.getRandomValues(new Uint8Array(32)));
  const expiresAt = Math.min(now + WEBAUTHN_CHALLENGE_LIFETIME_MS, pending.expiresAt);
  const data = JSON.stringify({ challenge });
  await db
    .insert(authChallenges)
    .values({ id: challengeRowId(pending), purpose: PURPOSE, userId: pending.userId, secretHash: '', data, createdAt: now, expiresAt })
    .onConflictDoUpdate({ target: authChallenges.id, set: { data, createdAt: now, expiresAt } });
  return {
    challenge,
    rpId: rp.id,
    timeout: expiresAt - now,
    userVerification: 'required',
    allowCredentials: keys.map((key) => ({ type: 'public-key', id: key.id, transports: parseTransports(key.transports) })),
  };
}

export type PasskeySecondStepCheck = 'accepted' | 'wrong' | 'no-challenge';

// The challenge is used up whatever happens next (DELETE ... RETURNING), so an answer
// counts once. A passkey of another account, or one since removed, is a wrong answer like
// a wrong code; the caller counts it toward the account's lockout.
export async function checkPasskeySecondStep(
  db: Db,
  rp: RelyingParty,
  pending: Pick<PendingSignIn, 'id' | 'userId'>,
  answer: AssertionAnswer,
  now = Date.now(),
): Promise<PasskeySecondStepCheck> {
  const row = await db
    .delete(authChallenges)
    .where(and(eq(authChallenges.id, challengeRowId(pending)), eq(authChallenges.purpose, PURPOSE)))
    .returning()
    .get();
  const challenge = row && row.userId === pending.userId && row.expiresAt > now ? readStoredChallenge(row.data) : null;
  if (!challenge) return 'no-challenge';
  const found = await db
    .select()
    .from(passkeys)
    .where(and(eq(passkeys.id, answer.credentialId), eq(passkeys.userId, pending.userId)))
    .get();
  const stored = found ? toStoredPasskey(found) : null;
  if (!stored || !sameUser(answer.userHandle, stored.userId)) return 'wrong';
  const verified = await verifyAssertion(answer, { rp, challenge }, stored);
  if (!verified.ok) return 'wrong';
  return (await recordPasskeyUse(db, stored, verified, now)) ? 'accepted' : 'wrong';
}
