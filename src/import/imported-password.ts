import { inspectDjangoHash } from '../auth/django-hashers';

// What the import stores for a Django password, and what the report says about it.
export interface PasswordPlan {
  passwordHash: string;
  mustReset: boolean;
  // The hash format and cost, or why the password must be reset.
  password: string;
}

// Stored instead of a hash that cannot be verified here: not an app hash (those begin
// with "$"), so a re-import may still replace it, and no password ever matches it.
export const MUST_RESET_HASH_PREFIX = '!django-import:';
// Django's password column holds 128 characters; far longer text is no hash Django wrote.
const MAX_HASH_LENGTH = 512;

// Text no hasher writes: it is not carried over, and only a fixed marker is stored.
function findUnreadableHash(hash: string): string | null {
  if (hash.length > MAX_HASH_LENGTH) return `unreadable hash (${hash.length} characters, above ${MAX_HASH_LENGTH})`;
  if (/\p{Cc}/u.test(hash)) return 'unreadable hash (control characters or NUL)';
  if (!hash.isWellFormed()) return 'unreadable hash (not valid Unicode)';
  return null;
}

export function planPassword(hash: string): PasswordPlan {
  const unreadable = findUnreadableHash(hash);
  if (unreadable) return { passwordHash: `${MUST_RESET_HASH_PREFIX}unreadable`, mustReset: true, password: `must reset: ${unreadable}` };
  const info = inspectDjangoHash(hash);
  if (info.usable) return { passwordHash: hash, mustReset: false, password: `${info.algorithm}, ${info.cost}` };
  // An unknown format's "algorithm" is whatever came before the first "$": keep only a name.
  const algorithm = /^[a-z0-9_]{1,40}$/.test(info.algorithm) ? info.algorithm : 'unknown';
  return { passwordHash: `${MUST_RESET_HASH_PREFIX}${algorithm}`, mustReset: true, password: `must reset: ${info.reason}` };
}
