import { sql } from 'drizzle-orm';
import { integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

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
    dateJoined: integer('date_joined', { mode: 'timestamp_ms' }).notNull(),
    lastLogin: integer('last_login', { mode: 'timestamp_ms' }),
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

export type UserRow = typeof users.$inferSelect;
export type ProfileRow = typeof profiles.$inferSelect;
