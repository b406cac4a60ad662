import type { Db } from '../db/client';
import { accountThrottleKey, clearLoginFailures } from '../auth/rate-limits';
import { securityEvent, type RequestContext } from '../users/security-events';
import { recordSignIn } from '../users/user-store';
import { eq } from 'drizzle-orm';
import { users } from '../db/schema';
import { touchIdentityQuery } from '../providers/user-identities';

type BatchStatement = Parameters<Db['batch']>[0][number];

// How the person proved who they are, as the sign_in event records it.
export type SignInMethod = 'password' | 'password_totp' | 'password_recovery_code' | 'passkey' | 'provider' | 'email_code';

// What a first factor's check leaves to the completed sign-in: the failure count of the
// identifier presented (a typed login, a passkey id), a rehashed password.
export interface FirstFactorWrites {
  throttleKey?: string;
  passwordHash?: string;
  // The provider identity that signed in: its last use, and the address it now reports.
  identityUse?: { identityId: string; email: string | null; emailVerified: boolean };
}

// The first factor's own writes, when a second step comes before the sign-in completes.
export function firstFactorStatements(db: Db, userId: string, writes: FirstFactorWrites, now: number) {
  return [
    ...(writes.throttleKey ? [clearLoginFailures(db, writes.throttleKey)] : []),
    ...(writes.passwordHash ? [db.update(users).set({ passwordHash: writes.passwordHash }).where(eq(users.id, userId))] : []),
    ...(writes.identityUse ? [touchIdentityQuery(db, writes.identityUse.identityId, writes.identityUse, now)] : []),
  ];
}

// The sign-in as the event and the session record it: the method, and for a provider its label.
export interface SignInHow {
  method: SignInMethod;
  providerName?: string;
}

// The record of every successful sign-in, whatever proved it: last login, the failure
// counts cleared (the account's, and the presented identifier's), the event, one batch.
// `also`: statements of the caller that belong in the same transaction.
export async function completeSignIn(
  db: Db,
  userId: string,
  how: SignInHow,
  context: RequestContext = {},
  now = Date.now(),
  writes: FirstFactorWrites = {},
  also: BatchStatement[] = [],
): Promise<void> {
  await db.batch([
    recordSignIn(db, userId, { passwordHash: writes.passwordHash, language: context.language, timeZone: context.timeZone }, new Date(now)),
    clearLoginFailures(db, accountThrottleKey(userId)),
    ...(writes.throttleKey ? [clearLoginFailures(db, writes.throttleKey)] : []),
    ...(writes.identityUse ? [touchIdentityQuery(db, writes.identityUse.identityId, writes.identityUse, now)] : []),
    securityEvent(db, { type: 'sign_in', userId, details: { method: how.method, ...(how.providerName ? { providerName: how.providerName } : {}) } }, context, now),
    ...also,
  ]);
}
