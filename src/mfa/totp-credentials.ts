import { and, eq, isNotNull, isNull, lt, or } from 'drizzle-orm';
import { sha256Hex } from '../crypto/sha256';
import type { Db } from '../db/client';
import { totpCredentials } from '../db/schema';
import { SecretBoxError, openSecret, sealSecret } from './secret-box';
import { generateTotpKey, matchTotpStep } from './totp';

// One authenticator app per account, in totp_credentials: a row with enabled_at null is
// an enrolment waiting for its first code; the key is sealed with the MFA key (AES-GCM),
// bound to the user id. A pending key belongs to the session that started the enrolment
// (after the password): another session of the account, perhaps a stolen one, can
// neither read it nor finish it, only start over with the password.

export async function isTotpEnabled(db: Db, userId: string): Promise<boolean> {
  const row = await db
    .select({ userId: totpCredentials.userId })
    .from(totpCredentials)
    .where(and(eq(totpCredentials.userId, userId), isNotNull(totpCredentials.enabledAt)))
    .get();
  return Boolean(row);
}

export async function findTotpStatus(db: Db, userId: string): Promise<{ enabledAt: number | null } | null> {
  const row = await db.select({ enabledAt: totpCredentials.enabledAt }).from(totpCredentials).where(eq(totpCredentials.userId, userId)).get();
  return row ?? null;
}

// A new key for a pending enrolment of this session, replacing any earlier pending one.
// Never touches an enabled credential (returns null then): turning it off comes first.
export async function startTotpEnrolment(db: Db, key: CryptoKey, userId: string, sessionId: string, now = Date.now()): Promise<Uint8Array | null> {
  const totpKey = generateTotpKey();
  const secretEncrypted = await sealSecret(key, totpKey, userId);
  const sessionIdHash = sha256Hex(sessionId);
  const written = await db
    .insert(totpCredentials)
    .values({ userId, secretEncrypted, enabledAt: null, lastUsedStep: null, createdAt: now, sessionIdHash })
    .onConflictDoUpdate({
      target: totpCredentials.userId,
      set: { secretEncrypted, lastUsedStep: null, createdAt: now, sessionIdHash },
      setWhere: isNull(totpCredentials.enabledAt),
    })
    .returning({ userId: totpCredentials.userId })
    .all();
  return written.length ? totpKey : null;
}

export interface PendingEnrolment {
  totpKey: Uint8Array;
  secretEncrypted: string;
}

// A key that no longer opens (MFA_ENCRYPTION_KEY was changed) is logged and treated as
// absent: its owner can start again (enrolment) or use a recovery code (sign-in).
async function openTotpKey(key: CryptoKey, secretEncrypted: string, userId: string): Promise<Uint8Array | null> {
  try {
    return await openSecret(key, secretEncrypted, userId);
  } catch (error) {
    if (!(error instanceof SecretBoxError)) throw error;
    console.error(`An authenticator key does not open with MFA_ENCRYPTION_KEY (was the key changed?): ${error.message}`);
    return null;
  }
}

// Only the enrolment the given session started.
export async function findPendingEnrolment(db: Db, key: CryptoKey, userId: string, sessionId: string): Promise<PendingEnrolment | null> {
  const row = await db
    .select()
    .from(totpCredentials)
    .where(and(eq(totpCredentials.userId, userId), isNull(totpCredentials.enabledAt), eq(totpCredentials.sessionIdHash, sha256Hex(sessionId))))
    .get();
  const totpKey = row ? await openTotpKey(key, row.secretEncrypted, userId) : null;
  return row && totpKey ? { totpKey, secretEncrypted: row.secretEncrypted } : null;
}

// The statement that switches a checked enrolment on, for the batch that also writes the
// recovery codes and the event. The step the first code matched counts as used.
export function enableTotpStatement(db: Db, userId: string, enrolment: PendingEnrolment, step: number, now = Date.now()) {
  return db
    .update(totpCredentials)
    .set({ enabledAt: now, lastUsedStep: step, sessionIdHash: null })
    .where(and(eq(totpCredentials.userId, userId), isNull(totpCredentials.enabledAt), eq(totpCredentials.secretEncrypted, enrolment.secretEncrypted)));
}

export function deleteTotpCredential(db: Db, userId: string) {
  return db.delete(totpCredentials).where(eq(totpCredentials.userId, userId));
}

// Accepts a code from the enabled app at most once: the step it matched must come after
// the last step used, and recording it is a compare-and-set in one UPDATE, so two
// requests with the same code (or two codes at once) cannot both pass.
export async function useTotpCode(db: Db, key: CryptoKey, userId: string, code: string, now = Date.now()): Promise<boolean> {
  const row = await db
    .select({ secretEncrypted: totpCredentials.secretEncrypted })
    .from(totpCredentials)
    .where(and(eq(totpCredentials.userId, userId), isNotNull(totpCredentials.enabledAt)))
    .get();
  const totpKey = row ? await openTotpKey(key, row.secretEncrypted, userId) : null;
  const step = totpKey ? matchTotpStep(totpKey, code, now) : null;
  if (step === null) return false;
  const updated = await db
    .update(totpCredentials)
    .set({ lastUsedStep: step })
    .where(
      and(
        eq(totpCredentials.userId, userId),
        isNotNull(totpCredentials.enabledAt),
        or(isNull(totpCredentials.lastUsedStep), lt(totpCredentials.lastUsedStep, step)),
      ),
    )
    .returning({ userId: totpCredentials.userId })
    .all();
  return updated.length === 1;
}
