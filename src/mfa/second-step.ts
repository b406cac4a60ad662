import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { users, type UserRow } from '../db/schema';
import { accountThrottleKey, loginLockedForSeconds, recordLoginFailure } from '../auth/rate-limits';
import { securityEvent, type RequestContext } from '../users/security-events';
import { consumePendingSignIn, findPendingSignIn, type PendingSignIn } from './pending-sign-in';
import { countUnusedRecoveryCodes, useRecoveryCode } from './recovery-codes';
import { isTotpEnabled, useTotpCode } from './totp-credentials';
import type { RelyingParty } from './webauthn';
import { checkPasskeySecondStep, startPasskeySecondStep } from './webauthn-second-step';
import type { AssertionAnswer, RequestOptionsJSON } from './webauthn-sign-in';

export type SecondFactorMethod = 'totp' | 'recovery_code' | 'passkey';

// What the person presents: a code (the app's needs the key its secret is sealed with),
// or a passkey's answer to the challenge of startSecondStepWithPasskey.
export type SecondFactorProof =
  | { method: 'totp' | 'recovery_code'; code: string; key: CryptoKey }
  | { method: 'passkey'; answer: AssertionAnswer; rp: RelyingParty };

export type SecondStepResult =
  | { ok: true; user: UserRow; firstFactor: string; providerName?: string; next?: string; method: SecondFactorMethod; recoveryCodesLeft?: number }
  | { ok: false; reason: 'expired' }
  | { ok: false; reason: 'locked'; retryAfterSeconds: number }
  | { ok: false; reason: 'wrong' }
  // A passkey answer with no challenge to match (never asked, timed out, or already answered).
  | { ok: false; reason: 'no-challenge' }
  // A code for an account without the authenticator app.
  | { ok: false; reason: 'no-app' };

// The pending sign-in's user, if the sign-in may still go on: active, and nothing that
// ends every session (a password reset, "this wasn't me") happened since the password step.
export async function findPendingUser(db: Db, pending: PendingSignIn): Promise<UserRow | null> {
  const user = await db.select().from(users).where(eq(users.id, pending.userId)).get();
  if (!user || !user.isActive || user.sessionsValidAfter > pending.createdAt) return null;
  return user;
}

export type PasskeyOptionsResult = { ok: true; options: RequestOptionsJSON } | { ok: false; reason: 'expired' | 'no-passkey' };

// The options for "Use your passkey": only the pending sign-in's account's passkeys, and a
// challenge bound to the pending sign-in.
export async function startSecondStepWithPasskey(db: Db, rp: RelyingParty, token: string | undefined, now = Date.now()): Promise<PasskeyOptionsResult> {
  const pending = await findPendingSignIn(db, token, now);
  if (!pending || !(await findPendingUser(db, pending))) return { ok: false, reason: 'expired' };
  const options = await startPasskeySecondStep(db, rp, pending, now);
  return options ? { ok: true, options } : { ok: false, reason: 'no-passkey' };
}

async function checkProof(db: Db, pending: PendingSignIn, proof: SecondFactorProof, context: RequestContext, now: number) {
  switch (proof.method) {
    case 'totp':
      return (await useTotpCode(db, proof.key, pending.userId, proof.code, now)) ? 'accepted' : 'wrong';
    case 'recovery_code':
      return (await useRecoveryCode(db, pending.userId, proof.code, context, now)) ? 'accepted' : 'wrong';
    case 'passkey':
      return checkPasskeySecondStep(db, proof.rp, pending, proof.answer, now);
  }
}

// The second step of a sign-in. A wrong code or passkey counts toward the account's
// lockout (the one password confirmations count toward) and is recorded; a right one is
// used up, then the pending sign-in, and src/sign-in completes the sign-in.
export async function verifySecondStep(
  db: Db,
  token: string | undefined,
  proof: SecondFactorProof,
  context: RequestContext = {},
  now = Date.now(),
): Promise<SecondStepResult> {
  const pending = await findPendingSignIn(db, token, now);
  const user = pending ? await findPendingUser(db, pending) : null;
  if (!pending || !user) return { ok: false, reason: 'expired' };
  // No app to take a code from (a passkey-only account): no code is checked or counted.
  if (proof.method !== 'passkey' && !(await isTotpEnabled(db, user.id))) return { ok: false, reason: 'no-app' };
  const throttleKey = accountThrottleKey(user.id);
  const lockedFor = await loginLockedForSeconds(db, throttleKey, now);
  if (lockedFor > 0) return { ok: false, reason: 'locked', retryAfterSeconds: lockedFor };

  const checked = await checkProof(db, pending, proof, context, now);
  if (checked === 'no-challenge') return { ok: false, reason: 'no-challenge' };
  if (checked === 'wrong') {
    await recordLoginFailure(db, throttleKey, now);
    await securityEvent(db, { type: 'sign_in_second_factor_failed', userId: user.id, details: { method: proof.method } }, context, now);
    return { ok: false, reason: 'wrong' };
  }
  const used = await consumePendingSignIn(db, token, now);
  if (!used) return { ok: false, reason: 'expired' };
  const recoveryCodesLeft = proof.method === 'recovery_code' ? await countUnusedRecoveryCodes(db, user.id) : undefined;
  return { ok: true, user, firstFactor: used.firstFactor, providerName: used.providerName, next: used.next, method: proof.method, recoveryCodesLeft };
}
