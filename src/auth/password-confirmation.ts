import type { Db } from '../db/client';
import type { UserRow } from '../db/schema';
import { verifyPassword } from './password-hash';
import { accountThrottleKey, loginLockedForSeconds, recordLoginFailure } from './rate-limits';

export type PasswordConfirmation = { ok: true; throttleKey: string } | { ok: false; reason: 'wrong-password' } | { ok: false; reason: 'locked'; retryAfterSeconds: number };

// A signed-in person re-typing their password before something sensitive (a password
// change, an export, deleting the account, passkeys, two-factor, staff actions). Wrong
// passwords count toward the account's lockout, so a stolen session cannot be used to
// guess it faster than sign-in allows; once locked, even the right one is refused.
export async function confirmPassword(db: Db, user: Pick<UserRow, 'id' | 'passwordHash'>, password: string, now = Date.now()): Promise<PasswordConfirmation> {
  const throttleKey = accountThrottleKey(user.id);
  const lockedFor = await loginLockedForSeconds(db, throttleKey, now);
  if (lockedFor > 0) return { ok: false, reason: 'locked', retryAfterSeconds: lockedFor };
  if (!password || !(await verifyPassword(user.passwordHash, password))) {
    await recordLoginFailure(db, throttleKey, now);
    return { ok: false, reason: 'wrong-password' };
  }
  return { ok: true, throttleKey };
}
