import { isNotNull, lt } from 'drizzle-orm';
import { readConfig } from '../config';
import { createDb, type Db } from '../db/client';
import { authTokens, loginFailures, profiles } from '../db/schema';
import { avatarObjectKeys } from '../storage/avatar-keys';
import { createObjectStore, type ObjectStore } from '../storage/object-store';

// An upload stores its objects before D1 points to them: give it time to finish.
export const ORPHAN_GRACE_MS = 60 * 60 * 1000;

// Deletes avatar objects that no profile references (left by a failed delete, an
// account deletion cut short, or a race) once they are older than the grace period.
export async function removeOrphanAvatars(db: Db, store: ObjectStore, now = Date.now()): Promise<{ scanned: number; deleted: string[] }> {
  const rows = await db.select({ key: profiles.avatarKey }).from(profiles).where(isNotNull(profiles.avatarKey)).all();
  const referenced = new Set(rows.flatMap((row) => avatarObjectKeys(row.key)));
  const orphans: string[] = [];
  let scanned = 0;
  for await (const object of store.list('avatars/')) {
    scanned += 1;
    const age = object.lastModified ? now - object.lastModified.getTime() : Infinity;
    if (!referenced.has(object.key) && age > ORPHAN_GRACE_MS) orphans.push(object.key);
  }
  for (let i = 0; i < orphans.length; i += 50) await store.delete(orphans.slice(i, i + 50));
  return { scanned, deleted: orphans };
}

export async function removeExpiredRecords(db: Db, now = Date.now()): Promise<void> {
  await db.batch([
    db.delete(authTokens).where(lt(authTokens.expiresAt, new Date(now))),
    db.delete(loginFailures).where(lt(loginFailures.windowStart, now - 24 * 60 * 60 * 1000)),
  ]);
}

export async function runScheduledCleanup(env: Env, scheduledTime = Date.now()): Promise<void> {
  const config = readConfig(env);
  const db = createDb(env.DB);
  await removeExpiredRecords(db, scheduledTime);
  const { scanned, deleted } = await removeOrphanAvatars(db, createObjectStore(config.s3), scheduledTime);
  console.log(`Cleanup: ${scanned} avatar objects scanned, ${deleted.length} orphans deleted`);
}
