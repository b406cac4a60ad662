import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { users } from '../db/schema';
import { deleteOtherCredentials } from '../mfa/other-credentials';
import { securityEvent, type RequestContext } from '../users/security-events';
import { consumeToken, deleteUserTokens, findValidToken } from '../auth/one-time-tokens';
import { invalidateUserSessions } from '../auth/user-sessions';

// "This wasn't me", from the new-sign-in alert, without signing in: the link's token is
// the proof. In one D1 batch: every session ends (sessions_valid_after, so at every
// location), every outstanding emailed link dies, every passkey, the authenticator app
// with its recovery codes and every linked sign-in provider are removed (an intruder's
// would otherwise outlive the reset, and their app would lock the owner out), the next sign-in must go through a
// password reset, and the event is recorded. Then the KV records are tidied.

export async function isNotMeLinkValid(db: Db, token: string): Promise<boolean> {
  return Boolean(await findValidToken(db, token, 'not_me'));
}

export async function reportNotMe(db: Db, kv: KVNamespace, token: string, context: RequestContext = {}, now = Date.now()): Promise<boolean> {
  const row = await consumeToken(db, token, 'not_me', now);
  if (!row) return false;
  await db.batch([
    db.update(users).set({ sessionsValidAfter: now, mustResetPassword: true }).where(eq(users.id, row.userId)),
    deleteUserTokens(db, row.userId),
    ...deleteOtherCredentials(db, row.userId),
    securityEvent(db, { type: 'not_me_reported', userId: row.userId, actorId: null }, context, now),
  ]);
  await invalidateUserSessions(kv, row.userId);
  return true;
}
