import { and, asc, desc, eq, gt, gte, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { securityEvents, type SecurityEventRow } from '../db/schema';

// The security log: what happened to an account, who did it, from where. The activity
// page, the staff audit and the data export all read this one table. Each event is
// written in the same D1 batch as the change it records, so neither exists without the
// other; the app only ever inserts rows.

export type SecurityEventType =
  | 'signed_up'
  | 'sign_in'
  | 'sign_in_second_factor_failed'
  | 'password_changed'
  | 'password_set'
  | 'password_removed'
  | 'password_reset'
  | 'email_confirmed'
  | 'email_change_requested'
  | 'email_changed'
  | 'session_revoked'
  | 'other_sessions_revoked'
  | 'two_factor_enabled'
  | 'two_factor_disabled'
  | 'recovery_codes_regenerated'
  | 'recovery_code_used'
  | 'passkey_added'
  | 'passkey_removed'
  | 'not_me_reported'
  | 'data_exported'
  | 'provider_linked'
  | 'provider_unlinked'
  | 'identity_confirmed'
  | `staff_${string}`;

// Where the request came from (src/http/request-context.ts builds it from a request).
export interface RequestContext {
  ip?: string;
  userAgent?: string;
  location?: string;
  country?: string;
  // The page's language and the request's time zone: an account made or signed in to here
  // keeps them for its emails (not part of the security log).
  language?: string;
  timeZone?: string;
}

export interface NewSecurityEvent {
  type: SecurityEventType;
  userId: string | null;
  // Defaults to the user: someone acting on their own account.
  actorId?: string | null;
  details?: Record<string, unknown>;
}

export const ACTIVITY_DAYS = 90;
// The user's own events are kept as long as the activity page shows them; staff actions
// (the audit) for two years.
export const EVENT_RETENTION_MS = ACTIVITY_DAYS * 24 * 60 * 60 * 1000;
export const AUDIT_RETENTION_MS = 2 * 365 * 24 * 60 * 60 * 1000;

// Staff actions are the events whose type starts with "staff_". Audit queries must
// include this exact term so SQLite can use the partial indexes on those rows.
export const STAFF_ACTION = sql`type like 'staff%'`;
export const NOT_STAFF_ACTION = sql`type not like 'staff%'`;

// Ids start with the time (fixed-width base 36), so they sort by creation and the primary
// key doubles as a time index: every id made before `time` is below eventIdFloor(time).
export function eventIdFloor(time: number): string {
  return time.toString(36).padStart(9, '0');
}

function newEventId(now: number): string {
  const random = [...crypto.getRandomValues(new Uint8Array(8))].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${eventIdFloor(now)}${random}`;
}

// The insert, to put in the batch of the change it records.
export function securityEvent(db: Db, event: NewSecurityEvent, context: RequestContext = {}, now = Date.now()) {
  return db.insert(securityEvents).values({
    id: newEventId(now),
    userId: event.userId,
    actorId: event.actorId === undefined ? event.userId : event.actorId,
    type: event.type,
    createdAt: now,
    ip: context.ip ?? null,
    userAgent: context.userAgent ?? null,
    location: context.location ?? null,
    country: context.country ?? null,
    details: event.details ? JSON.stringify(event.details) : null,
  });
}

export type SecurityEvent = Omit<SecurityEventRow, 'details'> & { details: Record<string, unknown> };

function parse(row: SecurityEventRow): SecurityEvent {
  let details: Record<string, unknown> = {};
  try {
    details = row.details ? (JSON.parse(row.details) as Record<string, unknown>) : {};
  } catch {
    // A row written by hand: show it without details rather than fail the page.
  }
  return { ...row, details };
}

// One account's events, newest first, through the (user_id, created_at) index.
export async function listUserEvents(
  db: Db,
  userId: string,
  options: { since?: number; before?: number; limit?: number } = {},
): Promise<SecurityEvent[]> {
  const since = options.since ?? Date.now() - ACTIVITY_DAYS * 24 * 60 * 60 * 1000;
  const conditions = [eq(securityEvents.userId, userId), gte(securityEvents.createdAt, since)];
  if (options.before !== undefined) conditions.push(lt(securityEvents.createdAt, options.before));
  const rows = await db
    .select()
    .from(securityEvents)
    .where(and(...conditions))
    .orderBy(desc(securityEvents.createdAt), desc(securityEvents.id))
    .limit(options.limit ?? 200)
    .all();
  return rows.map(parse);
}

// Every event of one account, oldest first (the data export), a page at a time through
// the same index: (created_at, id) after the last row seen, so equal times are not lost.
export async function listAllUserEvents(db: Db, userId: string, pageSize = 500): Promise<SecurityEvent[]> {
  const events: SecurityEvent[] = [];
  let last: SecurityEventRow | undefined;
  do {
    const after = last
      ? or(gt(securityEvents.createdAt, last.createdAt), and(eq(securityEvents.createdAt, last.createdAt), gt(securityEvents.id, last.id)))
      : undefined;
    const rows = await db
      .select()
      .from(securityEvents)
      .where(and(eq(securityEvents.userId, userId), after))
      .orderBy(asc(securityEvents.createdAt), asc(securityEvents.id))
      .limit(pageSize)
      .all();
    events.push(...rows.map(parse));
    last = rows.length === pageSize ? rows.at(-1) : undefined;
  } while (last);
  return events;
}

// With the account: the user's own history goes with it. What staff did to the account
// stays in the audit (actor = the staff member).
export function deleteUserEvents(db: Db, userId: string) {
  return db
    .delete(securityEvents)
    .where(and(eq(securityEvents.userId, userId), or(isNull(securityEvents.actorId), eq(securityEvents.actorId, userId))));
}
