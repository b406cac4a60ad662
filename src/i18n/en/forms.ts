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
  // Changing the password (src/auth/password-change.ts).
  'forms.password.currentMissing': 'Enter your current password.',
  'forms.password.currentWrong': 'Your current password is wrong.',
  'forms.password.sameAsCurrent': 'Choose a password different from the current one.',
  // A profile picture refused (src/images/avatar-image.ts) or not stored (src/users/profile-update.ts).
  // The formats are those of src/images/image-type.ts; width and height are plain digits.
  'forms.avatar.empty': 'The file is empty. Choose a picture to upload.',
  'forms.avatar.notAPicture': 'This file is not a picture we can use. Upload a JPEG, PNG, WebP, GIF or AVIF image.',
  'forms.avatar.unreadable': 'This picture could not be read. It may be damaged or too large; upload a JPEG, PNG, WebP, GIF or AVIF image.',
  'forms.avatar.tooManyPixels': 'This picture is too large ({width}×{height} pixels). Use one of at most 12,000 pixels a side and 50 megapixels.',
  'forms.avatar.notProcessed': 'We could not process your picture just now. Nothing was changed; please try again in a few minutes.',
  'forms.avatar.notSaved': 'We could not save your picture. Nothing was changed; please try again.',
} as const satisfies Record<string, Message>;
