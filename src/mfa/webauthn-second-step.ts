import type { PendingSignIn } from './pending-sign-in';
import type { RelyingParty } from './webauthn';
import { checkAccountPasskeyAnswer, startAccountPasskeyChallenge, type AccountPasskeyCheck, type ChallengeOwner } from './account-passkey-challenge';
import type { AssertionAnswer, RequestOptionsJSON } from './webauthn-sign-in';

// A passkey as the second step of a sign-in (after a provider, for one): the account is
// known, so the options list only its passkeys. The challenge belongs to the pending
// sign-in (src/mfa/account-passkey-challenge.ts): only the browser whose cookie proves the
// pending sign-in can ask for or answer it, and it cannot outlive the pending sign-in.

const PURPOSE = 'webauthn_second_step';

function ownerOf(pending: Pick<PendingSignIn, 'id' | 'userId'> & { expiresAt?: number }): ChallengeOwner {
  return { rowId: `${PURPOSE}:${pending.id}`, purpose: PURPOSE, userId: pending.userId, notAfter: pending.expiresAt };
}

// Null when the account has no passkey to ask for.
export function startPasskeySecondStep(db: Parameters<typeof startAccountPasskeyChallenge>[0], rp: RelyingParty, pending: PendingSignIn, now = Date.now()): Promise<RequestOptionsJSON | null> {
  return startAccountPasskeyChallenge(db, rp, ownerOf(pending), now);
}

export type PasskeySecondStepCheck = AccountPasskeyCheck;

export function checkPasskeySecondStep(
  db: Parameters<typeof checkAccountPasskeyAnswer>[0],
  rp: RelyingParty,
  pending: Pick<PendingSignIn, 'id' | 'userId'>,
  answer: AssertionAnswer,
  now = Date.now(),
): Promise<PasskeySecondStepCheck> {
  return checkAccountPasskeyAnswer(db, rp, ownerOf(pending), answer, now);
}
