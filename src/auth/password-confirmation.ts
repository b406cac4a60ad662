import type { Db } from '../db/client';
import type { UserRow } from '../db/schema';
import { verifyPassword } from './password-hash';
import { loginLockedForSeconds, loginThrottleKey, recordLoginFailure } from './rate-limits';

export type PasswordConfirmation = { ok: true; throttleKey: string } | { ok: false; reason: 'wrong-password' } | { ok: false; reason: 'locked'; retryAfterSeconds: number };

// A signed-in person re-typing their password before something sensitive (adding or
// removing a passkey, staff actions). Wrong passwords count toward the same per-account
// lockout as sign-in, so a stolen session cannot be used to guess it faster.
export async function confirmPassword(db: Db, user: Pick<UserRow, 'id' | 'passwordHash'>, password: string, now = Date.now()): Promise<PasswordConfirmation> {
  const throttleKey = loginThrottleKey(user.id, '');
  const lockedFor = await loginLockedForSeconds(db, throttleKey, now);
  if (lockedFor > 0) return { ok: false, reason: 'locked', retryAfterSeconds: lockedFor };
  if (!password || !(await verifyPassword(user.passwordHash, password))) {
    await recordLoginFailure(db, throttleKey, now);
    return { ok: false, reason: 'wrong-password' };
  }
  return { ok: true, throttleKey };
}
