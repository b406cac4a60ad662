import { hashSecret, hashesMatch, newIdAndSecret } from './random-token';
import { isolateMemo } from '../isolate-memo';

// A session token is "<userId>.<id>.<secret>": 120 random bits of id, 160 of secret. KV
// keeps only the SHA-256 of the secret, so a leaked KV dump signs nobody in.
//   session:<id>                  -> SessionRecord (expires with the session)
//   user-sessions:<userId>:<id>   -> "" (an index to list or revoke one user's sessions)
// The user id lets a page start its D1 query (the user, and whether the session was
// revoked) together with the KV read instead of after it; neither answer is trusted
// alone: the KV record must name the same user. Tokens issued before carried no user id
// ("<id>.<secret>") and still work, at the old pace, until the cookie is written again.
export const SESSION_IDLE_MS = 14 * 24 * 60 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 60 * 24 * 60 * 60 * 1000;
// Renew at most this often: KV allows one write per second per key and writes cost.
export const SESSION_RENEW_AFTER_MS = 60 * 60 * 1000;
// A record this close to its idle expiry is renewed even when the cookie says it was:
// the write that should have renewed it may have failed.
const SESSION_LAST_DAY_MS = 24 * 60 * 60 * 1000;
// How long a location keeps a session record it has read (KV's cacheTtl). The record never
// changes but for its renewal time, and revocation is decided in D1, so a stale copy
// refuses nobody it should accept; it must stay shorter than the idle timeout minus the
// renewal interval, or a stale copy could time out a session that was renewed since.
// KV bills a read the same whether the location's cache answers or not.
export const SESSION_CACHE_TTL_SECONDS = 24 * 60 * 60;
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
  // The last-login time the sign-in wrote to D1 together with this record (in parallel):
  // until D1 holds it (users.last_login at least this), the session is refused, so a
  // sign-in that stopped halfway leaves no session D1 does not know. Sign-ups and older
  // records have none.
  signedInAt?: number;
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

// What the session cookie carries (src/http/session-cookie.ts adds the expiry).
export interface SessionCookie {
  // Absent in tokens issued before it was added.
  userId?: string;
  id: string;
  secret: string;
  // The expiry the cookie was last written with: when this browser last renewed.
  expiresAt?: number;
}

// User ids are 24 hex digits today (newUserId); any id without a dot is accepted.
const SESSION_COOKIE_PATTERN = /^(?:([0-9A-Za-z_-]{1,64})\.)?([a-z2-7]{24})\.([a-z2-7]{32})(?:\.([0-9a-z]{1,9}))?$/;

export function sessionToken(userId: string, id: string, secret: string): string {
  return `${userId}.${id}.${secret}`;
}

export function parseSessionCookie(value: string | undefined): SessionCookie | null {
  const match = value ? SESSION_COOKIE_PATTERN.exec(value) : null;
  if (!match) return null;
  const expiresAt = match[4] ? Number.parseInt(match[4], 36) * 1000 : undefined;
  return { userId: match[1], id: match[2]!, secret: match[3]!, expiresAt };
}

async function storeSession(kv: KVNamespace, fields: Omit<Session, 'id' | 'secretHash'>, now: number): Promise<{ token: string; session: Session }> {
  const { id, secret, secretHash } = newIdAndSecret();
  const token = sessionToken(fields.userId, id, secret);
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
  details: Pick<SessionRecord, 'userAgent' | 'location' | 'signInMethod' | 'providerName' | 'signedInAt'> = {},
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
      signedInAt: details.signedInAt,
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

// The session's record, from the location's cache when it holds one (see
// SESSION_CACHE_TTL_SECONDS).
export function readSessionRecord(kv: KVNamespace, id: string): Promise<SessionRecord | null> {
  return kv.get<SessionRecord>(sessionKey(id), { type: 'json', cacheTtl: SESSION_CACHE_TTL_SECONDS });
}

// Whether renewing now would move the expiry on by a renewal interval. What this browser
// last renewed is read from its cookie, not from the record: a cached copy can be a day
// old, and deciding from its age would renew on every request (KV takes one write per
// second per key). Old cookies without an expiry fall back to the record's.
function renewalDue(cookie: SessionCookie, record: SessionRecord, now: number): boolean {
  const extended = Math.min(now + SESSION_IDLE_MS, record.absoluteExpiresAt);
  const lastRenewed = cookie.expiresAt ?? record.expiresAt;
  if (extended - lastRenewed >= SESSION_RENEW_AFTER_MS) return true;
  return record.expiresAt - now < SESSION_LAST_DAY_MS && extended - record.expiresAt >= SESSION_RENEW_AFTER_MS;
}

// A signed-in browser sends the same secret with every request: its hash is worked out
// once per isolate, not on every page.
const sessionSecretHash = isolateMemo(hashSecret);

// The record against the cookie: its secret, its user (when the cookie names one) and
// its lifetime. Null for anything that is not a live session.
export function checkSession(cookie: SessionCookie, record: SessionRecord | null, now = Date.now()): ValidatedSession | null {
  if (!record) return null;
  if (!hashesMatch(sessionSecretHash(cookie.secret), record.secretHash)) return null;
  if (cookie.userId !== undefined && cookie.userId !== record.userId) return null;
  if (now >= record.expiresAt || now >= record.absoluteExpiresAt) return null;
  const session: Session = { id: cookie.id, ...record };
  if (!renewalDue(cookie, record, now)) return { session, renewed: false };
  session.lastSeenAt = now;
  session.expiresAt = Math.min(now + SESSION_IDLE_MS, record.absoluteExpiresAt);
  return { session, renewed: true };
}

// One KV read. Returns null for anything that is not a live session.
export async function validateSessionToken(kv: KVNamespace, value: string, now = Date.now()): Promise<ValidatedSession | null> {
  const cookie = parseSessionCookie(value);
  return cookie ? checkSession(cookie, await readSessionRecord(kv, cookie.id), now) : null;
}

// Renewals this isolate has written, by session id: requests that arrive together with
// the same old cookie (a page and its images, a double click) renew once.
const renewalsWritten = new Map<string, number>();
const RENEWALS_REMEMBERED = 10_000;

export function claimRenewal(sessionId: string, now = Date.now()): boolean {
  const written = renewalsWritten.get(sessionId);
  if (written !== undefined && now - written < SESSION_RENEW_AFTER_MS) return false;
  if (renewalsWritten.size >= RENEWALS_REMEMBERED) renewalsWritten.clear();
  renewalsWritten.set(sessionId, now);
  return true;
}

// After the response. A failed write (KV's one write per second per key) is no failure
// of the page: the record keeps its expiry, and is renewed again near its end.
export async function saveRenewedSession(kv: KVNamespace, session: Session, now = Date.now()): Promise<void> {
  try {
    await writeSession(kv, session, now);
  } catch (error) {
    console.warn('A session renewal was not saved:', error);
  }
}

// KV deletes reach other locations within about a minute; this location sees it at once.
export async function invalidateSession(kv: KVNamespace, session: Pick<Session, 'id' | 'userId'>): Promise<void> {
  await Promise.all([kv.delete(sessionKey(session.id)), kv.delete(`${userSessionsPrefix(session.userId)}${session.id}`)]);
}
