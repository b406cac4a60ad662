import { and, desc, eq, gt, sql } from 'drizzle-orm';
import { sha256Hex } from '../crypto/sha256';
import type { Db } from '../db/client';
import { securityEvents } from '../db/schema';
import { securityEvent, type RequestContext } from '../users/security-events';

// An account made through a sign-in provider has no password to re-type before something
// sensitive. Signing in with one of its linked providers again stands in for it: the return
// is recorded as an identity_confirmed event tagged with a hash of this session's id, and
// counts for this session only, for 10 minutes. In D1 rather than on the KV session record
// for the reasons src/admin/sudo.ts gives (read-your-writes through the bookmark, no race
// with the record's renewal, and the activity page shows it).

// The page that offers the linked providers, and sends the person back with ?next=.
export const CONFIRM_IDENTITY_PATH = '/account/confirm';
export const IDENTITY_CONFIRMATION_WINDOW_MS = 10 * 60 * 1000;
export const IDENTITY_CONFIRMED_EVENT = 'identity_confirmed';

function sessionTag(sessionId: string): string {
  return sha256Hex(`confirm:${sessionId}`).slice(0, 32);
}

export function recordIdentityConfirmation(
  db: Db,
  userId: string,
  sessionId: string,
  how: { provider: string; providerName: string },
  context: RequestContext = {},
  now = Date.now(),
) {
  return securityEvent(db, { type: IDENTITY_CONFIRMED_EVENT, userId, details: { session: sessionTag(sessionId), ...how } }, context, now);
}

// One query on the user's own recent events (the security_events_user index).
export async function hasRecentIdentityConfirmation(db: Db, userId: string, sessionId: string, now = Date.now()): Promise<boolean> {
  const row = await db
    .select({ id: securityEvents.id })
    .from(securityEvents)
    .where(
      and(
        eq(securityEvents.userId, userId),
        gt(securityEvents.createdAt, now - IDENTITY_CONFIRMATION_WINDOW_MS),
        eq(securityEvents.type, IDENTITY_CONFIRMED_EVENT),
        sql`json_extract(${securityEvents.details}, '$.session') = ${sessionTag(sessionId)}`,
      ),
    )
    .orderBy(desc(securityEvents.createdAt))
    .limit(1)
    .get();
  return Boolean(row);
}
