import type { Db } from '../db/client';
import type { UserRow } from '../db/schema';
import { hasRecentIdentityConfirmation } from './identity-confirmation';
import { hasUsablePassword, verifyPassword } from './password-hash';
import { accountThrottleKey, loginLockedForSeconds, recordLoginFailure } from './rate-limits';

export type PasswordConfirmation = { ok: true; throttleKey: string } | { ok: false; reason: 'wrong-password' } | { ok: false; reason: 'locked'; retryAfterSeconds: number };

// What a signed-in person shows before something sensitive: the password typed, and the
// session it is typed in (an account without a password confirms through a provider).
export interface IdentityProof {
  password: string;
  sessionId: string;
}

// 'password-missing': nothing typed where a password is needed; not counted as a guess.
export type IdentityConfirmation = PasswordConfirmation | { ok: false; reason: 'confirmation-needed' | 'password-missing' };

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

// The one step-up for every credential change (src/auth/credential-policy.ts): the password
// where the account has one; else a sign-in with a linked provider again, in this session,
// within the last 10 minutes (src/auth/identity-confirmation.ts). The lockout applies either way.
export async function confirmIdentity(db: Db, user: Pick<UserRow, 'id' | 'passwordHash'>, proof: IdentityProof, now = Date.now()): Promise<IdentityConfirmation> {
  if (hasUsablePassword(user.passwordHash)) {
    return proof.password ? confirmPassword(db, user, proof.password, now) : { ok: false, reason: 'password-missing' };
  }
  const throttleKey = accountThrottleKey(user.id);
  const lockedFor = await loginLockedForSeconds(db, throttleKey, now);
  if (lockedFor > 0) return { ok: false, reason: 'locked', retryAfterSeconds: lockedFor };
  if (await hasRecentIdentityConfirmation(db, user.id, proof.sessionId, now)) return { ok: true, throttleKey };
  return { ok: false, reason: 'confirmation-needed' };
}
