import { invalidateSession, sessionKey, userSessionsPrefix, type Session, type SessionRecord } from './session';

// One user's sessions, through the per-user KV index (user-sessions:<userId>:<id>):
// listing and revoking never scan other users' keys.

// The ids in one user's index, every page of it (no scan over other users).
async function listUserSessionIds(kv: KVNamespace, userId: string): Promise<string[]> {
  const prefix = userSessionsPrefix(userId);
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await kv.list({ prefix, cursor });
    ids.push(...page.keys.map((key) => key.name.slice(prefix.length)));
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return ids;
}

// All live sessions of one user, newest first.
export async function listUserSessions(kv: KVNamespace, userId: string): Promise<Session[]> {
  const ids = await listUserSessionIds(kv, userId);
  const records = await Promise.all(ids.map((id) => kv.get<SessionRecord>(sessionKey(id), 'json')));
  const now = Date.now();
  return records
    .map((record, i) => (record && record.userId === userId && record.expiresAt > now ? { id: ids[i]!, ...record } : null))
    .filter((session): session is Session => session !== null)
    .sort((a, b) => b.lastSeenAt - a.lastSeenAt);
}

export async function invalidateUserSessions(kv: KVNamespace, userId: string, options: { except?: string } = {}): Promise<number> {
  const ids = (await listUserSessionIds(kv, userId)).filter((id) => id !== options.except);
  await Promise.all(ids.map((id) => invalidateSession(kv, { id, userId })));
  return ids.length;
}

// A live session of this user by id (one KV read), or null.
export async function findUserSession(kv: KVNamespace, userId: string, id: string, now = Date.now()): Promise<Session | null> {
  if (!/^[a-z2-7]{24}$/.test(id)) return null;
  const record = await kv.get<SessionRecord>(sessionKey(id), 'json');
  return record && record.userId === userId && record.expiresAt > now ? { id, ...record } : null;
}
