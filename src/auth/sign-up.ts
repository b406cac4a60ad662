import type { Db } from '../db/client';
import type { FieldErrors } from './field-errors';
import { createUserWithProfile, findTakenIdentity, isUniqueViolation } from '../users/user-store';
import type { UserRow } from '../db/schema';
import type { RequestContext } from '../users/security-events';
import type { RegisterInput } from './forms';
import { hashPassword } from './password-hash';

export type SignUpResult = { ok: true; user: UserRow } | { ok: false; errors: FieldErrors };

const USERNAME_TAKEN = 'A user with that username already exists.';
const EMAIL_TAKEN = 'An account with this email address already exists. Sign in instead?';

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
  const passwordHash = await hashPassword(input.password);
  try {
    const user = await createUserWithProfile(db, { username: input.username, email: input.email, passwordHash }, { type: 'signed_up', context });
    return { ok: true, user };
  } catch (error) {
    // Someone took the name or address between the check and the insert.
    if (isUniqueViolation(error)) return { ok: false, errors: { form: ['That username or email address was just taken. Please choose another.'] } };
    throw error;
  }
}
