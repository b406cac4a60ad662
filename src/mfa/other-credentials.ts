import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { passkeys, userIdentities, users } from '../db/schema';
import { listPasskeys } from './passkeys';
import { deleteRecoveryCodes } from './recovery-codes';
import { deleteTotpCredential, isTotpEnabled } from './totp-credentials';

// The ways into an account besides its password: passkeys, the authenticator app with its
// recovery codes, and linked sign-in providers. What an account has (for the notices that
// list them), and the statements that remove them, for the batch of the change that calls
// for it ("This wasn't me", a reset that first proves the address): an intruder's or a
// squatter's would otherwise outlive the owner taking the account back.

export interface OtherCredentials {
  passkeys: string[];
  twoFactor: boolean;
  // The ids of the linked sign-in providers (SIGN_IN_PROVIDERS), one per identity.
  providers: string[];
}

export async function findOtherCredentials(db: Db, userId: string): Promise<OtherCredentials> {
  const [keys, twoFactor, identities] = await Promise.all([
    listPasskeys(db, userId),
    isTotpEnabled(db, userId),
    db.select({ providerId: userIdentities.providerId }).from(userIdentities).where(eq(userIdentities.userId, userId)).all(),
  ]);
  return { passkeys: keys.map((key) => key.name), twoFactor, providers: identities.map((identity) => identity.providerId) };
}

// What a second step after a sign-in could ask for (src/sign-in/second-step-rule.ts), in one query.
// Whether the account of the row has an authenticator app and passkeys: columns for any
// query over users, so a sign-in learns it in the query that finds the account.
export function accountFactorColumns() {
  // Written out with aliases: drizzle leaves columns unqualified in a one-table query, and
  // "user_id" = "id" inside the subquery would compare the subquery's own columns.
  return {
    totp: sql<number>`exists (select 1 from "totp_credentials" as "t" where "t"."user_id" = "users"."id" and "t"."enabled_at" is not null)`,
    passkeys: sql<number>`exists (select 1 from "passkeys" as "p" where "p"."user_id" = "users"."id")`,
  };
}

export async function findAccountFactors(db: Db, userId: string): Promise<{ totp: boolean; passkeys: boolean }> {
  const row = await db.select(accountFactorColumns()).from(users).where(eq(users.id, userId)).get();
  return { totp: Boolean(row?.totp), passkeys: Boolean(row?.passkeys) };
}

// The authenticator app (enabled or still being set up) and its recovery codes.
export function deleteTwoFactor(db: Db, userId: string) {
  return [deleteTotpCredential(db, userId), deleteRecoveryCodes(db, userId)] as const;
}

export function deleteOtherCredentials(db: Db, userId: string) {
  return [db.delete(passkeys).where(eq(passkeys.userId, userId)), ...deleteTwoFactor(db, userId), db.delete(userIdentities).where(eq(userIdentities.userId, userId))] as const;
}
