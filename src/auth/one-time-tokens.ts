import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { authTokens, type AuthTokenRow } from '../db/schema';
import { newIdAndSecret, secretMatches, splitToken } from './random-token';

export type TokenPurpose = AuthTokenRow['purpose'];

export const TOKEN_LIFETIME_MS: Record<TokenPurpose, number> = {
  password_reset: 60 * 60 * 1000,
  verify_email: 48 * 60 * 60 * 1000,
  not_me: 7 * 24 * 60 * 60 * 1000,
};

// A new link replaces any earlier one of the same purpose: only the latest email works
// (unless `keepEarlier`: every "this wasn't me" alert keeps its own working link).
// The statements are returned unrun, so a caller can put them in its own batch.
export function oneTimeTokenStatements(db: Db, input: { userId: string; purpose: TokenPurpose; email?: string; keepEarlier?: boolean }, now = Date.now()) {
  const { id, secretHash, token } = newIdAndSecret();
  const insert = db.insert(authTokens).values({
    id,
    userId: input.userId,
    purpose: input.purpose,
    secretHash,
    email: input.email ?? null,
    createdAt: new Date(now),
    expiresAt: new Date(now + TOKEN_LIFETIME_MS[input.purpose]),
  });
  return { token, statements: input.keepEarlier ? ([insert] as const) : ([deleteUserTokens(db, input.userId, input.purpose), insert] as const) };
}

export async function createOneTimeToken(
  db: Db,
  input: { userId: string; purpose: TokenPurpose; email?: string; keepEarlier?: boolean },
  now = Date.now(),
): Promise<string> {
  const { token, statements } = oneTimeTokenStatements(db, input, now);
  await db.batch(statements);
  return token;
}

// Checks a link without using it up (to show the form it leads to).
export async function findValidToken(db: Db, token: string, purpose: TokenPurpose, now = Date.now()): Promise<AuthTokenRow | null> {
  const parts = splitToken(token);
  if (!parts) return null;
  const row = await db.select().from(authTokens).where(eq(authTokens.id, parts.id)).get();
  if (!row || row.purpose !== purpose || !secretMatches(parts.secret, row.secretHash)) return null;
  return row.expiresAt.getTime() > now ? row : null;
}

// Uses a link up. DELETE ... RETURNING makes it single use even when two requests race.
export async function consumeToken(db: Db, token: string, purpose: TokenPurpose, now = Date.now()): Promise<AuthTokenRow | null> {
  const valid = await findValidToken(db, token, purpose, now);
  if (!valid) return null;
  const deleted = await db.delete(authTokens).where(eq(authTokens.id, valid.id)).returning().get();
  return deleted ?? null;
}

export function deleteUserTokens(db: Db, userId: string, purpose?: TokenPurpose) {
  return db.delete(authTokens).where(and(eq(authTokens.userId, userId), purpose ? eq(authTokens.purpose, purpose) : undefined));
}
