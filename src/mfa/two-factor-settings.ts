import type { Db } from '../db/client';
import type { UserRow } from '../db/schema';
import { confirmIdentity, type IdentityProof } from '../auth/password-confirmation';
import { accountThrottleKey, recordLoginFailure } from '../auth/rate-limits';
import type { Session } from '../auth/session';
import { keepOnlyCurrentSession, revokeSessionsIssuedBefore } from '../auth/session-revocation';
import { securityEvent, type RequestContext } from '../users/security-events';
import { deleteRecoveryCodes, generateRecoveryCodes, looksLikeRecoveryCode, replaceRecoveryCodes, useRecoveryCode } from './recovery-codes';
import { deleteTotpCredential, enableTotpStatement, findPendingEnrolment, isTotpEnabled, startTotpEnrolment, useTotpCode } from './totp-credentials';
import { matchTotpStep } from './totp';

// Turning the authenticator app on and off, and new recovery codes. Each asks for the
// password (someone holding a stolen session must not lock the owner out, take the codes,
// or plant an app of their own); a wrong password or code counts toward the account's
// sign-in lockout.

type Who = Pick<UserRow, 'id' | 'passwordHash'>;
export type WrongField = 'password' | 'code';

export type SettingsRefusal =
  | { ok: false; reason: 'wrong'; fields: WrongField[] }
  | { ok: false; reason: 'locked'; retryAfterSeconds: number }
  | { ok: false; reason: 'confirmation-needed' | 'password-missing' }
  | { ok: false; reason: 'not-applicable' };

async function refusePassword(db: Db, user: Who, proof: IdentityProof, now: number): Promise<SettingsRefusal | null> {
  const confirmed = await confirmIdentity(db, user, proof, now);
  if (confirmed.ok) return null;
  return confirmed.reason === 'wrong-password' ? { ok: false, reason: 'wrong', fields: ['password'] } : confirmed;
}

// The password comes here, at the start: the key is then shown only to this session.
export async function startTotpSetup(
  db: Db,
  key: CryptoKey,
  user: Who,
  password: string,
  sessionId: string,
  now = Date.now(),
): Promise<{ ok: true } | SettingsRefusal> {
  if (await isTotpEnabled(db, user.id)) return { ok: false, reason: 'not-applicable' };
  const refused = await refusePassword(db, user, { password, sessionId }, now);
  if (refused) return refused;
  return (await startTotpEnrolment(db, key, user.id, sessionId, now)) ? { ok: true } : { ok: false, reason: 'not-applicable' };
}

export type TwoFactorOn = { ok: true; recoveryCodes: string[]; token: string; session: Session; signedOut: number };

// The first code from the app proves it was set up right; only then is it switched on,
// with ten recovery codes (returned: shown once, stored as hashes). A wrong code here
// guesses nothing the session does not already see, so it does not count toward the
// lockout. Every other session ends (one of them may be the thief two-factor is meant to
// keep out); the current one continues with a new token.
export async function turnOnTotp(
  db: Db,
  kv: KVNamespace,
  key: CryptoKey,
  user: Pick<UserRow, 'id'>,
  code: string,
  current: Session,
  context: RequestContext = {},
  now = Date.now(),
): Promise<TwoFactorOn | SettingsRefusal> {
  const enrolment = await findPendingEnrolment(db, key, user.id, current.id);
  if (!enrolment) return { ok: false, reason: 'not-applicable' };
  const step = matchTotpStep(enrolment.totpKey, code, now);
  if (step === null) return { ok: false, reason: 'wrong', fields: ['code'] };
  const recoveryCodes = generateRecoveryCodes();
  await db.batch([
    enableTotpStatement(db, user.id, enrolment, step, now),
    ...replaceRecoveryCodes(db, user.id, recoveryCodes, now),
    revokeSessionsIssuedBefore(db, user.id, now),
    securityEvent(db, { type: 'two_factor_enabled', userId: user.id, details: { method: 'totp' } }, context, now),
  ]);
  const { token, session, signedOut } = await keepOnlyCurrentSession(kv, current, now);
  return { ok: true, recoveryCodes, token, session, signedOut };
}

// Needs the password and a current code from the app, or a recovery code.
export async function turnOffTwoFactor(
  db: Db,
  key: CryptoKey,
  user: Who,
  input: { code: string } & IdentityProof,
  context: RequestContext = {},
  now = Date.now(),
): Promise<{ ok: true } | SettingsRefusal> {
  if (!(await isTotpEnabled(db, user.id))) return { ok: false, reason: 'not-applicable' };
  // The password first: a code is only used up once the password is known to be right.
  const refused = await refusePassword(db, user, input, now);
  if (refused) return refused;
  const codeOk = looksLikeRecoveryCode(input.code)
    ? await useRecoveryCode(db, user.id, input.code, context, now)
    : await useTotpCode(db, key, user.id, input.code, now);
  if (!codeOk) {
    await recordLoginFailure(db, accountThrottleKey(user.id), now);
    return { ok: false, reason: 'wrong', fields: ['code'] };
  }
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
  input: IdentityProof,
  context: RequestContext = {},
  now = Date.now(),
): Promise<{ ok: true; recoveryCodes: string[] } | SettingsRefusal> {
  if (!(await isTotpEnabled(db, user.id))) return { ok: false, reason: 'not-applicable' };
  const refused = await refusePassword(db, user, input, now);
  if (refused) return refused;
  const recoveryCodes = generateRecoveryCodes();
  await db.batch([
    ...replaceRecoveryCodes(db, user.id, recoveryCodes, now),
    securityEvent(db, { type: 'recovery_codes_regenerated', userId: user.id }, context, now),
  ]);
  return { ok: true, recoveryCodes };
}
