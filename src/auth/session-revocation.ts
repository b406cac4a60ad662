import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { revokedSessions, users } from '../db/schema';
import { invalidateSession, rotateSession, type Session, type SessionRecord } from './session';
import { securityEvent, type RequestContext } from '../users/security-events';
import { invalidateUserSessions } from './user-sessions';

// Ending sessions so that it holds at every Cloudflare location. KV is eventually
// consistent: another location may serve a deleted session record for a minute or
// more. So every revocation is written to D1 first, and the query that loads the
// signed-in user (one per request, already paid for) checks it: a single session by id
// in revoked_sessions, or all of a user's sessions by time in users.sessions_valid_after.
// The KV deletes that follow only tidy up and shorten the sessions page.

export interface RevocationState {
  sessionsValidAfter: number;
  // The session's id is in revoked_sessions.
  sessionRevoked: boolean;
  lastLogin: Date | null;
}

export function isSessionRevoked(session: Pick<SessionRecord, 'issuedAt' | 'createdAt' | 'signedInAt'>, state: RevocationState): boolean {
  if (state.sessionRevoked || (session.issuedAt ?? session.createdAt) < state.sessionsValidAfter) return true;
  // A sign-in whose D1 record never landed (see SessionRecord.signedInAt).
  return session.signedInAt !== undefined && !(state.lastLogin && state.lastLogin.getTime() >= session.signedInAt);
}

// The statement that refuses one session from now on, for a caller's batch.
export function revokeSessionStatement(db: Db, session: Pick<Session, 'id' | 'userId' | 'absoluteExpiresAt'>) {
  return db.insert(revokedSessions).values({ sessionId: session.id, userId: session.userId, expiresAt: session.absoluteExpiresAt }).onConflictDoNothing();
}

// One session (sign-out, "sign out this session"). With `record`, the security log
// gets a session_revoked event in the same batch (not for an ordinary sign-out).
export async function revokeSession(
  db: Db,
  kv: KVNamespace,
  session: Pick<Session, 'id' | 'userId' | 'absoluteExpiresAt'>,
  record?: { context: RequestContext },
): Promise<void> {
  const revoke = revokeSessionStatement(db, session);
  if (record) await db.batch([revoke, securityEvent(db, { type: 'session_revoked', userId: session.userId }, record.context)]);
  else await revoke;
  await invalidateSession(kv, session);
}

// The statement that ends every session issued before `now`, to run in the same D1
// batch as the change that calls for it (a new password, deactivation).
export function revokeSessionsIssuedBefore(db: Db, userId: string, now: number) {
  return db.update(users).set({ sessionsValidAfter: now }).where(eq(users.id, userId));
}

// Every session of the user, everywhere. Returns how many this location's KV index knew.
export async function revokeAllUserSessions(db: Db, kv: KVNamespace, userId: string, now = Date.now()): Promise<number> {
  await revokeSessionsIssuedBefore(db, userId, now);
  return invalidateUserSessions(kv, userId);
}

// After sessions_valid_after moved to `now` (in the caller's batch): the current
// session gets a new token so it survives, and the other records leave KV.
export async function keepOnlyCurrentSession(kv: KVNamespace, current: Session, now = Date.now()) {
  const rotated = await rotateSession(kv, current, now);
  const signedOut = await invalidateUserSessions(kv, current.userId, { except: rotated.session.id });
  return { ...rotated, signedOut };
}

// "Sign out all other sessions".
export async function revokeOtherSessions(db: Db, kv: KVNamespace, current: Session, context: RequestContext = {}, now = Date.now()) {
  await db.batch([
    revokeSessionsIssuedBefore(db, current.userId, now),
    securityEvent(db, { type: 'other_sessions_revoked', userId: current.userId }, context, now),
  ]);
  return keepOnlyCurrentSession(kv, current, now);
}
