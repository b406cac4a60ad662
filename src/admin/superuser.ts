import { eq } from 'drizzle-orm';
import type { CommonPasswords } from '../auth/common-passwords';
import { englishFieldErrors, type FieldErrors } from '../auth/field-errors';
import { registerErrors } from '../auth/forms';
import { hashPassword } from '../auth/password-hash';
import { createDb, type Db } from '../db/client';
import { users } from '../db/schema';
import { createUserWithProfile, findTakenIdentity } from '../users/user-store';
import { createStatementRecorder, type RecordedStatement } from './recorded-statements';
import { SUPERUSER_CREATED_EVENT } from './staff-actions';

// What `npm run createsuperuser` (scripts/createsuperuser.mjs, in Node) does with its
// input: the sign-up rules, the same hash, the same user + profile + event as sign-up,
// then staff, superuser and a verified address. Free of Worker-only globals.

export interface SuperuserInput {
  username: string;
  email: string;
  password: string;
  passwordConfirm: string;
}

// Every sign-up rule the input breaks, by field (username, email, password, passwordConfirm),
// in English: a terminal has no visitor language, and the script prints the messages as they are.
export function superuserInputErrors(input: SuperuserInput, commonPasswords: CommonPasswords): FieldErrors {
  return englishFieldErrors(registerErrors(input, commonPasswords));
}

export async function takenIdentityErrors(db: Db, username: string, email: string): Promise<FieldErrors> {
  const taken = await findTakenIdentity(db, username, email);
  return {
    ...(taken.usernameTaken ? { username: [`The username "${username.trim()}" is already taken, as a username or as an email address. Nothing was changed.`] } : {}),
    ...(taken.emailTaken ? { email: [`The email address ${email.trim()} is already taken, as an address or as a username. Nothing was changed.`] } : {}),
  };
}

// The statements that create the superuser, to run together in one transaction.
export async function superuserStatements(input: SuperuserInput, now = new Date()): Promise<{ userId: string; statements: RecordedStatement[] }> {
  const recorder = createStatementRecorder();
  const db = createDb(recorder.d1);
  const passwordHash = await hashPassword(input.password);
  const user = await createUserWithProfile(
    db,
    { username: input.username, email: input.email, passwordHash },
    { type: SUPERUSER_CREATED_EVENT, context: { userAgent: 'npm run createsuperuser' } },
    now,
  );
  // Not signed in yet (sign-up counts as a sign-in; this does not).
  const promote = db.update(users).set({ isStaff: true, isSuperuser: true, emailVerifiedAt: now, lastLogin: null }).where(eq(users.id, user.id)).toSQL();
  return { userId: user.id, statements: [...recorder.statements, promote] };
}
