import { and, eq, gt } from 'drizzle-orm';
import type { Db } from '../db/client';
import { authChallenges } from '../db/schema';
import { newIdAndSecret, secretMatches, splitToken } from '../auth/random-token';

// Between a first factor (a correct password) and the second the browser holds no
// session, only this: a row in auth_challenges (only a hash of its secret stored) that
// the first factor created, for that user, valid 5 minutes and used up by the one
// request that completes the sign-in (DELETE ... RETURNING).
export const PENDING_SIGN_IN_PURPOSE = 'pending_sign_in';
export const PENDING_SIGN_IN_LIFETIME_MS = 5 * 60 * 1000;

export interface PendingSignIn {
  id: string;
  userId: string;
  // How the first step was proven (src/sign-in/second-step-rule.ts names the methods).
  firstFactor: string;
  // The provider's label, after a provider sign-in.
  providerName?: string;
  // Where to go once signed in (already checked to be a same-site path, or undefined).
  next?: string;
  createdAt: number;
  expiresAt: number;
}

export async function createPendingSignIn(db: Db, input: { userId: string; firstFactor?: string; providerName?: string; next?: string }, now = Date.now()): Promise<{ token: string; expiresAt: number }> {
  const { id, secretHash, token } = newIdAndSecret();
  const expiresAt = now + PENDING_SIGN_IN_LIFETIME_MS;
  await db.insert(authChallenges).values({
    id,
    purpose: PENDING_SIGN_IN_PURPOSE,
    userId: input.userId,
    secretHash,
    data: JSON.stringify({ firstFactor: input.firstFactor ?? 'password', providerName: input.providerName, next: input.next }),
    createdAt: now,
    expiresAt,
  });
  return { token, expiresAt };
}

type ChallengeRow = typeof authChallenges.$inferSelect;

function toPendingSignIn(row: ChallengeRow): PendingSignIn | null {
  if (!row.userId) return null;
  let data: { firstFactor?: unknown; providerName?: unknown; next?: unknown } = {};
  try {
    data = JSON.parse(row.data ?? '{}') ?? {};
  } catch {
    data = {};
  }
  const firstFactor = typeof data.firstFactor === 'string' ? data.firstFactor : 'password';
  const next = typeof data.next === 'string' ? data.next : undefined;
  const providerName = typeof data.providerName === 'string' ? data.providerName : undefined;
  return { id: row.id, userId: row.userId, firstFactor, providerName, next, createdAt: row.createdAt, expiresAt: row.expiresAt };
}

// Checks the cookie's token without using it up (to show the form, or before a code).
export async function findPendingSignIn(db: Db, token: string | undefined, now = Date.now()): Promise<PendingSignIn | null> {
  const parts = token ? splitToken(token) : null;
  if (!parts) return null;
  const row = await db.select().from(authChallenges).where(eq(authChallenges.id, parts.id)).get();
  if (!row || row.purpose !== PENDING_SIGN_IN_PURPOSE || row.expiresAt <= now || !secretMatches(parts.secret, row.secretHash)) return null;
  return toPendingSignIn(row);
}

// Uses it up. Of two requests racing, only one gets the row back.
export async function consumePendingSignIn(db: Db, token: string | undefined, now = Date.now()): Promise<PendingSignIn | null> {
  const valid = await findPendingSignIn(db, token, now);
  if (!valid) return null;
  const row = await db
    .delete(authChallenges)
    .where(and(eq(authChallenges.id, valid.id), eq(authChallenges.purpose, PENDING_SIGN_IN_PURPOSE), gt(authChallenges.expiresAt, now)))
    .returning()
    .get();
  return row ? toPendingSignIn(row) : null;
}
