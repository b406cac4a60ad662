import { and, eq, getTableColumns, ne, or, sql, type Column, type Placeholder } from 'drizzle-orm';
import { builtOnce } from '../db/built-once';
import type { Db } from '../db/client';
import { profiles, revokedSessions, users, type ProfileRow, type UserRow } from '../db/schema';
import { normalizeEmail, normalizeUsername, usernameKey } from './identity';
import { securityEvent, type RequestContext, type SecurityEventType } from './security-events';

export type UserWithProfile = UserRow & { avatarKey: string | null };

export interface NewUser {
  username: string;
  email: string;
  passwordHash: string;
  // Set when the address was proven before the account existed (a sign-up code).
  emailVerifiedAt?: Date | null;
  // The sign-up request's language and time zone, for the account's emails.
  language?: string | null;
  timeZone?: string | null;
}

export function newUserId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

// User, profile and the security-log entry in one D1 batch (one transaction): never a
// user without a profile.
export async function createUserWithProfile(
  db: Db,
  input: NewUser,
  record: { type: SecurityEventType; context?: RequestContext; details?: Record<string, unknown> } = { type: 'signed_up' },
  now = new Date(),
): Promise<UserRow> {
  const row: UserRow = {
    id: newUserId(),
    username: normalizeUsername(input.username),
    usernameKey: usernameKey(input.username),
    email: normalizeEmail(input.email),
    passwordHash: input.passwordHash,
    isActive: true,
    emailVerifiedAt: input.emailVerifiedAt ?? null,
    dateJoined: now,
    lastLogin: now,
    sessionsValidAfter: 0,
    isStaff: false,
    isSuperuser: false,
    mustResetPassword: false,
    legacyId: null,
    language: input.language ?? record.context?.language ?? null,
    timeZone: input.timeZone ?? record.context?.timeZone ?? null,
  };
  const profile: ProfileRow = { userId: row.id, avatarKey: null, avatarImportKey: null, updatedAt: now };
  await db.batch([
    db.insert(users).values(row),
    db.insert(profiles).values(profile),
    securityEvent(db, { type: record.type, userId: row.id, details: record.details }, record.context, now.getTime()),
  ]);
  return row;
}

// Usernames may contain "@", so a login is looked up as both; an email match wins (pick).
export function loginLookup(login: string) {
  const email = normalizeEmail(login);
  return {
    where: or(eq(users.email, email), eq(users.usernameKey, usernameKey(login))),
    pick: <Row>(rows: Row[], emailOf: (row: Row) => string): Row | null => rows.find((row) => emailOf(row) === email) ?? rows[0] ?? null,
  };
}

// Which of a username and an email are already taken, in one query. Sign-in accepts
// either in one box, so an address must not equal another account's username, nor a
// username another account's address: whichever matched first would sign in.
export async function findTakenIdentity(db: Db, username: string, email: string) {
  const key = usernameKey(username);
  const normalizedEmail = normalizeEmail(email);
  const rows = await db
    .select({ usernameKey: users.usernameKey, email: users.email })
    .from(users)
    .where(or(eq(users.usernameKey, key), eq(users.email, key), eq(users.email, normalizedEmail), eq(users.usernameKey, normalizedEmail)))
    .all();
  return {
    usernameTaken: rows.some((r) => r.usernameKey === key || r.email === key),
    emailTaken: rows.some((r) => r.email === normalizedEmail || r.usernameKey === normalizedEmail),
  };
}

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | null> {
  return (await db.select().from(users).where(eq(users.email, normalizeEmail(email))).get()) ?? null;
}

// Taken as another account's address or username (see findTakenIdentity).
export async function isEmailTakenByOther(db: Db, email: string, userId: string): Promise<boolean> {
  const normalizedEmail = normalizeEmail(email);
  const row = await db
    .select({ id: users.id })
    .from(users)
    .where(and(or(eq(users.email, normalizedEmail), eq(users.usernameKey, normalizedEmail)), ne(users.id, userId)))
    .get();
  return Boolean(row);
}

// The one query a signed-in page needs: the user with their profile, and whether this
// session was revoked (so revocation costs no extra round trip). Primary-key lookups only.
export function sessionUserQuery(db: Db, userId: string | Placeholder, sessionId: string | Placeholder) {
  return db
    .select({
      user: users,
      avatarKey: profiles.avatarKey,
      sessionRevoked: sql<number>`exists (select 1 from ${revokedSessions} where ${revokedSessions.sessionId} = ${sessionId})`,
    })
    .from(users)
    .leftJoin(profiles, eq(profiles.userId, users.id))
    .where(eq(users.id, userId));
}

// Run on every signed-in page, so built once (src/db/built-once.ts). Its rows come back as
// arrays in the order selected: the user's columns, as Drizzle would decode them, then the
// two others.
const sessionUserStatement = builtOnce<{ userId: string; sessionId: string }>((db) => sessionUserQuery(db, sql.placeholder('userId'), sql.placeholder('sessionId')));
let userColumns: [string, Column][] | undefined;

function decodeSessionUserRow(row: unknown[]): UserWithProfile & { sessionRevoked: boolean } {
  userColumns ??= Object.entries(getTableColumns(users));
  const user: Record<string, unknown> = {};
  userColumns.forEach(([key, column], i) => (user[key] = row[i] === null ? null : column.mapFromDriverValue(row[i])));
  const [avatarKey, sessionRevoked] = row.slice(userColumns.length);
  return { ...(user as UserRow), avatarKey: (avatarKey as string | null) ?? null, sessionRevoked: Boolean(sessionRevoked) };
}

export async function findActiveUserForSession(db: Db, userId: string, sessionId: string): Promise<(UserWithProfile & { sessionRevoked: boolean }) | null> {
  const [row] = await sessionUserStatement(db, { userId, sessionId }).raw();
  if (!row) return null;
  const found = decodeSessionUserRow(row);
  return found.isActive ? found : null;
}

// The same statement keeps the account's language (only where none was chosen yet) and its
// time zone (where the person is now), for the emails it will get.
export function recordSignIn(db: Db, userId: string, changes: { passwordHash?: string; language?: string; timeZone?: string }, now = new Date()) {
  return db
    .update(users)
    .set({
      // Never backwards: a session checks that D1 holds its sign-in's time (session.ts).
      lastLogin: sql`max(coalesce(${users.lastLogin}, 0), ${now.getTime()})`,
      ...(changes.passwordHash ? { passwordHash: changes.passwordHash } : {}),
      ...(changes.language ? { language: sql`coalesce(${users.language}, ${changes.language})` } : {}),
      ...(changes.timeZone ? { timeZone: changes.timeZone } : {}),
    })
    .where(eq(users.id, userId));
}

export function isUniqueViolation(error: unknown): boolean {
  const text = String((error as { cause?: unknown })?.cause ?? '') + String(error);
  return /UNIQUE constraint failed/i.test(text);
}
