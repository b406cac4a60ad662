import { isCommonPassword, type CommonPasswords } from './common-passwords';

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

// Returns every rule the password breaks, as messages for the person typing it. The list
// comes loaded (src/auth/common-passwords.ts), so the check itself stays synchronous.
export function checkPasswordRules(password: string, context: PasswordContext, commonPasswords: CommonPasswords): string[] {
  const problems: string[] = [];
  if (password.length < PASSWORD_MIN_LENGTH) {
    problems.push(`Use at least ${PASSWORD_MIN_LENGTH} characters.`);
  }
  if (password.length > PASSWORD_MAX_LENGTH) {
    problems.push(`Use at most ${PASSWORD_MAX_LENGTH} characters.`);
  }
  if (/^\d+$/.test(password)) {
    problems.push('The password cannot be entirely numeric.');
  }
  if (password && isTooSimilar(password, context)) {
    problems.push('The password is too similar to your username or email address.');
  }
  if (password.length >= PASSWORD_MIN_LENGTH && isCommonPassword(commonPasswords, password)) {
    problems.push('This password is too common: it is among the first that attackers try.');
  }
  return problems;
}

// Field errors for a "new password" + "confirm" pair, as every form that sets one shows them.
export function newPasswordErrors(password: string, confirm: string, context: PasswordContext, commonPasswords: CommonPasswords): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  if (!password) return { password: ['Enter a password.'] };
  if (password !== confirm) errors.passwordConfirm = ['The two passwords do not match.'];
  const problems = checkPasswordRules(password, context, commonPasswords);
  if (problems.length) errors.password = problems;
  return errors;
}
