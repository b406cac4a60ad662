import { eq } from 'drizzle-orm';
import { recordIdentityConfirmation } from '../auth/identity-confirmation';
import { hasUsablePassword } from '../auth/password-hash';
import { accountThrottleKey, loginLockedForSeconds, recordLoginFailure } from '../auth/rate-limits';
import { sha256Hex } from '../crypto/sha256';
import type { Db } from '../db/client';
import { passkeys } from '../db/schema';
import { checkAccountPasskeyAnswer, startAccountPasskeyChallenge, type ChallengeOwner } from '../mfa/account-passkey-challenge';
import type { RelyingParty } from '../mfa/webauthn';
import type { AssertionAnswer, RequestOptionsJSON } from '../mfa/webauthn-sign-in';
import type { RequestContext } from '../users/security-events';

// "Confirm it is you" with one of the account's own passkeys: the step-up of an account
// without a password (src/auth/password-confirmation.ts), like an emailed code or a
// linked provider, for this session only, for 10 minutes. The challenge belongs to the
// signed-in session (src/mfa/account-passkey-challenge.ts), under a hash of its id.

// Not under /account/confirm/, where any provider id is taken ("passkey" is a valid one).
export const CONFIRM_PASSKEY_PATH = '/account/confirm-passkey';
export const PASSKEY_CONFIRMATION = { provider: 'passkey', providerName: 'a passkey' } as const;

const PURPOSE = 'webauthn_confirm';

interface SignedInUser {
  id: string;
  passwordHash: string;
  sessionId: string;
}

function challengeRowId(sessionId: string): string {
  return `${PURPOSE}:${sha256Hex(`passkey-confirm:${sessionId}`).slice(0, 32)}`;
}

function ownerOf(user: SignedInUser): ChallengeOwner {
  return { rowId: challengeRowId(user.sessionId), purpose: PURPOSE, userId: user.id };
}

export type PasskeyConfirmationOptions = { ok: true; options: RequestOptionsJSON } | { ok: false; reason: 'has-password' | 'no-passkey' };

// The options for the browser: only this account's passkeys.
export async function startPasskeyConfirmation(db: Db, rp: RelyingParty, user: SignedInUser, now = Date.now()): Promise<PasskeyConfirmationOptions> {
  // An account with a password types it instead: a passkey confirmation would count for nothing.
  if (hasUsablePassword(user.passwordHash)) return { ok: false, reason: 'has-password' };
  const options = await startAccountPasskeyChallenge(db, rp, ownerOf(user), now);
  return options ? { ok: true, options } : { ok: false, reason: 'no-passkey' };
}

export type PasskeyConfirmationResult =
  | { ok: true }
  | { ok: false; reason: 'has-password' | 'no-challenge' | 'wrong' }
  | { ok: false; reason: 'locked'; retryAfterSeconds: number };

// A wrong answer counts toward the account's lockout like a wrong password; once locked,
// even the right passkey is refused.
export async function confirmIdentityWithPasskey(
  db: Db,
  rp: RelyingParty,
  user: SignedInUser,
  answer: AssertionAnswer,
  context: RequestContext = {},
  now = Date.now(),
): Promise<PasskeyConfirmationResult> {
  if (hasUsablePassword(user.passwordHash)) return { ok: false, reason: 'has-password' };
  const throttleKey = accountThrottleKey(user.id);
  const lockedFor = await loginLockedForSeconds(db, throttleKey, now);
  if (lockedFor > 0) return { ok: false, reason: 'locked', retryAfterSeconds: lockedFor };
  const checked = await checkAccountPasskeyAnswer(db, rp, ownerOf(user), answer, now);
  if (checked === 'no-challenge') return { ok: false, reason: 'no-challenge' };
  if (checked === 'wrong') {
    await recordLoginFailure(db, throttleKey, now);
    return { ok: false, reason: 'wrong' };
  }
  await recordIdentityConfirmation(db, user.id, user.sessionId, PASSKEY_CONFIRMATION, context, now);
  return { ok: true };
}

// Whether /account/confirm offers "Use a passkey".
export async function hasPasskey(db: Db, userId: string): Promise<boolean> {
  return Boolean(await db.select({ id: passkeys.id }).from(passkeys).where(eq(passkeys.userId, userId)).limit(1).get());
}
