import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { loginFailures } from '../db/schema';
import { normalizeEmail } from '../users/identity';
import { sha256Hex } from '../crypto/sha256';

// Two kinds of limit (README, "Rate limits"):
// - per client and action, with the Workers rate limiting binding: cheap, counted per
//   Cloudflare location over 60 s, enough to slow a flood from one address;
// - per account for sign-in, counted in D1: consistent everywhere, so guesses spread
//   over many locations and addresses still lock the account for a while.
export const CLIENT_LIMIT_PERIOD_SECONDS = 60;
export const LOCKOUT_MAX_FAILURES = 10;
export const LOCKOUT_WINDOW_MS = 15 * 60 * 1000;
export const LOCKOUT_DURATION_MS = 15 * 60 * 1000;

export type LimitResult = { ok: true } | { ok: false; retryAfterSeconds: number };

export function clientAddress(headers: { get(name: string): string | null }): string {
  return headers.get('cf-connecting-ip') ?? 'unknown';
}

export async function takeClientToken(limiter: RateLimit, action: string, key: string): Promise<LimitResult> {
  const { success } = await limiter.limit({ key: `${action}:${key}` });
  return success ? { ok: true } : { ok: false, retryAfterSeconds: CLIENT_LIMIT_PERIOD_SECONDS };
}

// Unknown logins are counted too, under a hash of what was typed, so a lockout says
// nothing about whether an account exists.
export function loginThrottleKey(userId: string | null, login: string): string {
  if (userId) return `user:${userId}`;
  return `login:${sha256Hex(normalizeEmail(login))}`;
}

export async function loginLockedForSeconds(db: Db, key: string, now = Date.now()): Promise<number> {
  const row = await db.select({ lockedUntil: loginFailures.lockedUntil }).from(loginFailures).where(eq(loginFailures.key, key)).get();
  return row?.lockedUntil && row.lockedUntil > now ? Math.ceil((row.lockedUntil - now) / 1000) : 0;
}

// One statement, so concurrent failures cannot lose a count.
export async function recordLoginFailure(db: Db, key: string, now = Date.now()): Promise<void> {
  const windowStartsAfter = now - LOCKOUT_WINDOW_MS;
  await db.run(sql`
    INSERT INTO login_failures (key, failures, window_start, locked_until) VALUES (${key}, 1, ${now}, NULL)
    ON CONFLICT (key) DO UPDATE SET
      failures = CASE WHEN window_start < ${windowStartsAfter} THEN 1 ELSE failures + 1 END,
      window_start = CASE WHEN window_start < ${windowStartsAfter} THEN ${now} ELSE window_start END,
      locked_until = CASE
        WHEN window_start >= ${windowStartsAfter} AND failures + 1 >= ${LOCKOUT_MAX_FAILURES} THEN ${now + LOCKOUT_DURATION_MS}
        ELSE locked_until END`);
}

export function clearLoginFailures(db: Db, key: string) {
  return db.delete(loginFailures).where(eq(loginFailures.key, key));
}
