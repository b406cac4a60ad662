import { newIdAndSecret, secretMatches, splitToken } from './random-token';

// A session token is "<id>.<secret>": 120 random bits of id, 160 of secret. KV keeps
// only the SHA-256 of the secret, so a leaked KV dump signs nobody in.
//   session:<id>                  -> SessionRecord (expires with the session)
//   user-sessions:<userId>:<id>   -> "" (an index to list or revoke one user's sessions)
export const SESSION_IDLE_MS = 14 * 24 * 60 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 60 * 24 * 60 * 60 * 1000;
// Renew at most this often: KV allows one write per second per key and writes cost.
export const SESSION_RENEW_AFTER_MS = 60 * 60 * 1000;
const KV_MIN_TTL_SECONDS = 60;

export interface SessionRecord {
  userId: string;
  secretHash: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
  absoluteExpiresAt: number;
  // When this token was issued (a rotation issues a new one for the same sign-in);
  // tokens issued before the user's sessions_valid_after are refused. Older records
  // have none: their createdAt stands in.
  issuedAt?: number;
  userAgent?: string;
  // Approximate, from Cloudflare's request data: "Paris, FR".
  location?: string;
  // How this sign-in was proven (src/sign-in's SignInMethod), and the provider's label.
  signInMethod?: string;
  providerName?: string;
}

export interface Session extends SessionRecord {
  id: string;
}

export interface ValidatedSession {
  session: Session;
  // Set when the session was extended and the cookie must be sent again.
  renewed: boolean;
}

export function sessionKey(id: string): string {
  return `session:${id}`;
}

export function userSessionsPrefix(userId: string): string {
  return `user-sessions:${userId}:`;
}

function expirationSeconds(ms: number, now: number): number {
  return Math.max(Math.ceil(ms / 1000), Math.ceil(now / 1000) + KV_MIN_TTL_SECONDS);
}

async function writeSession(kv: KVNamespace, session: Session, now: number): Promise<void> {
  const { id, ...record } = session;
  await kv.put(sessionKey(id), JSON.stringify(record), { expiration: expirationSeconds(record.expiresAt, now) });
}

async function storeSession(kv: KVNamespace, fields: Omit<Session, 'id' | 'secretHash'>, now: number): Promise<{ token: string; session: Session }> {
  const { id, secretHash, token } = newIdAndSecret();
  const session: Session = { id, secretHash, ...fields };
  await Promise.all([
    writeSession(kv, session, now),
    kv.put(`${userSessionsPrefix(session.userId)}${id}`, '', {
      expiration: expirationSeconds(session.absoluteExpiresAt, now),
    }),
  ]);
  return { token, session };
}

export function createSession(
  kv: KVNamespace,
  userId: string,
  details: Pick<SessionRecord, 'userAgent' | 'location' | 'signInMethod' | 'providerName'> = {},
  now = Date.now(),
): Promise<{ token: string; session: Session }> {
  return storeSession(
    kv,
    {
      userId,
      createdAt: now,
      issuedAt: now,
      lastSeenAt: now,
      expiresAt: now + SESSION_IDLE_MS,
      absoluteExpiresAt: now + SESSION_ABSOLUTE_MS,
      userAgent: details.userAgent?.slice(0, 256),
      location: details.location?.slice(0, 100),
      signInMethod: details.signInMethod,
      providerName: details.providerName?.slice(0, 100),
    },
    now,
  );
}

// A new id and secret for the same sign-in (same device, start and absolute expiry),
// issued at `now`; the old token stops working. Used when every other session of the
// user is revoked by time, which would otherwise end this one too.
export async function rotateSession(kv: KVNamespace, current: Session, now = Date.now()): Promise<{ token: string; session: Session }> {
  const { id: _id, secretHash: _hash, ...fields } = current;
  const rotated = await storeSession(kv, { ...fields, issuedAt: now, lastSeenAt: now, expiresAt: Math.min(now + SESSION_IDLE_MS, current.absoluteExpiresAt) }, now);
  await invalidateSession(kv, current);
  return rotated;
}

// One KV read. Returns null for anything that is not a live session.
export async function validateSessionToken(
  kv: KVNamespace,
  token: string,
  now = Date.now(),
): Promise<ValidatedSession | null> {
  const parsed = splitToken(token);
  if (!parsed) return null;
  const record = await kv.get<SessionRecord>(sessionKey(parsed.id), 'json');
  if (!record) return null;
  if (!secretMatches(parsed.secret, record.secretHash)) return null;
  if (now >= record.expiresAt || now >= record.absoluteExpiresAt) return null;
  const session: Session = { id: parsed.id, ...record };
  if (now - record.lastSeenAt < SESSION_RENEW_AFTER_MS) return { session, renewed: false };
  session.lastSeenAt = now;
  session.expiresAt = Math.min(now + SESSION_IDLE_MS, record.absoluteExpiresAt);
  return { session, renewed: true };
}

export async function saveRenewedSession(kv: KVNamespace, session: Session, now = Date.now()): Promise<void> {
  await writeSession(kv, session, now);
}

// KV deletes reach other locations within about a minute; this location sees it at once.
export async function invalidateSession(kv: KVNamespace, session: Pick<Session, 'id' | 'userId'>): Promise<void> {
  await Promise.all([kv.delete(sessionKey(session.id)), kv.delete(`${userSessionsPrefix(session.userId)}${session.id}`)]);
}
