import { and, desc, eq, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Db } from '../db/client';
import { securityEvents, users } from '../db/schema';
import { usernameKey } from '../users/identity';
import { STAFF_ACTION } from '../users/security-events';
import { AUDIT_EVENT_LABELS } from './staff-actions';

// The staff audit: staff events newest first, keyset-paginated on (created_at, id).
// Every query carries STAFF_ACTION, so SQLite reads one of the partial indexes on staff
// rows only (by time, actor, target or type): a page costs about a page of rows,
// however many sign-ins the table holds. Read only: nothing here (or anywhere in the
// app) updates or deletes these rows; the hourly cleanup removes them after two years.

export const AUDIT_PAGE_SIZE = 50;

export interface AuditFilters {
  // Usernames, as staff type them.
  actor?: string;
  target?: string;
  type?: string;
  before?: { createdAt: number; id: string };
}

export interface AuditEntry {
  id: string;
  type: string;
  createdAt: number;
  actorId: string | null;
  actorUsername: string | null;
  targetId: string | null;
  // The current username, or the one recorded with the event for a deleted account.
  targetUsername: string | null;
  targetDeleted: boolean;
  ip: string | null;
  location: string | null;
  userAgent: string | null;
}

export function parseAuditFilters(params: Record<string, string | undefined>): AuditFilters {
  const text = (value: string | undefined) => value?.trim().slice(0, 160) || undefined;
  const type = params.type && Object.hasOwn(AUDIT_EVENT_LABELS, params.type) ? params.type : undefined;
  const cursor = /^(\d{1,16}):([\w-]{1,64})$/.exec(params.before ?? '');
  return {
    actor: text(params.actor),
    target: text(params.target),
    type,
    before: cursor ? { createdAt: Number(cursor[1]), id: cursor[2]! } : undefined,
  };
}

const actor = alias(users, 'actor');
const target = alias(users, 'target');

const idOfUsername = (username: string) => sql`(select id from ${users} where ${users.usernameKey} = ${usernameKey(username)})`;

export function auditQuery(db: Db, filters: AuditFilters) {
  const conditions: (SQL | undefined)[] = [STAFF_ACTION];
  if (filters.actor) conditions.push(eq(securityEvents.actorId, idOfUsername(filters.actor)));
  if (filters.target) conditions.push(eq(securityEvents.userId, idOfUsername(filters.target)));
  if (filters.type) conditions.push(eq(securityEvents.type, filters.type));
  if (filters.before) {
    const { createdAt, id } = filters.before;
    conditions.push(lte(securityEvents.createdAt, createdAt), or(lt(securityEvents.createdAt, createdAt), lt(securityEvents.id, id)));
  }
  return db
    .select({
      event: securityEvents,
      actorUsername: actor.username,
      targetUsername: target.username,
    })
    .from(securityEvents)
    .leftJoin(actor, eq(actor.id, securityEvents.actorId))
    .leftJoin(target, eq(target.id, securityEvents.userId))
    .where(and(...conditions))
    .orderBy(desc(securityEvents.createdAt), desc(securityEvents.id))
    .limit(AUDIT_PAGE_SIZE + 1);
}

function recordedUsername(details: string | null): string | null {
  try {
    const value = details ? (JSON.parse(details) as { username?: unknown }).username : undefined;
    return typeof value === 'string' ? value : null;
  } catch {
    return null;
  }
}

export async function listAuditEntries(db: Db, filters: AuditFilters): Promise<{ entries: AuditEntry[]; next: string | null }> {
  const rows = await auditQuery(db, filters).all();
  const page = rows.slice(0, AUDIT_PAGE_SIZE);
  const entries = page.map(({ event, actorUsername, targetUsername }) => ({
    id: event.id,
    type: event.type,
    createdAt: event.createdAt,
    actorId: event.actorId,
    actorUsername,
    targetId: event.userId,
    targetUsername: targetUsername ?? recordedUsername(event.details),
    targetDeleted: Boolean(event.userId && !targetUsername),
    ip: event.ip,
    location: event.location,
    userAgent: event.userAgent,
  }));
  const last = page.at(-1);
  return { entries, next: rows.length > AUDIT_PAGE_SIZE && last ? `${last.event.createdAt}:${last.event.id}` : null };
}
