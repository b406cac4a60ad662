import type { Db } from '../db/client';
import { fieldMessage, type FieldErrors } from './field-errors';
import { createUserWithProfile, findTakenIdentity, isUniqueViolation } from '../users/user-store';
import type { EmailCodeRow, UserRow } from '../db/schema';
import type { RequestContext } from '../users/security-events';
import type { RegisterInput } from './forms';
import { codeData, issueEmailCode, type IssuedEmailCode } from './email-codes';
import { hashPassword, unusablePasswordHash } from './password-hash';
import { takeAddressMailAllowance } from './rate-limits';

export type SignUpResult = { ok: true; user: UserRow } | { ok: false; errors: FieldErrors };

// Usernames are public (profile pages, the staff list), so saying one is taken reveals
// nothing; whether an address has an account is only said in the "after" mode.
// Catalogue references (src/auth/field-errors.ts): the form translates them where it shows them.
const USERNAME_TAKEN = fieldMessage('auth.register.usernameTaken');
const EMAIL_TAKEN = fieldMessage('auth.register.emailTaken');
const JUST_TAKEN = fieldMessage('auth.register.justTaken');

// The password is optional: empty, the account signs in with emailed codes (or a provider,
// or a passkey) and has an unusable hash.
async function passwordHashFor(password: string): Promise<string | null> {
  return password ? hashPassword(password) : null;
}

// SIGN_UP_CONFIRMATION=after: the account exists at once, the confirmation link follows.
// Input already passed registerSchema; what is left needs the database.
export async function signUp(db: Db, input: RegisterInput, context: RequestContext = {}): Promise<SignUpResult> {
  const taken = await findTakenIdentity(db, input.username, input.email);
  if (taken.usernameTaken || taken.emailTaken) {
    return {
      ok: false,
      errors: {
        ...(taken.usernameTaken ? { username: [USERNAME_TAKEN] } : {}),
        ...(taken.emailTaken ? { email: [EMAIL_TAKEN] } : {}),
      },
    };
  }
  const passwordHash = (await passwordHashFor(input.password)) ?? unusablePasswordHash();
  try {
    const user = await createUserWithProfile(db, { username: input.username, email: input.email, passwordHash }, { type: 'signed_up', context });
    return { ok: true, user };
  } catch (error) {
    // Someone took the name or address between the check and the insert.
    if (isUniqueViolation(error)) return { ok: false, errors: { form: [JUST_TAKEN] } };
    throw error;
  }
}

// What a pending sign-up keeps until its address is confirmed.
export interface PendingSignUp {
  username: string;
  passwordHash: string | null;
}

export type SignUpCodeRequest =
  | { ok: true; issued: IssuedEmailCode; addressTaken: boolean }
  | { ok: false; reason: 'invalid'; errors: FieldErrors }
  | { ok: false; reason: 'limited'; retryAfterSeconds: number };

// SIGN_UP_CONFIRMATION=before (the default): nothing is created but a code for the address.
// An address that already has an account gets the same answer and the same work (the
// per-address mail count, the password hash, a row with a code nobody is sent); the caller
// mails its owner instead, after the response. `password`: typed (hashed here), or the
// hash a resend carries over.
export async function requestSignUpCode(
  db: Db,
  input: { username: string; email: string; password: { typed: string } | { hash: string | null } },
  now = Date.now(),
): Promise<SignUpCodeRequest> {
  const taken = await findTakenIdentity(db, input.username, input.email);
  if (taken.usernameTaken) return { ok: false, reason: 'invalid', errors: { username: [USERNAME_TAKEN] } };
  const allowance = await takeAddressMailAllowance(db, input.email, now);
  if (!allowance.ok) return { ok: false, reason: 'limited', retryAfterSeconds: allowance.retryAfterSeconds };
  const passwordHash = 'typed' in input.password ? await passwordHashFor(input.password.typed) : input.password.hash;
  const data: PendingSignUp = { username: input.username, passwordHash };
  const issued = await issueEmailCode(db, { purpose: 'sign_up', email: input.email, live: !taken.emailTaken, data: { ...data } }, now);
  return { ok: true, issued, addressTaken: taken.emailTaken };
}

// A spent sign-up code (typed, or its link confirmed): the account, its address confirmed.
// The username may have gone to someone else meanwhile: the form again, values kept.
// `keepPassword` false: the link was pressed in another browser than the one that signed up.
// Whoever filled in the form may not be the address's owner (a squatter hoping the owner
// presses the button), so the password they chose is dropped: the owner who pressed it is
// signed in, and sets a password of their own if they want one.
export async function createAccountFromCode(
  db: Db,
  row: EmailCodeRow,
  context: RequestContext = {},
  now = Date.now(),
  options: { keepPassword: boolean } = { keepPassword: true },
): Promise<SignUpResult> {
  const stored = codeData<PendingSignUp>(row);
  const pending = options.keepPassword ? stored : { ...stored, passwordHash: null };
  if (!pending.username) return { ok: false, errors: { form: [JUST_TAKEN] } };
  const at = new Date(now);
  try {
    const user = await createUserWithProfile(
      db,
      { username: pending.username, email: row.email, passwordHash: pending.passwordHash ?? unusablePasswordHash(), emailVerifiedAt: at },
      { type: 'signed_up', context, details: { method: 'email_code', ...(pending.passwordHash ? {} : { passwordless: true }) } },
      at,
    );
    return { ok: true, user };
  } catch (error) {
    if (isUniqueViolation(error)) {
      const taken = await findTakenIdentity(db, pending.username, row.email);
      return { ok: false, errors: taken.usernameTaken ? { username: [USERNAME_TAKEN] } : { form: [JUST_TAKEN] } };
    }
    throw error;
  }
}
