import { and, eq, notLike, sql, type SQLWrapper } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import { profiles, users } from '../db/schema';
import type { PlannedUser } from './import-plan';

// The writes of an import, as SQL with bound parameters, built from the app's own schema.
// The tests run them on D1 as they are; the CLI writes them out for `wrangler d1 execute`
// with scripts/lib/sql-literals.ts, which keeps every input value out of the SQL text.
export interface Statement {
  sql: string;
  params: (string | number | null)[];
}

// Only builds SQL: no database behind it.
const builder = drizzle({} as D1Database);
const dialect = new SQLiteSyncDialect();

function toStatement(query: { toSQL(): { sql: string; params: unknown[] } } | SQLWrapper): Statement {
  const { sql: text, params } = 'toSQL' in query ? query.toSQL() : dialect.sqlToQuery(query.getSQL());
  return { sql: text, params: params as Statement['params'] };
}

// An app hash begins with "$": the user has signed in or reset their password here since,
// and the account is left as it is.
const stillImported = notLike(users.passwordHash, '$%');

function userColumns(user: PlannedUser) {
  const d = user.django;
  return {
    username: user.username,
    usernameKey: user.usernameKey,
    email: user.email,
    passwordHash: user.passwordHash,
    isActive: d.isActive,
    isStaff: d.isStaff,
    isSuperuser: d.isSuperuser,
    dateJoined: new Date(d.dateJoined),
    lastLogin: d.lastLogin === null ? null : new Date(d.lastLogin),
    mustResetPassword: user.mustReset,
  };
}

// The profile row, with the staged original for the scheduled job to process. A picture
// already processed (or uploaded here) is kept, and so is one staged by an earlier run
// (a run without --media changes no picture).
function profileStatement(user: PlannedUser, now: number): Statement {
  const importKey = user.picture.kind === 'stage' ? user.picture.key : null;
  return toStatement(sql`
    insert into ${profiles} ("user_id", "avatar_key", "avatar_import_key", "updated_at")
    select ${users.id}, null, ${importKey}, ${now} from ${users} where ${users.legacyId} = ${user.django.id} and ${stillImported}
    on conflict ("user_id") do update set "avatar_import_key" = coalesce(excluded."avatar_import_key", ${profiles.avatarImportKey}), "updated_at" = excluded."updated_at"
    where ${profiles.avatarKey} is null`);
}

// When the address was confirmed: allauth records no time, so the import's. null: not
// confirmed (contrib.auth alone never confirms an address).
function confirmedAt(user: PlannedUser, now: number): Date | null {
  return user.addressVerified ? new Date(now) : null;
}

// On a refresh, a confirmation already on the row stays while the address does (an
// earlier run's, or one made here since), keeping its time; a changed address is
// confirmed only if Django says the new one is. (SQLite reads the old row in SET.)
function refreshedConfirmation(user: PlannedUser, now: number) {
  const at = confirmedAt(user, now)?.getTime() ?? null;
  return sql`case when ${users.email} = ${user.email} then coalesce(${users.emailVerifiedAt}, ${at}) else ${at} end`;
}

export function importStatements(user: PlannedUser, now: number): Statement[] {
  if (user.action === 'insert') {
    const row = { id: user.id, legacyId: user.django.id, ...userColumns(user), emailVerifiedAt: confirmedAt(user, now) };
    return [toStatement(builder.insert(users).values(row).onConflictDoNothing({ target: users.legacyId })), profileStatement(user, now)];
  }
  if (user.action === 'update') {
    const columns = { ...userColumns(user), emailVerifiedAt: refreshedConfirmation(user, now) };
    const update = builder.update(users).set(columns).where(and(eq(users.legacyId, user.django.id), stillImported));
    return [toStatement(update), profileStatement(user, now)];
  }
  return [];
}
