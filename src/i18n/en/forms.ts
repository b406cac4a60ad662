import type { Message } from '../message-format';

// Validation and field error messages, produced outside any page (src/auth/forms.ts,
// src/auth/password-rules.ts) as references (src/auth/field-errors.ts) and translated by
// the field components when they render.
export const forms = {
  'forms.field.tooLong': 'Use at most {max} characters.',
  'forms.username.missing': 'Enter a username.',
  'forms.username.invalid': 'Use only letters, digits and @ . + - _',
  'forms.email.missing': 'Enter your email address.',
  'forms.email.invalid': 'Enter a valid email address, like name@example.com.',
  'forms.register.confirmOnly': 'Type the password in both fields, or leave both empty to sign in with emailed codes.',
  'forms.login.missingLogin': 'Enter your username or email.',
  'forms.login.missingPassword': 'Enter your password.',
  'forms.password.missing': 'Enter a password.',
  'forms.password.mismatch': 'The two passwords do not match.',
  'forms.password.tooShort': 'Use at least {min} characters.',
  'forms.password.numeric': 'The password cannot be entirely numeric.',
  'forms.password.tooSimilar': 'The password is too similar to your username or email address.',
  'forms.password.tooCommon': 'This password is too common: it is among the first that attackers try.',
} as const satisfies Record<string, Message>;
