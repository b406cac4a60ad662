import type { Db } from '../db/client';
import { ENGLISH } from '../i18n/catalog';
import type { UserRow } from '../db/schema';
import type { RequestContext } from '../users/security-events';
import { users } from '../db/schema';
import { accountFactorColumns } from '../mfa/other-credentials';
import type { AccountFactors } from '../sign-in/second-step-rule';
import { loginLookup } from '../users/user-store';
import { UNMATCHABLE_HASH, hasUsablePassword, hashPassword, needsRehash, verifyPassword } from './password-hash';
import { loginLockedForSeconds, loginThrottleKey, recordLoginFailure } from './rate-limits';

// The password as a first factor (src/sign-in decides what follows). A right password
// writes nothing yet: the typed login's failure count to clear and a rehashed password
// (passwordHash, when the stored one uses older parameters) go with what follows.
export type PasswordCheck =
  | { ok: true; user: UserRow; factors: AccountFactors; throttleKey: string; passwordHash?: string }
  | { ok: false; reason: 'invalid' | 'inactive' }
  | { ok: false; reason: 'locked'; retryAfterSeconds: number };

// In English, for code without a translator (tests compare pages with it); the sign-in
// route says them in the visitor's language (auth.login.* in the catalogue).
export const INVALID_CREDENTIALS: string = ENGLISH['auth.login.invalidCredentials'];
// Shown with every failed sign-in once accounts were imported (never only for the accounts
// concerned, which would tell anyone that they exist and have no usable password).
export const IMPORTED_ACCOUNT_HINT: string = ENGLISH['auth.login.importedAccountHint'];

// An account that must reset its password (imported without a usable one, or flagged) or
// has none (made through a sign-in provider) is checked like an unknown login: the same
// Argon2 work, so the answer's timing does not tell which accounts have no password.
export function passwordHashToVerify(user: Pick<UserRow, 'passwordHash' | 'mustResetPassword'> | undefined | null): string {
  return user && !user.mustResetPassword && hasUsablePassword(user.passwordHash) ? user.passwordHash : UNMATCHABLE_HASH;
}

// Unknown login or wrong password: same answer, same work (one password check either way), and
// the same failure counting (per login as typed: see loginThrottleKey), so neither timing
// nor lockouts reveal which accounts exist or which identifiers share one.
// The account a login names, with the second factors it has: one query.
async function findAccountByLogin(db: Db, login: string): Promise<{ user: UserRow; factors: AccountFactors } | null> {
  const lookup = loginLookup(login);
  const rows = await db.select({ user: users, ...accountFactorColumns() }).from(users).where(lookup.where).all();
  const row = lookup.pick(rows, (r) => r.user.email);
  return row && { user: row.user, factors: { totp: Boolean(row.totp), passkeys: Boolean(row.passkeys) } };
}

// The lockout and the account are read together (one round trip to the database, not
// three in turn); a locked login's account is read for nothing, which tells nobody anything.
export async function authenticate(db: Db, login: string, password: string, _context: RequestContext = {}, now = Date.now()): Promise<PasswordCheck> {
  const throttleKey = loginThrottleKey(login);
  const [lockedFor, account] = await Promise.all([loginLockedForSeconds(db, throttleKey, now), findAccountByLogin(db, login)]);
  if (lockedFor > 0) return { ok: false, reason: 'locked', retryAfterSeconds: lockedFor };
  const user = account?.user;

  const matches = await verifyPassword(passwordHashToVerify(user), password);
  // A deactivated account counts even the right password as a failure: one that never
  // locked would tell whoever knows the password that it is deactivated. The route
  // answers 'inactive' as it does a wrong password.
  if (!user || !matches || !user.isActive) {
    await recordLoginFailure(db, throttleKey, now);
    return { ok: false, reason: user && matches ? 'inactive' : 'invalid' };
  }
  const passwordHash = needsRehash(user.passwordHash) ? await hashPassword(password) : undefined;
  return { ok: true, user: passwordHash ? { ...user, passwordHash } : user, factors: account.factors, throttleKey, passwordHash };
}
