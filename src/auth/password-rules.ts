import { isCommonPassword, type CommonPasswords } from './common-passwords';
import { englishFieldMessage, fieldMessage } from './field-errors';

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 1024;
const MAX_SIMILARITY = 0.7;

export interface PasswordContext {
  username?: string;
  email?: string;
}

// Share of characters two strings have in common, in order: 2 * LCS / (|a| + |b|).
// Close to Django's SequenceMatcher ratio, which its similarity rule uses.
export function similarityRatio(a: string, b: string): number {
  if (!a.length || !b.length) return 0;
  let previous = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    const current = new Array<number>(b.length + 1).fill(0);
    for (let j = 1; j <= b.length; j++) {
      current[j] = a[i - 1] === b[j - 1] ? previous[j - 1]! + 1 : Math.max(previous[j]!, current[j - 1]!);
    }
    previous = current;
  }
  return (2 * previous[b.length]!) / (a.length + b.length);
}

function attributeParts(context: PasswordContext): string[] {
  const values = [context.username, context.email, context.email?.split('@')[0]];
  const parts = new Set<string>();
  for (const value of values) {
    if (!value) continue;
    const lower = value.toLowerCase();
    parts.add(lower);
    for (const piece of lower.split(/[\W_]+/u)) if (piece.length >= 3) parts.add(piece);
  }
  return [...parts];
}

export function isTooSimilar(password: string, context: PasswordContext): boolean {
  const lower = password.toLowerCase().slice(0, 256);
  return attributeParts(context).some((part) => lower.includes(part) ? part.length * 2 >= lower.length : similarityRatio(lower, part.slice(0, 256)) >= MAX_SIMILARITY);
}

// Returns every rule the password breaks, as catalogue references (src/auth/field-errors.ts)
// the views translate. The list comes loaded (src/auth/common-passwords.ts), so the check
// itself stays synchronous.
export function passwordRuleMessages(password: string, context: PasswordContext, commonPasswords: CommonPasswords): string[] {
  const problems: string[] = [];
  // Lengths go in as text: a number would be formatted (1,024), which the English never was.
  if (password.length < PASSWORD_MIN_LENGTH) {
    problems.push(fieldMessage('forms.password.tooShort', { min: String(PASSWORD_MIN_LENGTH) }));
  }
  if (password.length > PASSWORD_MAX_LENGTH) {
    problems.push(fieldMessage('forms.field.tooLong', { max: String(PASSWORD_MAX_LENGTH) }));
  }
  if (/^\d+$/.test(password)) {
    problems.push(fieldMessage('forms.password.numeric'));
  }
  if (password && isTooSimilar(password, context)) {
    problems.push(fieldMessage('forms.password.tooSimilar'));
  }
  if (password.length >= PASSWORD_MIN_LENGTH && isCommonPassword(commonPasswords, password)) {
    problems.push(fieldMessage('forms.password.tooCommon'));
  }
  return problems;
}

// The same, in English: for callers without a page to translate them (and the rules' tests).
export function checkPasswordRules(password: string, context: PasswordContext, commonPasswords: CommonPasswords): string[] {
  return passwordRuleMessages(password, context, commonPasswords).map(englishFieldMessage);
}

// Field errors for a "new password" + "confirm" pair, as every form that sets one shows them.
export function newPasswordErrors(password: string, confirm: string, context: PasswordContext, commonPasswords: CommonPasswords): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  if (!password) return { password: [fieldMessage('forms.password.missing')] };
  if (password !== confirm) errors.passwordConfirm = [fieldMessage('forms.password.mismatch')];
  const problems = passwordRuleMessages(password, context, commonPasswords);
  if (problems.length) errors.password = problems;
  return errors;
}
