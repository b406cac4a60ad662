import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { userIdentities, users, type UserIdentityRow } from '../db/schema';
import type { ProviderClaims } from './provider-result';

// Provider identities linked to accounts: (issuer, subject) -> user.

export type LinkIdentityResult = { ok: true; identity: UserIdentityRow } | { ok: false; reason: 'linked-to-this-account' | 'linked-to-another-account' };

export interface SignInMethods {
  password: boolean;
  passkeys: number;
  identities: number;
  // Codes by email sign in once the address is confirmed (src/sign-in/email-code-sign-in.ts).
  emailCodes: boolean;
  total: number;
}

function newIdentityId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export function newIdentityRow(userId: string, claims: ProviderClaims, now = Date.now()): UserIdentityRow {
  return {
    id: newIdentityId(),
    userId,
    providerId: claims.providerId,
    issuer: claims.issuer,
    subject: claims.subject,
    email: claims.email,
    emailVerified: claims.emailVerified,
    linkedAt: now,
    lastUsedAt: now,
  };
}

// For a D1 batch (an account created with its identity in one transaction): an identity
// someone already has makes the insert, and so the whole batch, fail.
export function insertIdentityQuery(db: Db, row: UserIdentityRow) {
  return db.insert(userIdentities).values(row);
}

export async function findUserByIdentity(db: Db, issuer: string, subject: string): Promise<{ identityId: string; userId: string } | null> {
  const row = await db
    .select({ identityId: userIdentities.id, userId: userIdentities.userId })
    .from(userIdentities)
    .where(and(eq(userIdentities.issuer, issuer), eq(userIdentities.subject, subject)))
    .get();
  return row ?? null;
}

export async function linkIdentity(db: Db, userId: string, claims: ProviderClaims, now = Date.now()): Promise<LinkIdentityResult> {
  const row = newIdentityRow(userId, claims, now);
  const inserted = await db.insert(userIdentities).values(row).onConflictDoNothing().returning().get();
  if (inserted) return { ok: true, identity: inserted };
  const owner = await findUserByIdentity(db, claims.issuer, claims.subject);
  return { ok: false, reason: owner?.userId === userId ? 'linked-to-this-account' : 'linked-to-another-account' };
}

// Null when the account has no such identity. Whether it may go (never the last way to
// sign in) is the caller's question: countSignInMethods.
export async function unlinkIdentity(db: Db, userId: string, identityId: string): Promise<UserIdentityRow | null> {
  const row = await db
    .delete(userIdentities)
    .where(and(eq(userIdentities.id, identityId), eq(userIdentities.userId, userId)))
    .returning()
    .get();
  return row ?? null;
}

export function listIdentities(db: Db, userId: string): Promise<UserIdentityRow[]> {
  return db.select().from(userIdentities).where(eq(userIdentities.userId, userId)).orderBy(asc(userIdentities.linkedAt)).all();
}

// After a sign-in: when, and what the provider says the address is now. The statement,
// for the batch of the sign-in that used the identity.
export function touchIdentityQuery(db: Db, identityId: string, claims: Pick<ProviderClaims, 'email' | 'emailVerified'>, now = Date.now()) {
  return db.update(userIdentities).set({ lastUsedAt: now, email: claims.email, emailVerified: claims.emailVerified }).where(eq(userIdentities.id, identityId));
}

export async function touchIdentity(db: Db, identityId: string, claims: Pick<ProviderClaims, 'email' | 'emailVerified'>, now = Date.now()): Promise<void> {
  await touchIdentityQuery(db, identityId, claims, now).run();
}

// A password counts when one is set: an empty hash or Django's "!" marks an account that
// has none (one created through a provider).
export async function countSignInMethods(db: Db, userId: string): Promise<SignInMethods> {
  const row = await db
    .select({
      // Spelled out: drizzle leaves columns unqualified here, and "id" in a subquery would be its own.
      password: sql<number>`(users.password_hash != '' and substr(users.password_hash, 1, 1) != '!')`,
      passkeys: sql<number>`(select count(*) from passkeys where passkeys.user_id = users.id)`,
      identities: sql<number>`(select count(*) from user_identities where user_identities.user_id = users.id)`,
      emailCodes: sql<number>`(users.email_verified_at is not null and users.must_reset_password = 0)`,
    })
    .from(users)
    .where(eq(users.id, userId))
    .get();
  if (!row) return { password: false, passkeys: 0, identities: 0, emailCodes: false, total: 0 };
  const password = Boolean(row.password);
  const emailCodes = Boolean(row.emailCodes);
  return { password, passkeys: row.passkeys, identities: row.identities, emailCodes, total: (password ? 1 : 0) + (emailCodes ? 1 : 0) + row.passkeys + row.identities };
}
