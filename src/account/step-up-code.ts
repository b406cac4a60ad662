import { recordIdentityConfirmation } from '../auth/identity-confirmation';
import { issueEmailCode, redeemCode, type IssuedEmailCode } from '../auth/email-codes';
import { accountThrottleKey, loginLockedForSeconds, recordLoginFailure, takeAddressMailAllowance } from '../auth/rate-limits';
import type { Db } from '../db/client';
import type { UserRow } from '../db/schema';
import type { RequestContext } from '../users/security-events';

// "Confirm it is you" with a code sent to the account's address: the step-up of an account
// without a password (src/auth/password-confirmation.ts), like a return from a linked
// provider. The code counts for this session only, for 10 minutes; wrong codes count
// toward the account's lockout, like wrong passwords.

export const EMAILED_CODE_CONFIRMATION = { provider: 'email', providerName: 'a code sent by email' } as const;

export type StepUpCodeRequest = { ok: true; issued: IssuedEmailCode } | { ok: false; reason: 'limited'; retryAfterSeconds: number };

export async function requestStepUpCode(db: Db, user: Pick<UserRow, 'id' | 'email'>, now = Date.now()): Promise<StepUpCodeRequest> {
  const allowance = await takeAddressMailAllowance(db, user.email, now);
  if (!allowance.ok) return { ok: false, reason: 'limited', retryAfterSeconds: allowance.retryAfterSeconds };
  return { ok: true, issued: await issueEmailCode(db, { purpose: 'step_up', email: user.email, userId: user.id, live: true }, now) };
}

export type StepUpCodeResult =
  | { ok: true }
  | { ok: false; reason: 'expired' }
  | { ok: false; reason: 'wrong'; attemptsLeft: number }
  | { ok: false; reason: 'locked'; retryAfterSeconds: number };

export async function confirmIdentityWithCode(
  db: Db,
  user: { id: string; sessionId: string },
  browserToken: string | undefined,
  typed: string,
  context: RequestContext = {},
  now = Date.now(),
): Promise<StepUpCodeResult> {
  const throttleKey = accountThrottleKey(user.id);
  const lockedFor = await loginLockedForSeconds(db, throttleKey, now);
  if (lockedFor > 0) return { ok: false, reason: 'locked', retryAfterSeconds: lockedFor };
  const redeemed = await redeemCode(db, browserToken, 'step_up', typed, now);
  if (!redeemed.ok) {
    if (redeemed.reason === 'wrong') await recordLoginFailure(db, throttleKey, now);
    return redeemed;
  }
  // A code for another account (a browser shared between two) confirms nothing here.
  if (redeemed.row.userId !== user.id) return { ok: false, reason: 'expired' };
  await recordIdentityConfirmation(db, user.id, user.sessionId, EMAILED_CODE_CONFIRMATION, context, now);
  return { ok: true };
}
