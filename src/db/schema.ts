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
    isStaff: integer('is_staff', { mode: 'boolean' }).notNull().default(false),
    isSuperuser: integer('is_superuser', { mode: 'boolean' }).notNull().default(false),
    // The next sign-in must go through a password reset ("this wasn't me", an imported
    // account whose old password cannot be verified).
    mustResetPassword: integer('must_reset_password', { mode: 'boolean' }).notNull().default(false),
    // The user's id in the Django app they were imported from.
    legacyId: integer('legacy_id'),
    // Chosen in the language menu, or the one of the first sign-in (src/i18n/languages.ts);
    // emails to the account use it. The IANA time zone of the same moment, for their dates.
    language: text('language'),
    timeZone: text('time_zone'),
  },
  (t) => [
    uniqueIndex('users_username_key_unique').on(t.usernameKey),
    uniqueIndex('users_email_unique').on(t.email),
    // Belt and braces for rows written outside the app (ASCII case folding).
    uniqueIndex('users_username_lower_unique').on(sql`lower(${t.username})`),
    uniqueIndex('users_email_lower_unique').on(sql`lower(${t.email})`),
    uniqueIndex('users_legacy_id_unique').on(t.legacyId),
    // Staff lists: newest first, keyset-paginated.
    index('users_date_joined').on(t.dateJoined, t.id),
  ],
);

