import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    username: text('username').notNull(),
    // NFKC + lower case of username; the unique index on it makes the database
    // itself refuse "Alice" when "alice" exists (SQLite's lower() is ASCII only).
    usernameKey: text('username_key').notNull(),
    // Stored normalised (trimmed, lower case), so the unique index is case-insensitive.
    email: text('email').notNull(),
    passwordHash: text('password_hash').notNull(),
    isActive: integer('is_active', { mode: 'boolean' }).notNull().default(true),
    emailVerifiedAt: integer('email_verified_at', { mode: 'timestamp_ms' }),
    dateJoined: integer('date_joined', { mode: 'timestamp_ms' }).notNull(),
    lastLogin: integer('last_login', { mode: 'timestamp_ms' }),
    // Sessions issued before this time (ms) are refused: "sign out everywhere" in one
    // write that every location sees through D1, whatever KV still caches.
    sessionsValidAfter: integer('sessions_valid_after').notNull().default(0),
  },
  (t) => [
    uniqueIndex('users_username_key_unique').on(t.usernameKey),
    uniqueIndex('users_email_unique').on(t.email),
    // Belt and braces for rows written outside the app (ASCII case folding).
    uniqueIndex('users_username_lower_unique').on(sql`lower(${t.username})`),
    uniqueIndex('users_email_lower_unique').on(sql`lower(${t.email})`),
  ],
);

export const profiles = sqliteTable('profiles', {
  userId: text('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  avatarKey: text('avatar_key'),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
});

// One-time links sent by email: password reset, address verification and change.
// The link carries "<id>.<secret>"; only a hash of the secret is stored.
export const authTokens = sqliteTable(
  'auth_tokens',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    purpose: text('purpose', { enum: ['password_reset', 'verify_email'] }).notNull(),
    secretHash: text('secret_hash').notNull(),
    // The address being verified (the current one, or the new one of a change).
    email: text('email'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('auth_tokens_user_purpose').on(t.userId, t.purpose), index('auth_tokens_expires').on(t.expiresAt)],
);

// Failed sign-ins per account (or per unknown login), counted in D1 so that attempts
// spread over many Cloudflare locations still add up.
export const loginFailures = sqliteTable('login_failures', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull(),
  windowStart: integer('window_start').notNull(),
  lockedUntil: integer('locked_until'),
});

// Single sessions ended before they expire (sign-out, "sign out this session"). KV may
// still serve the record elsewhere for a minute or more; this table is checked in the
// same query that loads the user. Rows go once the session would have expired anyway.
export const revokedSessions = sqliteTable(
  'revoked_sessions',
  {
    sessionId: text('session_id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [index('revoked_sessions_expires').on(t.expiresAt), index('revoked_sessions_user').on(t.userId)],
);

export type UserRow = typeof users.$inferSelect;
export type ProfileRow = typeof profiles.$inferSelect;
export type AuthTokenRow = typeof authTokens.$inferSelect;
