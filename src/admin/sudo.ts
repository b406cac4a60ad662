import { and, eq, gt, sql } from 'drizzle-orm';
import { clearLoginFailures } from '../auth/rate-limits';
import { sha256Hex } from '../crypto/sha256';
import type { Db } from '../db/client';
import { securityEvents, type UserRow } from '../db/schema';
import { securityEvent, STAFF_ACTION, type RequestContext } from '../users/security-events';
import { SUDO_EVENT } from './staff-actions';
import { confirmPassword } from '../auth/password-confirmation';

// "Sudo mode": a staff action needs the password to have been confirmed in this session
// within the last 15 minutes. The confirmation is a security event (staff_password_confirmed) in D1,
// tagged with a hash of the session id, not a field on the KV session record or a
// signed cookie, because:
// - D1 is read-your-writes within the request's session and the bookmark cookie carries
//   that to the next request, so a confirmation is seen at once wherever it is served;
//   KV may serve the record without it for a minute elsewhere, and the session record's
//   own renewal (a waitUntil write of the same key) can race with it and drop it;
// - a signed cookie would need a new signing secret to deploy and rotate;
// - the audit gets "who confirmed their password, when, from where" for free.
// The check is one query on the staff member's own audit rows of the last 15 minutes
// (the partial index security_events_staff_actor), only on staff actions.

export const SUDO_WINDOW_MS = 15 * 60 * 1000;

function sessionTag(sessionId: string): string {
  return sha256Hex(`sudo:${sessionId}`).slice(0, 32);
}

export async function hasRecentSudo(db: Db, staffId: string, sessionId: string, now = Date.now()): Promise<boolean> {
  const row = await db
    .select({ id: securityEvents.id })
    .from(securityEvents)
    .where(
      and(
        STAFF_ACTION,
        eq(securityEvents.actorId, staffId),
        gt(securityEvents.createdAt, now - SUDO_WINDOW_MS),
        eq(securityEvents.type, SUDO_EVENT),
        sql`json_extract(${securityEvents.details}, '$.session') = ${sessionTag(sessionId)}`,
      ),
    )
    .limit(1)
    .get();
  return Boolean(row);
}

export type SudoResult = { ok: true } | { ok: false; reason: 'wrong' } | { ok: false; reason: 'locked'; retryAfterSeconds: number };

// Checks the staff member's password. Failures count towards the same per-account
// lockout as sign-in, so a taken-over staff session cannot guess the password faster.
export async function confirmSudo(
  db: Db,
  staff: Pick<UserRow, 'id' | 'passwordHash'>,
  sessionId: string,
  password: string,
  context: RequestContext = {},
  now = Date.now(),
): Promise<SudoResult> {
  const confirmed = await confirmPassword(db, staff, password, now);
  if (!confirmed.ok) return confirmed.reason === 'locked' ? confirmed : { ok: false, reason: 'wrong' };
  await db.batch([
    securityEvent(db, { type: SUDO_EVENT, userId: staff.id, details: { session: sessionTag(sessionId) } }, context, now),
    clearLoginFailures(db, confirmed.throttleKey),
  ]);
  return { ok: true };
}
