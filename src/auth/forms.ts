import { z } from 'zod';
import type { FieldErrors } from '../views/components/field';
import { EMAIL_MAX_LENGTH, USERNAME_MAX_LENGTH, USERNAME_PATTERN } from '../users/identity';
import { PASSWORD_MAX_LENGTH, checkPasswordRules } from './password-rules';

const username = z
  .string({ error: 'Enter a username.' })
  .trim()
  .min(1, 'Enter a username.')
  .max(USERNAME_MAX_LENGTH, `Use at most ${USERNAME_MAX_LENGTH} characters.`)
  .regex(USERNAME_PATTERN, 'Use only letters, digits and @ . + - _');

export const email = z
  .string({ error: 'Enter your email address.' })
  .trim()
  .min(1, 'Enter your email address.')
  .max(EMAIL_MAX_LENGTH, `Use at most ${EMAIL_MAX_LENGTH} characters.`)
  .pipe(z.email('Enter a valid email address, like name@example.com.'));

const newPassword = z.string({ error: 'Enter a password.' }).min(1, 'Enter a password.');

function asText(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

export const registerSchema = z
  .object({
    username,
    email,
    password: newPassword,
    passwordConfirm: z.string({ error: 'Enter the password again.' }),
  })
  // Runs even when other fields failed, so every broken rule is reported at once.
  .check(
    z.superRefine((raw, ctx) => {
      const values = raw as Record<string, unknown>;
      const password = asText(values.password);
      if (!password) return;
      if (password !== asText(values.passwordConfirm)) {
        ctx.addIssue({ code: 'custom', path: ['passwordConfirm'], message: 'The two passwords do not match.' });
      }
      for (const message of checkPasswordRules(password, { username: asText(values.username), email: asText(values.email) })) {
        ctx.addIssue({ code: 'custom', path: ['password'], message });
      }
    }, { when: () => true }),
  );

export type RegisterInput = z.infer<typeof registerSchema>;

export const loginSchema = z.object({
  login: z.string({ error: 'Enter your username or email.' }).trim().min(1, 'Enter your username or email.').max(EMAIL_MAX_LENGTH + 100),
  password: z.string({ error: 'Enter your password.' }).min(1, 'Enter your password.').max(PASSWORD_MAX_LENGTH),
});

export function fieldErrors(error: z.core.$ZodError): FieldErrors {
  return z.flattenError(error).fieldErrors as FieldErrors;
}

export function textValue(data: unknown, key: string): string | undefined {
  const value = (data as Record<string, unknown> | undefined)?.[key];
  return typeof value === 'string' ? value : undefined;
}
