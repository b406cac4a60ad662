import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { loginFailures } from '../db/schema';
import { normalizeEmail } from '../users/identity';
import { sha256Hex } from '../crypto/sha256';

// Two kinds of limit (README, "Rate limits"):
// - per client and action, with the Workers rate limiting binding: cheap, counted per
//   Cloudflare location over 60 s, enough to slow a flood from one address;
// - per typed login for sign-in, and per account for confirmations and second-step codes,
//   counted in D1: consistent everywhere, so guesses spread over many locations and
//   addresses still lock for a while.
export const CLIENT_LIMIT_PERIOD_SECONDS = 60;
export const LOCKOUT_MAX_FAILURES = 10;
export const LOCKOUT_WINDOW_MS = 15 * 60 * 1000;
export const LOCKOUT_DURATION_MS = 15 * 60 * 1000;

export type LimitResult = { ok: true } | { ok: false; retryAfterSeconds: number };

export function clientAddress(headers: { get(name: string): string | null }): string {
  return headers.get('cf-connecting-ip') ?? 'unknown';
}

// What a per-client limit counts: an IPv4 address as it is, an IPv6 address by its /64.
// One home or phone connection is handed a whole /64 (often a /56), so counting single
// IPv6 addresses would let anyone step past a limit by changing the last 64 bits. An IPv4
// address written as IPv6 (::ffff:192.0.2.1) counts as that IPv4 address. Anything else
// (no header: "unknown") is counted as it is.
export function clientNetwork(address: string): string {
  if (!address.includes(':')) return address;
  const groups = ipv6Groups(address.replace(/%.*$/, '').toLowerCase());
  if (!groups) return address;
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) {
    return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join('.');
  }
  return `${groups
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(':')}::/64`;
}

// The eight 16-bit groups of an IPv6 address in any of its written forms, or null.
function ipv6Groups(text: string): number[] | null {
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const sides = halves.map((half) => (half ? half.split(':') : []));
  const last = sides[sides.length - 1]!;
  // A dotted IPv4 at the end stands for the last two groups.
  const embedded = last.length > 0 && last[last.length - 1]!.includes('.') ? ipv4Groups(last.pop()!) : [];
  if (!embedded || !sides.every((side) => side.every((group) => /^[0-9a-f]{1,4}$/.test(group)))) return null;
  const [head = [], tail = []] = sides.map((side) => side.map((group) => parseInt(group, 16)));
  if (sides.length === 1) return head.length + embedded.length === 8 ? [...head, ...embedded] : null;
  const missing = 8 - head.length - tail.length - embedded.length;
  return missing >= 1 ? [...head, ...Array<number>(missing).fill(0), ...tail, ...embedded] : null;
}

function ipv4Groups(text: string): number[] | null {
  const octets = text.split('.');
  if (octets.length !== 4 || !octets.every((octet) => /^\d{1,3}$/.test(octet) && Number(octet) <= 255)) return null;
  const [a, b, c, d] = octets.map(Number) as [number, number, number, number];
  return [(a << 8) | b, (c << 8) | d];
}

export async function takeClientToken(limiter: RateLimit, action: string, address: string): Promise<LimitResult> {
  const { success } = await limiter.limit({ key: `${action}:${clientNetwork(address)}` });
  return success ? { ok: true } : { ok: false, retryAfterSeconds: CLIENT_LIMIT_PERIOD_SECONDS };
}

// Sign-in failures are counted per identifier as typed (normalised as the account lookup
// does, then hashed), whether or not an account has it: the username and the address of
// one account lock independently, exactly as two unknown logins would, so a lockout says
// nothing about which identifiers share an account or whether one exists.
export function loginThrottleKey(login: string): string {
  return `login:${sha256Hex(normalizeEmail(login))}`;
}

// A passkey sign-in presents a credential id instead: counted the same way, per id.
export function passkeyThrottleKey(credentialId: string): string {
  return `passkey:${sha256Hex(credentialId)}`;
}

// Once someone is signed in (or has passed the password step), confirmations and second-step
// codes count per account: there is nothing left to enumerate.
export function accountThrottleKey(userId: string): string {
  return `user:${userId}`;
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

// Mail this app sends to an address someone typed (codes, "someone tried to sign up with
// this address"): at most CODE_MAILS_PER_ADDRESS per window, whoever asks and from
// wherever, counted in D1 beside the sign-in failures. The same for every address, known
// or not, so the limit says nothing about accounts.
export const CODE_MAILS_PER_ADDRESS = 5;
export const CODE_MAIL_WINDOW_MS = 15 * 60 * 1000;

export async function takeAddressMailAllowance(db: Db, email: string, now = Date.now()): Promise<LimitResult> {
  const key = `mail:${sha256Hex(normalizeEmail(email))}`;
  const windowStartsAfter = now - CODE_MAIL_WINDOW_MS;
  const row = await db.get<{ failures: number; window_start: number }>(sql`
    INSERT INTO login_failures (key, failures, window_start, locked_until) VALUES (${key}, 1, ${now}, NULL)
    ON CONFLICT (key) DO UPDATE SET
      failures = CASE WHEN window_start < ${windowStartsAfter} THEN 1 ELSE failures + 1 END,
      window_start = CASE WHEN window_start < ${windowStartsAfter} THEN ${now} ELSE window_start END
    RETURNING failures, window_start`);
  if (!row || row.failures <= CODE_MAILS_PER_ADDRESS) return { ok: true };
  return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((row.window_start + CODE_MAIL_WINDOW_MS - now) / 1000)) };
}
