import { and, count, eq, isNull } from 'drizzle-orm';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import type { Db } from '../db/client';
import { recoveryCodes } from '../db/schema';
import { sha256Hex } from '../crypto/sha256';
import { securityEvent, type RequestContext } from '../users/security-events';

// Ten single-use codes that stand in for the authenticator app. 60 random bits each, shown
// as "abcd-efgh-ijkl"; only a hash is stored. The hash includes the user id, so a code
// is only ever looked up within its own account.
export const RECOVERY_CODE_COUNT = 10;
const CODE_BYTES = 8;
const CODE_LENGTH = 12;

export function generateRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const raw = encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(CODE_BYTES))).slice(0, CODE_LENGTH);
    return raw.replace(/(.{4})(?=.)/g, '$1-');
  });
}

// Case, spaces and dashes do not matter when typed back, and neither does reading the
// letters o and l as digits (codes have no 0 or 1).
export function normalizeRecoveryCode(input: string): string {
  return input.toLowerCase().replace(/[^a-z0-9]/g, '').replaceAll('0', 'o').replaceAll('1', 'l');
}

export function looksLikeRecoveryCode(input: string): boolean {
  return /^[a-z2-7]{12}$/.test(normalizeRecoveryCode(input));
}

function hashRecoveryCode(userId: string, code: string): string {
  return sha256Hex(`${userId}:${normalizeRecoveryCode(code)}`);
}

// Statements for a batch: the old set goes, the new one comes, together.
export function replaceRecoveryCodes(db: Db, userId: string, codes: string[], now = Date.now()) {
  const rows = codes.map((code) => ({
    id: crypto.randomUUID(),
    userId,
    codeHash: hashRecoveryCode(userId, code),
    usedAt: null,
    createdAt: now,
  }));
  return [deleteRecoveryCodes(db, userId), db.insert(recoveryCodes).values(rows)] as const;
}

export function deleteRecoveryCodes(db: Db, userId: string) {
  return db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
}

export async function countUnusedRecoveryCodes(db: Db, userId: string): Promise<number> {
  const row = await db
    .select({ n: count() })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)))
    .get();
  return row?.n ?? 0;
}

// Uses a code up: the check and the mark are one UPDATE (used_at IS NULL in its WHERE),
// so two requests racing with the same code cannot both succeed. The event is in the
// same batch (the loser of such a race adds a second event for the one use; the code
// still works once). Returns whether the code was accepted.
export async function useRecoveryCode(db: Db, userId: string, input: string, context: RequestContext = {}, now = Date.now()): Promise<boolean> {
  if (!looksLikeRecoveryCode(input)) return false;
  const codeHash = hashRecoveryCode(userId, input);
  const unused = and(eq(recoveryCodes.userId, userId), eq(recoveryCodes.codeHash, codeHash), isNull(recoveryCodes.usedAt));
  // Looked up first, so a wrong code writes nothing (and records no event).
  const found = await db.select({ id: recoveryCodes.id }).from(recoveryCodes).where(unused).get();
  if (!found) return false;
  const [marked] = await db.batch([
    db.update(recoveryCodes).set({ usedAt: now }).where(and(eq(recoveryCodes.id, found.id), isNull(recoveryCodes.usedAt))).returning({ id: recoveryCodes.id }),
    securityEvent(db, { type: 'recovery_code_used', userId }, context, now),
  ]);
  return marked.length === 1;
}
