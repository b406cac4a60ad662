import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { users, type UserRow } from '../db/schema';
import { securityEvent, type RequestContext } from '../users/security-events';
import { deleteUserTokens } from './one-time-tokens';
import { confirmIdentity } from './password-confirmation';
import { hasUsablePassword, unusablePasswordHash } from './password-hash';
import type { Session } from './session';
import { keepOnlyCurrentSession, revokeSessionsIssuedBefore } from './session-revocation';

export type PasswordRemovalResult =
  | { ok: true; signedOut: number; token: string; session: Session }
  // No password to remove, or no other way in: codes need an address that was confirmed.
  | { ok: false; reason: 'no-password' | 'address-unconfirmed' }
  | { ok: false; reason: 'wrong-password' | 'password-missing' }
  | { ok: false; reason: 'locked'; retryAfterSeconds: number };

// The account keeps signing in with emailed codes (and its passkeys or providers): the
// policy's "Password removed" row. The current password confirms it (the lockout applies);
// like a change, every other session ends and a pending reset link dies with it.
export async function removePassword(
  db: Db,
  kv: KVNamespace,
  user: Pick<UserRow, 'id' | 'passwordHash' | 'emailVerifiedAt'>,
  password: string,
  currentSession: Session,
  context: RequestContext = {},
  now = Date.now(),
): Promise<PasswordRemovalResult> {
  if (!hasUsablePassword(user.passwordHash)) return { ok: false, reason: 'no-password' };
  if (!user.emailVerifiedAt) return { ok: false, reason: 'address-unconfirmed' };
  const confirmed = await confirmIdentity(db, user, { password, sessionId: currentSession.id }, now);
  if (!confirmed.ok && confirmed.reason === 'locked') return confirmed;
  if (!confirmed.ok) return { ok: false, reason: confirmed.reason === 'password-missing' ? 'password-missing' : 'wrong-password' };
  await db.batch([
    db.update(users).set({ passwordHash: unusablePasswordHash() }).where(eq(users.id, user.id)),
    revokeSessionsIssuedBefore(db, user.id, now),
    deleteUserTokens(db, user.id, 'password_reset'),
    securityEvent(db, { type: 'password_removed', userId: user.id }, context, now),
  ]);
  const { token, session, signedOut } = await keepOnlyCurrentSession(kv, currentSession, now);
  return { ok: true, signedOut, token, session };
}
