import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { users, type UserRow } from '../db/schema';
import { accountThrottleKey, loginLockedForSeconds, recordLoginFailure } from '../auth/rate-limits';
import { securityEvent, type RequestContext } from '../users/security-events';
import { consumePendingSignIn, findPendingSignIn, type PendingSignIn } from './pending-sign-in';
import { countUnusedRecoveryCodes, useRecoveryCode } from './recovery-codes';
import { useTotpCode } from './totp-credentials';

export type SecondFactorMethod = 'totp' | 'recovery_code';

export type SecondStepResult =
  | { ok: true; user: UserRow; firstFactor: string; providerName?: string; next?: string; method: SecondFactorMethod; recoveryCodesLeft?: number }
  | { ok: false; reason: 'expired' }
  | { ok: false; reason: 'locked'; retryAfterSeconds: number }
  | { ok: false; reason: 'wrong' };

// The pending sign-in's user, if the sign-in may still go on: active, and nothing that
// ends every session (a password reset, "this wasn't me") happened since the password step.
export async function findPendingUser(db: Db, pending: PendingSignIn): Promise<UserRow | null> {
  const user = await db.select().from(users).where(eq(users.id, pending.userId)).get();
  if (!user || !user.isActive || user.sessionsValidAfter > pending.createdAt) return null;
  return user;
}

// The second step of a sign-in. A wrong code counts toward the account's lockout (the one
// password confirmations count toward) and is recorded; a right one is used up, then the
// pending sign-in, and src/sign-in completes the sign-in.
export async function verifySecondStep(
  db: Db,
  key: CryptoKey,
  token: string | undefined,
  input: { method: SecondFactorMethod; code: string },
  context: RequestContext = {},
  now = Date.now(),
): Promise<SecondStepResult> {
  const pending = await findPendingSignIn(db, token, now);
  const user = pending ? await findPendingUser(db, pending) : null;
  if (!pending || !user) return { ok: false, reason: 'expired' };
  const throttleKey = accountThrottleKey(user.id);
  const lockedFor = await loginLockedForSeconds(db, throttleKey, now);
  if (lockedFor > 0) return { ok: false, reason: 'locked', retryAfterSeconds: lockedFor };

  const accepted =
    input.method === 'totp' ? await useTotpCode(db, key, user.id, input.code, now) : await useRecoveryCode(db, user.id, input.code, context, now);
  if (!accepted) {
    await recordLoginFailure(db, throttleKey, now);
    await securityEvent(db, { type: 'sign_in_second_factor_failed', userId: user.id, details: { method: input.method } }, context, now);
    return { ok: false, reason: 'wrong' };
  }
  const used = await consumePendingSignIn(db, token, now);
  if (!used) return { ok: false, reason: 'expired' };
  const recoveryCodesLeft = input.method === 'recovery_code' ? await countUnusedRecoveryCodes(db, user.id) : undefined;
  return { ok: true, user, firstFactor: used.firstFactor, providerName: used.providerName, next: used.next, method: input.method, recoveryCodesLeft };
}
