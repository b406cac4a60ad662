import * as z from 'zod/mini';
import { PASSWORD_MAX_LENGTH } from '../auth/password-rules';

const code = z.string({ error: 'Enter the code.' }).check(z.trim(), z.minLength(1, 'Enter the code.'), z.maxLength(64, 'That is too long for a code.'));
// May be empty: an account without a password confirms through its provider, and
// confirmIdentity tells an empty field apart from a wrong password.
const password = z._default(z.string().check(z.maxLength(PASSWORD_MAX_LENGTH)), '');

export const codeAndPasswordSchema = z.object({ code, password });
export const passwordOnlySchema = z.object({ password });
export const secondStepSchema = z.object({ method: z.optional(z.enum(['totp', 'recovery_code'])), code });
