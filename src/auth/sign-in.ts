import type { Db } from '../db/client';
import type { UserRow } from '../db/schema';
import { securityEvent, type RequestContext } from '../users/security-events';
import { findUserByLogin, recordSignIn } from '../users/user-store';
import { UNMATCHABLE_HASH, hashPassword, needsRehash, verifyPassword } from './password-hash';
import { clearLoginFailures, loginLockedForSeconds, loginThrottleKey, recordLoginFailure } from './rate-limits';

export type SignInResult =
  | { ok: true; user: UserRow }
  | { ok: false; reason: 'invalid' | 'inactive' }
  | { ok: false; reason: 'locked'; retryAfterSeconds: number };

export const INVALID_CREDENTIALS = 'Your username/email or password is wrong. Please try again.';
export const INACTIVE_ACCOUNT = 'This account has been deactivated.';

// Unknown login or wrong password: same answer, same work (one scrypt either way), and
// the same failure counting, so neither timing nor lockouts reveal which accounts exist.
export async function authenticate(db: Db, login: string, password: string, context: RequestContext = {}, now = Date.now()): Promise<SignInResult> {
  const user = await findUserByLogin(db, login);
  const throttleKey = loginThrottleKey(user?.id ?? null, login);
  const lockedFor = await loginLockedForSeconds(db, throttleKey, now);
  if (lockedFor > 0) return { ok: false, reason: 'locked', retryAfterSeconds: lockedFor };

  const matches = await verifyPassword(user?.passwordHash ?? UNMATCHABLE_HASH, password);
  if (!user || !matches) {
    await recordLoginFailure(db, throttleKey, now);
    return { ok: false, reason: 'invalid' };
  }
  // Like Django, only someone who knows the password learns the account is inactive.
  if (!user.isActive) return { ok: false, reason: 'inactive' };
  const passwordHash = needsRehash(user.passwordHash) ? await hashPassword(password) : undefined;
  await db.batch([
    recordSignIn(db, user.id, { passwordHash }, new Date(now)),
    clearLoginFailures(db, throttleKey),
    securityEvent(db, { type: 'sign_in', userId: user.id, details: { method: 'password' } }, context, now),
  ]);
  return { ok: true, user: passwordHash ? { ...user, passwordHash } : user };
}
