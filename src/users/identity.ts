// Usernames and emails as people type them, and the forms the database compares.

export const USERNAME_MAX_LENGTH = 150;
export const EMAIL_MAX_LENGTH = 254;
// Letters and digits in any script, plus @ . + - _ (Django's rule).
export const USERNAME_PATTERN = /^[\p{L}\p{N}@.+\-_]+$/u;

export function normalizeUsername(username: string): string {
  return username.trim().normalize('NFKC');
}

// The uniqueness key: "Alice" and "alice" are the same account.
export function usernameKey(username: string): string {
  return normalizeUsername(username).toLowerCase();
}

export function normalizeEmail(email: string): string {
  return email.trim().normalize('NFKC').toLowerCase();
}

export function looksLikeEmail(login: string): boolean {
  return login.includes('@') && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(login.trim());
}
