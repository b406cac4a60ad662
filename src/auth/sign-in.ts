import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { users, type UserRow } from '../db/schema';
import { isTotpEnabled } from '../mfa/totp-credentials';
import { securityEvent, type RequestContext } from '../users/security-events';
import { findUserByLogin, recordSignIn } from '../users/user-store';
import { UNMATCHABLE_HASH, hashPassword, needsRehash, verifyPassword } from './password-hash';
import { accountThrottleKey, clearLoginFailures, loginLockedForSeconds, loginThrottleKey, recordLoginFailure } from './rate-limits';

// How the person proved who they are, as the sign_in event records it.
export type SignInMethod = 'password' | 'password_totp' | 'password_recovery_code' | 'passkey';

export type SignInResult =
  // secondFactorRequired: the password was right, but no sign-in happened yet (no event;
  // only the typed login's failure count is reset): the second step completes it with
  // completeSignIn.
  | { ok: true; user: UserRow; secondFactorRequired: boolean }
  | { ok: false; reason: 'invalid' | 'inactive' }
  | { ok: false; reason: 'locked'; retryAfterSeconds: number };

export const INVALID_CREDENTIALS = 'Your username/email or password is wrong. Please try again.';
// Shown with every failed sign-in once accounts were imported (never only for the accounts
// concerned, which would tell anyone that they exist and have no usable password).
export const IMPORTED_ACCOUNT_HINT =
  'Had an account on our previous site? If your password does not work here, or you forgot it, choose a new one with "Forgot your password?" below.';

// Unknown login or wrong password: same answer, same work (one password check either way), and
// the same failure counting (per login as typed: see loginThrottleKey), so neither timing
// nor lockouts reveal which accounts exist or which identifiers share one.
export async function authenticate(db: Db, login: string, password: string, context: RequestContext = {}, now = Date.now()): Promise<SignInResult> {
  const throttleKey = loginThrottleKey(login);
  const lockedFor = await loginLockedForSeconds(db, throttleKey, now);
  if (lockedFor > 0) return { ok: false, reason: 'locked', retryAfterSeconds: lockedFor };
  const user = await findUserByLogin(db, login);

  // An account that must reset its password (imported without a usable one, or flagged)
  // is checked like an unknown login: same work, same answer, with the reset link.
  const matches = await verifyPassword(user && !user.mustResetPassword ? user.passwordHash : UNMATCHABLE_HASH, password);
  // A deactivated account counts even the right password as a failure: one that never
  // locked would tell whoever knows the password that it is deactivated. The route
  // answers 'inactive' as it does a wrong password.
  if (!user || !matches || !user.isActive) {
    await recordLoginFailure(db, throttleKey, now);
    return { ok: false, reason: user && matches ? 'inactive' : 'invalid' };
  }
  const passwordHash = needsRehash(user.passwordHash) ? await hashPassword(password) : undefined;
  const signedIn = passwordHash ? { ...user, passwordHash } : user;
  if (await isTotpEnabled(db, user.id)) {
    // This count guards the password, which is now known to be right; the codes have
    // their own, per account (second-step), which only a completed sign-in clears.
    const rehash = passwordHash ? [db.update(users).set({ passwordHash }).where(eq(users.id, user.id))] : [];
    await db.batch([clearLoginFailures(db, throttleKey), ...rehash]);
    return { ok: true, user: signedIn, secondFactorRequired: true };
  }
  await completeSignIn(db, user.id, 'password', context, now, { passwordHash, throttleKey });
  return { ok: true, user: signedIn, secondFactorRequired: false };
}

// The end of every successful sign-in, whatever proved it (password alone, password and a
// second factor, a passkey): last login, the failure counts cleared (the account's, and
// the identifier's that was presented), the event, one batch.
export async function completeSignIn(
  db: Db,
  userId: string,
  method: SignInMethod,
  context: RequestContext = {},
  now = Date.now(),
  changes: { passwordHash?: string; throttleKey?: string } = {},
): Promise<void> {
  await db.batch([
    recordSignIn(db, userId, { passwordHash: changes.passwordHash }, new Date(now)),
    clearLoginFailures(db, accountThrottleKey(userId)),
    ...(changes.throttleKey ? [clearLoginFailures(db, changes.throttleKey)] : []),
    securityEvent(db, { type: 'sign_in', userId, details: { method } }, context, now),
  ]);
}
