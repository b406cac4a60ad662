import { and, getTableName, lt, sql, type SQL } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Db } from '../db/client';
import { authChallenges, authTokens, emailCodes, loginFailures, revokedSessions, securityEvents } from '../db/schema';
import { AUDIT_RETENTION_MS, EVENT_RETENTION_MS, eventIdFloor, NOT_STAFF_ACTION, STAFF_ACTION } from '../users/security-events';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

interface ExpiryRule {
  table: SQLiteTable;
  expired: SQL;
}

// Every table whose rows expire, with what makes a row expired at `now`: one line a table.
function expiryRules(now: number): ExpiryRule[] {
  return [
    { table: authTokens, expired: lt(authTokens.expiresAt, new Date(now)) },
    // A counter whose window began a day ago can no longer lock anyone out.
    { table: loginFailures, expired: lt(loginFailures.windowStart, now - DAY_MS) },
    // A revoked session past its absolute expiry would be refused anyway.
    { table: revokedSessions, expired: lt(revokedSessions.expiresAt, now) },
    { table: authChallenges, expired: lt(authChallenges.expiresAt, now) },
    // Kept an hour past expiry, so "send a new code" can still replay the request.
    { table: emailCodes, expired: lt(emailCodes.expiresAt, now - HOUR_MS) },
    // The security log: what the activity page shows, and a longer audit of staff actions.
    // Old user events are found through the primary key (ids start with the time), staff
    // ones through their partial index.
    { table: securityEvents, expired: and(lt(securityEvents.id, eventIdFloor(now - EVENT_RETENTION_MS)), NOT_STAFF_ACTION)! },
    { table: securityEvents, expired: and(STAFF_ACTION, lt(securityEvents.createdAt, now - AUDIT_RETENTION_MS))! },
  ];
}

export interface ExpiryLimits {
  chunkSize: number;
  maxChunksPerTable: number;
}

// Each chunk is one short D1 statement (D1 runs one query at a time per database, so a
// delete of a million rows would hold up every page); the rest waits for the next run.
export const EXPIRY_LIMITS: ExpiryLimits = { chunkSize: 1000, maxChunksPerTable: 20 };

// Rows deleted per table. Chunks go by rowid (every table here is a rowid table), so each
// statement finds its rows through the expiry condition once and deletes at most chunkSize.
export async function removeExpiredRecords(db: Db, now = Date.now(), limits = EXPIRY_LIMITS): Promise<Record<string, number>> {
  const removed: Record<string, number> = {};
  for (const { table, expired } of expiryRules(now)) {
    let count = 0;
    for (let chunk = 0; chunk < limits.maxChunksPerTable; chunk++) {
      const result = await db.run(sql`delete from ${table} where rowid in (select rowid from ${table} where ${expired} limit ${limits.chunkSize})`);
      count += result.meta.changes;
      if (result.meta.changes < limits.chunkSize) break;
    }
    const name = getTableName(table);
    removed[name] = (removed[name] ?? 0) + count;
  }
  return removed;
}
