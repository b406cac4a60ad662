import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { users, type UserRow } from '../db/schema';
import type { FieldErrors } from './field-errors';
import { deleteUserTokens } from './one-time-tokens';
import { hashPassword, verifyPassword } from './password-hash';
import { newPasswordErrors } from './password-rules';
import { securityEvent, type NewSecurityEvent, type RequestContext } from '../users/security-events';
import type { Session } from './session';
import { keepOnlyCurrentSession, revokeSessionsIssuedBefore } from './session-revocation';

export const WRONG_CURRENT_PASSWORD = 'Your current password is wrong.';

// Stores a new hash and, in the same batch, ends every session issued before `now`
// (at every location, through D1) and voids outstanding reset links: a link sent
// before the change must not undo it.
export async function setPassword(
  db: Db,
  userId: string,
  password: string,
  record: { type: NewSecurityEvent['type']; context?: RequestContext },
  now = Date.now(),
): Promise<void> {
  const passwordHash = await hashPassword(password);
  await db.batch([
    db.update(users).set({ passwordHash, mustResetPassword: false }).where(eq(users.id, userId)),
    revokeSessionsIssuedBefore(db, userId, now),
    deleteUserTokens(db, userId, 'password_reset'),
    securityEvent(db, { type: record.type, userId }, record.context, now),
  ]);
}

export type PasswordChangeResult = { ok: true; signedOut: number; token: string; session: Session } | { ok: false; errors: FieldErrors };

// Every other session is signed out; the current one continues with a new token
// (returned, for the cookie).
export async function changePassword(
  db: Db,
  kv: KVNamespace,
  user: Pick<UserRow, 'id' | 'username' | 'email' | 'passwordHash'>,
  input: { currentPassword: string; password: string; passwordConfirm: string },
  currentSession: Session,
  context: RequestContext = {},
  now = Date.now(),
): Promise<PasswordChangeResult> {
  const errors: FieldErrors = newPasswordErrors(input.password, input.passwordConfirm, user);
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) errors.currentPassword = [WRONG_CURRENT_PASSWORD];
  else if (input.password && input.password === input.currentPassword) {
    errors.password = [...(errors.password ?? []), 'Choose a password different from the current one.'];
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  await setPassword(db, user.id, input.password, { type: 'password_changed', context }, now);
  const { token, session, signedOut } = await keepOnlyCurrentSession(kv, currentSession, now);
  return { ok: true, signedOut, token, session };
}
