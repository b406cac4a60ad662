// zod/mini: the same validation as zod's classic API, but tree-shakable, which keeps
// zod's locales and JSON-schema code out of the Worker bundle.
import * as z from 'zod/mini';
import type { FieldErrors } from './field-errors';
import { EMAIL_MAX_LENGTH, USERNAME_MAX_LENGTH, USERNAME_PATTERN } from '../users/identity';
import { PASSWORD_MAX_LENGTH, newPasswordErrors } from './password-rules';

function requiredText(missing: string, max: number, tooLong = `Use at most ${max} characters.`) {
  return z.string({ error: missing }).check(z.trim(), z.minLength(1, missing), z.maxLength(max, tooLong));
}

const username = requiredText('Enter a username.', USERNAME_MAX_LENGTH).check(
  z.regex(USERNAME_PATTERN, 'Use only letters, digits and @ . + - _'),
);

export const email = z.pipe(
  requiredText('Enter your email address.', EMAIL_MAX_LENGTH),
  z.email('Enter a valid email address, like name@example.com.'),
);

function asText(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

export const registerSchema = z
  .object({
    username,
    email,
    password: z.string({ error: 'Enter a password.' }).check(z.minLength(1, 'Enter a password.')),
    passwordConfirm: z.string({ error: 'Enter the password again.' }),
  })
  // Runs even when other fields failed, so every broken rule is reported at once.
  .check(
    z.superRefine(
      (raw, ctx) => {
        const values = raw as Record<string, unknown>;
        const errors = newPasswordErrors(asText(values.password), asText(values.passwordConfirm), {
          username: asText(values.username),
          email: asText(values.email),
        });
        for (const [field, messages] of Object.entries(errors)) {
          // An empty password is already reported by the field's own rule.
          if (field === 'password' && !asText(values.password)) continue;
          for (const message of messages) ctx.addIssue({ code: 'custom', path: [field], message });
        }
      },
      { when: () => true },
    ),
  );

export type RegisterInput = z.infer<typeof registerSchema>;

export const loginSchema = z.object({
  login: requiredText('Enter your username or email.', EMAIL_MAX_LENGTH + 100),
  password: z.string({ error: 'Enter your password.' }).check(z.minLength(1, 'Enter your password.'), z.maxLength(PASSWORD_MAX_LENGTH)),
});

export function fieldErrors(error: Parameters<typeof z.flattenError>[0]): FieldErrors {
  return z.flattenError(error).fieldErrors as FieldErrors;
}

export function textValue(data: unknown, key: string): string | undefined {
  const value = (data as Record<string, unknown> | undefined)?.[key];
  return typeof value === 'string' ? value : undefined;
}

const anyText = z.optional(z.string());

export const passwordChangeSchema = z.object({
  currentPassword: z.string({ error: 'Enter your current password.' }).check(z.minLength(1, 'Enter your current password.'), z.maxLength(PASSWORD_MAX_LENGTH)),
  password: anyText,
  passwordConfirm: anyText,
});

export const newPasswordSchema = z.object({ password: anyText, passwordConfirm: anyText });

export const passwordResetRequestSchema = z.object({ email });

export const confirmPasswordSchema = z.object({
  password: z.string({ error: 'Enter your password.' }).check(z.minLength(1, 'Enter your password.'), z.maxLength(PASSWORD_MAX_LENGTH)),
});
