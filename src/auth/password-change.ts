import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { users, type UserRow } from '../db/schema';
import type { CommonPasswords } from './common-passwords';
import { fieldMessage, type FieldErrors } from './field-errors';
import { deleteUserTokens } from './one-time-tokens';
import { confirmIdentity } from './password-confirmation';
import { hashPassword, hasUsablePassword } from './password-hash';
import { newPasswordErrors } from './password-rules';
import { securityEvent, type NewSecurityEvent, type RequestContext } from '../users/security-events';
import type { Session } from './session';
import { keepOnlyCurrentSession, revokeSessionsIssuedBefore } from './session-revocation';

// Catalogue references, translated where the form shows them.
export const WRONG_CURRENT_PASSWORD = fieldMessage('forms.password.currentWrong');

// A new password: stores the hash and, in the same batch, ends every session issued
// before `now` (at every location, through D1) and voids outstanding reset, verify-email
// and email-change links: a link sent before the change (perhaps asked for by whoever the
// change locks out) must not undo it or move the account to another address. A reset
// that is the first proof of the address also marks it confirmed, and adds its own
// statements (src/account/password-reset.ts) to the same batch.
export function newPasswordStatements(
  db: Db,
  userId: string,
  passwordHash: string,
  record: { type: NewSecurityEvent['type']; context?: RequestContext; details?: Record<string, unknown> },
  now = Date.now(),
  options: { confirmAddress?: boolean } = {},
) {
  return [
    db
      .update(users)
      .set({ passwordHash, mustResetPassword: false, ...(options.confirmAddress ? { emailVerifiedAt: new Date(now) } : {}) })
      .where(eq(users.id, userId)),
    revokeSessionsIssuedBefore(db, userId, now),
    deleteUserTokens(db, userId, 'password_reset'),
    deleteUserTokens(db, userId, 'verify_email'),
    securityEvent(db, { type: record.type, userId, details: record.details }, record.context, now),
  ] as const;
}

export async function setPassword(
  db: Db,
  userId: string,
  password: string,
  record: { type: NewSecurityEvent['type']; context?: RequestContext },
  now = Date.now(),
): Promise<void> {
  await db.batch(newPasswordStatements(db, userId, await hashPassword(password), record, now));
}

export type PasswordChangeResult =
  | { ok: true; signedOut: number; token: string; session: Session }
  | { ok: false; reason: 'invalid'; errors: FieldErrors }
  | { ok: false; reason: 'locked'; retryAfterSeconds: number }
  | { ok: false; reason: 'confirmation-needed' };

// The current password goes through confirmPassword (the account's lockout). Every other
// session is signed out; the current one continues with a new token (returned, for the
// cookie).
export async function changePassword(
  db: Db,
  kv: KVNamespace,
  commonPasswords: CommonPasswords,
  user: Pick<UserRow, 'id' | 'username' | 'email' | 'passwordHash'>,
  input: { currentPassword: string; password: string; passwordConfirm: string },
  currentSession: Session,
  context: RequestContext = {},
  now = Date.now(),
): Promise<PasswordChangeResult> {
  const errors: FieldErrors = newPasswordErrors(input.password, input.passwordConfirm, user, commonPasswords);
  // An account without a password (made through a provider) sets its first one after
  // confirming through its provider instead.
  const confirmed = await confirmIdentity(db, user, { password: input.currentPassword, sessionId: currentSession.id }, now);
  if (!confirmed.ok && confirmed.reason === 'locked') return confirmed;
  if (!confirmed.ok && confirmed.reason === 'confirmation-needed') return { ok: false, reason: 'confirmation-needed' };
  if (!confirmed.ok) errors.currentPassword = [confirmed.reason === 'password-missing' ? fieldMessage('forms.password.currentMissing') : WRONG_CURRENT_PASSWORD];
  else if (input.password && input.password === input.currentPassword) {
    errors.password = [...(errors.password ?? []), fieldMessage('forms.password.sameAsCurrent')];
  }
  if (Object.keys(errors).length) return { ok: false, reason: 'invalid', errors };
  // A first password (the account had none) is its own event: the policy's "Password set" row.
  await setPassword(db, user.id, input.password, { type: hasUsablePassword(user.passwordHash) ? 'password_changed' : 'password_set', context }, now);
  const { token, session, signedOut } = await keepOnlyCurrentSession(kv, currentSession, now);
  return { ok: true, signedOut, token, session };
}
