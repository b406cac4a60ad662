// zod/mini: the same validation as zod's classic API, but tree-shakable, which keeps
// zod's locales and JSON-schema code out of the Worker bundle.
import * as z from 'zod/mini';
import { fieldMessage, type FieldErrors } from './field-errors';
import { EMAIL_MAX_LENGTH, USERNAME_MAX_LENGTH, USERNAME_PATTERN } from '../users/identity';
import type { CommonPasswords } from './common-passwords';
import { PASSWORD_MAX_LENGTH, newPasswordErrors } from './password-rules';

// Messages are catalogue references (src/auth/field-errors.ts), translated by the views.
// Lengths go in as text: a number would be formatted (1,024), which the English never was.
function requiredText(missing: string, max: number, tooLong = fieldMessage('forms.field.tooLong', { max: String(max) })) {
  return z.string({ error: missing }).check(z.trim(), z.minLength(1, missing), z.maxLength(max, tooLong));
}

// The sign-up form's username rules (also the provider sign-up's "choose your username").
export const username = requiredText(fieldMessage('forms.username.missing'), USERNAME_MAX_LENGTH).check(
  z.regex(USERNAME_PATTERN, fieldMessage('forms.username.invalid')),
);

export const email = z.pipe(
  requiredText(fieldMessage('forms.email.missing'), EMAIL_MAX_LENGTH),
  z.email(fieldMessage('forms.email.invalid')),
);

function asText(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

// The fields' own rules. The password rules need the common-password list, loaded on first
// use (src/auth/common-passwords.ts): registerErrors adds them.
export const registerSchema = z.object({
  username,
  email,
  // Optional: left empty, the account signs in with emailed codes (or a provider, a passkey).
  password: z._default(z.string(), ''),
  passwordConfirm: z._default(z.string(), ''),
});

// Every rule the sign-up form breaks, by field, the password rules included even when
// other fields failed, so all are reported at once. Empty: the form is valid.
export function registerErrors(values: unknown, commonPasswords: CommonPasswords): FieldErrors {
  const parsed = registerSchema.safeParse(values);
  const errors = parsed.success ? {} : fieldErrors(parsed.error);
  const raw = (values ?? {}) as Record<string, unknown>;
  const password = asText(raw.password);
  // No password: fine, unless one was typed in the confirmation field only.
  if (!password) {
    if (asText(raw.passwordConfirm)) errors.password = [...(errors.password ?? []), fieldMessage('forms.register.confirmOnly')];
    return errors;
  }
  const context = { username: asText(raw.username), email: asText(raw.email) };
  for (const [field, messages] of Object.entries(newPasswordErrors(password, asText(raw.passwordConfirm), context, commonPasswords))) {
    errors[field] = [...(errors[field] ?? []), ...messages];
  }
  return errors;
}

export type RegisterInput = z.infer<typeof registerSchema>;

const ENTER_PASSWORD = fieldMessage('forms.login.missingPassword');

export const loginSchema = z.object({
  login: requiredText(fieldMessage('forms.login.missingLogin'), EMAIL_MAX_LENGTH + 100),
  password: z.string({ error: ENTER_PASSWORD }).check(z.minLength(1, ENTER_PASSWORD), z.maxLength(PASSWORD_MAX_LENGTH)),
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
  // Optional: an account without a password confirms through its provider instead
  // (confirmIdentity answers "password-missing" for one that has a password).
  currentPassword: z._default(z.string().check(z.maxLength(PASSWORD_MAX_LENGTH)), ''),
  password: anyText,
  passwordConfirm: anyText,
});

export const newPasswordSchema = z.object({ password: anyText, passwordConfirm: anyText });

export const passwordResetRequestSchema = z.object({ email });

export const confirmPasswordSchema = z.object({
  // Optional: an account without a password confirms through its provider instead.
  password: z._default(z.string().check(z.maxLength(PASSWORD_MAX_LENGTH)), ''),
});

// Its own field name: the password page's other form has a "Current password" too.
export const removePasswordSchema = z.object({ removePassword: z._default(z.string().check(z.maxLength(PASSWORD_MAX_LENGTH)), '') });
