import { decodeBase64, encodeBase64 } from '@oslojs/encoding';
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { passkeys, type UserRow } from '../db/schema';
import { securityEvent, type RequestContext } from '../users/security-events';
import type { NewCredential, StoredCredential } from './webauthn';
import { confirmIdentity, type IdentityConfirmation } from '../auth/password-confirmation';
import type { Session } from '../auth/session';
import { keepOnlyCurrentSession, revokeSessionsIssuedBefore } from '../auth/session-revocation';

// An account's passkeys: the rows, and what the owner does with them (list, rename,
// remove). Adding one is in webauthn-registration.ts, signing in in webauthn-sign-in.ts.

export const PASSKEY_NAME_MAX_LENGTH = 60;
// Enough for every device a person owns; bounds the rows and the exclude list.
export const MAX_PASSKEYS_PER_USER = 20;
const KNOWN_TRANSPORTS = new Set(['usb', 'nfc', 'ble', 'internal', 'hybrid', 'smart-card']);

export interface PasskeySummary {
  id: string;
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
  backedUp: boolean;
}

export interface StoredPasskey extends StoredCredential {
  id: string;
  userId: string;
  name: string;
  transports: string[];
}

const summaryColumns = {
  id: passkeys.id,
  name: passkeys.name,
  createdAt: passkeys.createdAt,
  lastUsedAt: passkeys.lastUsedAt,
  backedUp: passkeys.backedUp,
};

export function listPasskeys(db: Db, userId: string): Promise<PasskeySummary[]> {
  return db.select(summaryColumns).from(passkeys).where(eq(passkeys.userId, userId)).orderBy(asc(passkeys.createdAt)).all();
}

export async function findUserPasskey(db: Db, userId: string, id: string): Promise<PasskeySummary | null> {
  return (await db.select(summaryColumns).from(passkeys).where(and(eq(passkeys.id, id), eq(passkeys.userId, userId))).get()) ?? null;
}

export function parseTransports(value: string | null): string[] {
  try {
    const parsed: unknown = JSON.parse(value ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((t): t is string => typeof t === 'string' && KNOWN_TRANSPORTS.has(t)) : [];
  } catch {
    return [];
  }
}

export function toStoredPasskey(row: typeof passkeys.$inferSelect): StoredPasskey {
  return {
    id: row.id,
    userId: row.userId,
    name: row.name,
    algorithm: row.algorithm,
    publicKey: decodeBase64(row.publicKey),
    signCount: row.signCount,
    transports: parseTransports(row.transports),
  };
}

// The insert, for the batch that also records the event.
export function insertPasskey(db: Db, userId: string, name: string, credential: NewCredential, transports: string[], now: number) {
  return db.insert(passkeys).values({
    id: credential.id,
    userId,
    name,
    algorithm: credential.algorithm,
    publicKey: encodeBase64(credential.publicKey),
    signCount: credential.signCount,
    transports: JSON.stringify(transports.filter((t) => KNOWN_TRANSPORTS.has(t))),
    backedUp: credential.backedUp,
    createdAt: now,
  });
}

export async function renamePasskey(db: Db, userId: string, id: string, name: string): Promise<boolean> {
  const renamed = await db
    .update(passkeys)
    .set({ name })
    .where(and(eq(passkeys.id, id), eq(passkeys.userId, userId)))
    .returning({ id: passkeys.id })
    .get();
  return Boolean(renamed);
}

export type RemovePasskeyResult =
  | { ok: true; name: string; token: string; session: Session; signedOut: number }
  | { ok: false; reason: 'not-found' }
  | Exclude<IdentityConfirmation, { ok: true }>;

// Needs the password: someone holding a stolen session must not take the owner's way in
// away. A wrong password counts toward the account's sign-in lockout. Every other session
// ends (one may have been opened with this passkey, on a device now lost); the current
// one continues with a new token.
export async function removePasskey(
  db: Db,
  kv: KVNamespace,
  user: Pick<UserRow, 'id' | 'passwordHash'>,
  id: string,
  password: string,
  current: Session,
  context: RequestContext = {},
  now = Date.now(),
): Promise<RemovePasskeyResult> {
  const passkey = await findUserPasskey(db, user.id, id);
  if (!passkey) return { ok: false, reason: 'not-found' };
  const confirmed = await confirmIdentity(db, user, { password, sessionId: current.id }, now);
  if (!confirmed.ok) return confirmed;
  await db.batch([
    db.delete(passkeys).where(and(eq(passkeys.id, id), eq(passkeys.userId, user.id))),
    revokeSessionsIssuedBefore(db, user.id, now),
    securityEvent(db, { type: 'passkey_removed', userId: user.id, details: { name: passkey.name } }, context, now),
  ]);
  const { token, session, signedOut } = await keepOnlyCurrentSession(kv, current, now);
  return { ok: true, name: passkey.name, token, session, signedOut };
}