export const profiles = sqliteTable(
  'profiles',
  {
  userId: text('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  avatarKey: text('avatar_key'),
  // An imported original waiting to be processed into avatar_key (an S3 key under imports/).
  avatarImportKey: text('avatar_import_key'),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('profiles_avatar_import_key').on(t.avatarImportKey).where(sql`${t.avatarImportKey} is not null`)],
);

// One-time links sent by email: password reset, address verification and change.
// The link carries "<id>.<secret>"; only a hash of the secret is stored.
export const authTokens = sqliteTable(
  'auth_tokens',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    purpose: text('purpose', { enum: ['password_reset', 'verify_email', 'not_me'] }).notNull(),
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

// What happened to an account, for the user's activity page, the staff audit and the
// data export: one table. Rows are only ever inserted by the app. No foreign key: the
// staff audit outlives a deleted account.
export const securityEvents = sqliteTable(
  'security_events',
  {
    id: text('id').primaryKey(),
    // The account it concerns (null for events about no single account).
    userId: text('user_id'),
    // Who did it: the user, a staff member, or null for the system.
    actorId: text('actor_id'),
    type: text('type').notNull(),
    createdAt: integer('created_at').notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
    // Approximate, from Cloudflare's request data: "Paris, FR".
    location: text('location'),
    country: text('country'),
    // JSON with what else the event needs (method of sign-in, old address...).
    details: text('details'),
  },
  // Every sign-in writes a row, so each index costs storage and a written row per event:
  // only the user's own history is indexed in full; the staff audit (rare rows) has
  // partial indexes, which queries use when they include the same `type like 'staff%'`
  // term (STAFF_ACTION in src/users/security-events.ts).
  (t) => [
    index('security_events_user').on(t.userId, t.createdAt),
    index('security_events_staff_created').on(t.createdAt).where(sql`type like 'staff%'`),
    index('security_events_staff_actor').on(t.actorId, t.createdAt).where(sql`type like 'staff%'`),
    index('security_events_staff_target').on(t.userId, t.createdAt).where(sql`type like 'staff%'`),
    index('security_events_staff_type').on(t.type, t.createdAt).where(sql`type like 'staff%'`),
  ],
);

// Second factor: an authenticator app (TOTP). The secret is encrypted (AES-GCM).
export const totpCredentials = sqliteTable('totp_credentials', {
  userId: text('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  secretEncrypted: text('secret_encrypted').notNull(),
  // Null while enrolment waits for the first code.
  enabledAt: integer('enabled_at'),
  // The last time step a code was accepted for: a code is never accepted twice.
  lastUsedStep: integer('last_used_step'),
  createdAt: integer('created_at').notNull(),
  // While pending: SHA-256 of the id of the session that started the enrolment, the
  // only one that may see the key or finish it.
  sessionIdHash: text('session_id_hash'),
});

export const recoveryCodes = sqliteTable(
  'recovery_codes',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull(),
    usedAt: integer('used_at'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('recovery_codes_user').on(t.userId)],
);

export const passkeys = sqliteTable(
  'passkeys',
  {
    // The credential id, base64url.
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    // COSE algorithm (-7 ES256, -257 RS256) and the public key in the form the verifier needs.
    algorithm: integer('algorithm').notNull(),
    publicKey: text('public_key').notNull(),
    signCount: integer('sign_count').notNull().default(0),
    transports: text('transports'),
    backedUp: integer('backed_up', { mode: 'boolean' }).notNull().default(false),
    createdAt: integer('created_at').notNull(),
    lastUsedAt: integer('last_used_at'),
  },
  (t) => [index('passkeys_user').on(t.userId)],
);

// Short-lived, single-use challenges and pending sign-ins (used up with DELETE ...
// RETURNING, so two requests cannot both use one). Unlike auth_tokens, a WebAuthn
// challenge for a discoverable sign-in belongs to no user yet.
export const authChallenges = sqliteTable(
  'auth_challenges',
  {
    id: text('id').primaryKey(),
    purpose: text('purpose').notNull(),
    userId: text('user_id').references(() => users.id, { onDelete: 'cascade' }),
    secretHash: text('secret_hash').notNull(),
    // JSON: what the next step needs (the WebAuthn challenge, how the first factor went).
    data: text('data'),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [index('auth_challenges_expires').on(t.expiresAt), index('auth_challenges_user').on(t.userId)],
);

// Sign-in with a provider (OpenID Connect, GitHub): one row per linked identity. An identity
// is (issuer, subject), never an address; the address is what the provider said last, kept
// for the account's lists. No provider tokens are stored.
export const userIdentities = sqliteTable(
  'user_identities',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    // The id in SIGN_IN_PROVIDERS it was linked through (for labels; the issuer identifies).
    providerId: text('provider_id').notNull(),
    issuer: text('issuer').notNull(),
    subject: text('subject').notNull(),
    email: text('email'),
    emailVerified: integer('email_verified', { mode: 'boolean' }).notNull().default(false),
    linkedAt: integer('linked_at').notNull(),
    lastUsedAt: integer('last_used_at'),
  },
  (t) => [uniqueIndex('user_identities_issuer_subject').on(t.issuer, t.subject), index('user_identities_user').on(t.userId)],
);

// Codes sent by email (src/auth/email-codes.ts): a sign-up waiting for its address to be
// confirmed, a sign-in with a code, a step-up. Only hashes are stored: of the code, of the
// link's secret, and of the secret in the cookie of the browser that asked. An address has
// at most one row; a row with a random code_hash (an address no code may work for) looks
// like any other.
export const emailCodes = sqliteTable(
  'email_codes',
  {
    id: text('id').primaryKey(),
    purpose: text('purpose', { enum: ['sign_up', 'sign_in', 'step_up'] }).notNull(),
    // Normalised, like users.email.
    email: text('email').notNull(),
    // The account a sign-in or step-up code is for; null for a sign-up (and for an address
    // no account uses).
    userId: text('user_id').references(() => users.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull(),
    linkHash: text('link_hash').notNull(),
    browserHash: text('browser_hash').notNull(),
    // Wrong entries so far (each entry is counted before it is checked).
    attempts: integer('attempts').notNull().default(0),
    // JSON: what completing it needs (the sign-up's username and password hash, ?next=).
    data: text('data'),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [uniqueIndex('email_codes_email').on(t.email), index('email_codes_expires').on(t.expiresAt), index('email_codes_user').on(t.userId)],
);

export type SecurityEventRow = typeof securityEvents.$inferSelect;
export type UserRow = typeof users.$inferSelect;
export type ProfileRow = typeof profiles.$inferSelect;
export type AuthTokenRow = typeof authTokens.$inferSelect;
export type UserIdentityRow = typeof userIdentities.$inferSelect;
export type EmailCodeRow = typeof emailCodes.$inferSelect;
