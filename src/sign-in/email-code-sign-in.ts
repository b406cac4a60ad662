import { eq } from 'drizzle-orm';
import { issueEmailCode, type IssuedEmailCode } from '../auth/email-codes';
import { takeAddressMailAllowance } from '../auth/rate-limits';
import type { Db } from '../db/client';
import { users, type UserRow } from '../db/schema';
import { findUserByEmail } from '../users/user-store';
import { continueSignIn, type SignInDeps, type SignInResult } from './continue-sign-in';

// Sign-in with a code by email. Whoever asks sees the same page for any address; what
// differs is the mail, which only the address's owner reads.

// What the address's owner is sent: the code; nothing (a deactivated account); a note that
// a password reset comes first (an account that must reset, or whose address was never
// confirmed: a code must not be the first proof of an address a squatter may have typed,
// the reset handles that case); or a note that no account uses the address.
export type SignInCodeMail = 'code' | 'none' | 'reset-first' | 'no-account';

export function signInCodeMail(user: Pick<UserRow, 'isActive' | 'mustResetPassword' | 'emailVerifiedAt'> | null): SignInCodeMail {
  if (!user) return 'no-account';
  if (!user.isActive) return 'none';
  if (user.mustResetPassword || !user.emailVerifiedAt) return 'reset-first';
  return 'code';
}

export type SignInCodeRequest =
  | { ok: true; issued: IssuedEmailCode; mail: SignInCodeMail; user: UserRow | null }
  | { ok: false; reason: 'limited'; retryAfterSeconds: number };

// The same work whatever the address: the per-address mail count, one lookup, one write (a
// row even when no code may work, with a code nobody is sent, so the code page behaves
// the same).
export async function requestSignInCode(db: Db, email: string, next: string | undefined, now = Date.now()): Promise<SignInCodeRequest> {
  const allowance = await takeAddressMailAllowance(db, email, now);
  if (!allowance.ok) return { ok: false, reason: 'limited', retryAfterSeconds: allowance.retryAfterSeconds };
  const user = await findUserByEmail(db, email);
  const mail = signInCodeMail(user);
  const live = mail === 'code';
  const issued = await issueEmailCode(db, { purpose: 'sign_in', email, userId: live ? user!.id : null, live, data: next ? { next } : undefined }, now);
  return { ok: true, issued, mail, user };
}

// A spent sign-in code: the account may have been deactivated (or told to reset) since
// the code was sent. Then the usual second step, if the account has one.
export async function signInWithEmailCode(
  deps: SignInDeps,
  input: { userId: string | null; next?: string },
  now = Date.now(),
): Promise<SignInResult | { ok: false; reason: 'invalid' }> {
  if (!input.userId) return { ok: false, reason: 'invalid' };
  const user = await deps.db
    .select({ isActive: users.isActive, mustResetPassword: users.mustResetPassword, emailVerifiedAt: users.emailVerifiedAt })
    .from(users)
    .where(eq(users.id, input.userId))
    .get();
  if (!user || signInCodeMail(user) !== 'code') return { ok: false, reason: 'invalid' };
  return continueSignIn(deps, { method: 'email_code', userId: input.userId }, input.next, now);
}
