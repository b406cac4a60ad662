import type { Db } from '../db/client';
import type { UserRow } from '../db/schema';
import { findUserByLogin, recordSignIn } from '../users/user-store';
import { UNMATCHABLE_HASH, hashPassword, needsRehash, verifyPassword } from './password-hash';

export type SignInResult = { ok: true; user: UserRow } | { ok: false; reason: 'invalid' | 'inactive' };

export const INVALID_CREDENTIALS = 'Your username/email or password is wrong. Please try again.';
export const INACTIVE_ACCOUNT = 'This account has been deactivated.';

// Unknown login or wrong password: same answer, same work (one scrypt either way).
export async function authenticate(db: Db, login: string, password: string): Promise<SignInResult> {
  const user = await findUserByLogin(db, login);
  const matches = await verifyPassword(user?.passwordHash ?? UNMATCHABLE_HASH, password);
  if (!user || !matches) return { ok: false, reason: 'invalid' };
  // Like Django, only someone who knows the password learns the account is inactive.
  if (!user.isActive) return { ok: false, reason: 'inactive' };
  const passwordHash = needsRehash(user.passwordHash) ? await hashPassword(password) : undefined;
  await recordSignIn(db, user.id, { passwordHash });
  return { ok: true, user: passwordHash ? { ...user, passwordHash } : user };
}
