import type { Db } from '../db/client';
import type { UserRow } from '../db/schema';
import { verifyPassword } from '../auth/password-hash';
import { loginLockedForSeconds, loginThrottleKey, recordLoginFailure } from '../auth/rate-limits';
import { securityEvent, type RequestContext } from '../users/security-events';
import { deleteRecoveryCodes, generateRecoveryCodes, looksLikeRecoveryCode, replaceRecoveryCodes, useRecoveryCode } from './recovery-codes';
import { deleteTotpCredential, enableTotpStatement, findPendingEnrolment, isTotpEnabled, useTotpCode } from './totp-credentials';
import { matchTotpStep } from './totp';

// Turning the authenticator app on and off, and new recovery codes. Each asks for the
// password (someone holding a stolen session must not lock the owner out, or take the
// codes); a wrong password or code counts toward the account's sign-in lockout.

type Who = Pick<UserRow, 'id' | 'passwordHash'>;
export type WrongField = 'password' | 'code';

export type SettingsRefusal =
  | { ok: false; reason: 'wrong'; fields: WrongField[] }
  | { ok: false; reason: 'locked'; retryAfterSeconds: number }
  | { ok: false; reason: 'not-applicable' };

async function lockedFor(db: Db, user: Who, now: number): Promise<SettingsRefusal | null> {
  const seconds = await loginLockedForSeconds(db, loginThrottleKey(user.id, ''), now);
  return seconds > 0 ? { ok: false, reason: 'locked', retryAfterSeconds: seconds } : null;
}

async function refuse(db: Db, user: Who, fields: WrongField[], now: number): Promise<SettingsRefusal> {
  await recordLoginFailure(db, loginThrottleKey(user.id, ''), now);
  return { ok: false, reason: 'wrong', fields };
}

// The first code from the app proves it was set up right; only then is it switched on,
// with ten recovery codes (returned: shown once, stored as hashes).
export async function turnOnTotp(
  db: Db,
  key: CryptoKey,
  user: Who,
  input: { code: string; password: string },
  context: RequestContext = {},
  now = Date.now(),
): Promise<{ ok: true; recoveryCodes: string[] } | SettingsRefusal> {
  const enrolment = await findPendingEnrolment(db, key, user.id);
  if (!enrolment) return { ok: false, reason: 'not-applicable' };
  const locked = await lockedFor(db, user, now);
  if (locked) return locked;
  const passwordOk = await verifyPassword(user.passwordHash, input.password);
  const step = matchTotpStep(enrolment.totpKey, input.code, now);
  if (!passwordOk || step === null) return refuse(db, user, [...(passwordOk ? [] : ['password' as const]), ...(step === null ? ['code' as const] : [])], now);
  const recoveryCodes = generateRecoveryCodes();
  await db.batch([
    enableTotpStatement(db, user.id, enrolment, step, now),
    ...replaceRecoveryCodes(db, user.id, recoveryCodes, now),
    securityEvent(db, { type: 'two_factor_enabled', userId: user.id, details: { method: 'totp' } }, context, now),
  ]);
  return { ok: true, recoveryCodes };
}

// Needs the password and a current code from the app, or a recovery code.
export async function turnOffTwoFactor(
  db: Db,
  key: CryptoKey,
  user: Who,
  input: { code: string; password: string },
  context: RequestContext = {},
  now = Date.now(),
): Promise<{ ok: true } | SettingsRefusal> {
  if (!(await isTotpEnabled(db, user.id))) return { ok: false, reason: 'not-applicable' };
  const locked = await lockedFor(db, user, now);
  if (locked) return locked;
  // The password first: a code is only used up once the password is known to be right.
  if (!(await verifyPassword(user.passwordHash, input.password))) return refuse(db, user, ['password'], now);
  const codeOk = looksLikeRecoveryCode(input.code)
    ? await useRecoveryCode(db, user.id, input.code, context, now)
    : await useTotpCode(db, key, user.id, input.code, now);
  if (!codeOk) return refuse(db, user, ['code'], now);
  await db.batch([
    deleteTotpCredential(db, user.id),
    deleteRecoveryCodes(db, user.id),
    securityEvent(db, { type: 'two_factor_disabled', userId: user.id, details: { method: 'totp' } }, context, now),
  ]);
  return { ok: true };
}

// A new set of ten; the old set stops working in the same batch.
export async function regenerateRecoveryCodes(
  db: Db,
  user: Who,
  input: { password: string },
  context: RequestContext = {},
  now = Date.now(),
): Promise<{ ok: true; recoveryCodes: string[] } | SettingsRefusal> {
  if (!(await isTotpEnabled(db, user.id))) return { ok: false, reason: 'not-applicable' };
  const locked = await lockedFor(db, user, now);
  if (locked) return locked;
  if (!(await verifyPassword(user.passwordHash, input.password))) return refuse(db, user, ['password'], now);
  const recoveryCodes = generateRecoveryCodes();
  await db.batch([
    ...replaceRecoveryCodes(db, user.id, recoveryCodes, now),
    securityEvent(db, { type: 'recovery_codes_regenerated', userId: user.id }, context, now),
  ]);
  return { ok: true, recoveryCodes };
}
