import { and, between, isNotNull } from 'drizzle-orm';
import type { Db } from '../db/client';
import { profiles } from '../db/schema';
import { avatarKeyOwner, avatarObjectKeys, isAvatarKey } from '../storage/avatar-keys';
import type { ListedObject, ObjectStore } from '../storage/object-store';
import { readSweepCursor, saveSweepCursor } from './sweep-cursor';

// An upload stores its objects before D1 points to them: give it time to finish.
export const ORPHAN_GRACE_MS = 60 * 60 * 1000;

export const ORPHAN_CURSOR_KEY = 'maintenance:orphan-avatars:cursor';

export interface OrphanSweepLimits {
  // Keys per S3 list request (S3 returns at most 1000).
  pageSize: number;
  // List requests per run; each page also costs one D1 query.
  maxPages: number;
  // S3 deletes per run (one request per key, see ObjectStore.delete).
  maxDeletes: number;
}

// One run stays far below a cron invocation's limits whatever the bucket's size: at most
// 100 lists + 100 D1 queries + 500 deletes + 2 KV calls (Workers Paid allows 1000 D1
// queries and 10,000 subrequests), about 2-4 s of CPU (30 s allowed), 100,000 keys.
export const ORPHAN_SWEEP_LIMITS: OrphanSweepLimits = { pageSize: 1000, maxPages: 100, maxDeletes: 500 };

export interface OrphanSweep {
  scanned: number;
  deleted: string[];
  // The last key handled, where the next run starts; null once the sweep reached the end.
  cursor: string | null;
  // When the pass that just ended began (only when this run reached the end).
  passStartedAt?: number;
}

export interface OrphanSweepOptions {
  now?: number;
  limits?: OrphanSweepLimits;
  prefix?: string;
  cursorKey?: string;
}

function isPastGrace(object: ListedObject, now: number): boolean {
  return !object.lastModified || now - object.lastModified.getTime() > ORPHAN_GRACE_MS;
}

// The page's orphans in key order. Keys sort by owner, so a page covers a narrow range of
// user ids: one indexed range query answers for all of it (no IN list, whose 100 bound
// parameters a page of 1000 keys would overflow).
async function findOrphans(db: Db, page: ListedObject[], now: number): Promise<string[]> {
  const candidates = page.filter((object) => isAvatarKey(object.key) && isPastGrace(object, now)).map((object) => object.key);
  if (!candidates.length) return [];
  const owners = candidates.map(avatarKeyOwner).sort();
  const rows = await db
    .select({ key: profiles.avatarKey })
    .from(profiles)
    .where(and(between(profiles.userId, owners[0]!, owners.at(-1)!), isNotNull(profiles.avatarKey)))
    .all();
  const referenced = new Set(rows.flatMap((row) => avatarObjectKeys(row.key)));
  return candidates.filter((key) => !referenced.has(key));
}

async function nextPage(objects: AsyncIterator<ListedObject>, size: number): Promise<ListedObject[]> {
  const page: ListedObject[] = [];
  while (page.length < size) {
    const next = await objects.next();
    if (next.done) break;
    page.push(next.value);
  }
  return page;
}

async function deleteInChunks(store: ObjectStore, keys: string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 50) await store.delete(keys.slice(i, i + 50));
}

// Deletes avatar objects that no profile references (left by a failed delete, an account
// deletion cut short, or a race) once they are older than the grace period. Each run
// handles a bounded slice of the bucket and saves where it stopped in KV; the next run
// goes on from there, and after the last key the sweep starts over.
export async function removeOrphanAvatars(db: Db, store: ObjectStore, kv: KVNamespace, options: OrphanSweepOptions = {}): Promise<OrphanSweep> {
  const { now = Date.now(), limits = ORPHAN_SWEEP_LIMITS, prefix = 'avatars/', cursorKey = ORPHAN_CURSOR_KEY } = options;
  const saved = await readSweepCursor(kv, cursorKey, prefix);
  const sweep: OrphanSweep = { scanned: 0, deleted: [], cursor: saved?.after ?? null };
  const objects = store.list(prefix, { startAfter: saved?.after, pageSize: limits.pageSize })[Symbol.asyncIterator]();
  let reachedEnd = false;
  let failure: unknown;
  try {
    for (let pages = 0; pages < limits.maxPages && !reachedEnd; pages++) {
      const page = await nextPage(objects, limits.pageSize);
      const orphans = await findOrphans(db, page, now);
      const doomed = orphans.slice(0, limits.maxDeletes - sweep.deleted.length);
      await deleteInChunks(store, doomed);
      sweep.deleted.push(...doomed);
      if (doomed.length < orphans.length) {
        // Out of deletes: the next run starts just before the first orphan left.
        const handled = page.findIndex((object) => object.key === orphans[doomed.length]);
        sweep.scanned += handled;
        if (handled > 0) sweep.cursor = page[handled - 1]!.key;
        break;
      }
      sweep.scanned += page.length;
      if (page.length) sweep.cursor = page.at(-1)!.key;
      reachedEnd = page.length < limits.pageSize;
    }
  } catch (error) {
    // Keep the progress of the pages already handled; the failed one is retried next run.
    failure = error;
  } finally {
    await objects.return?.();
  }
  if (reachedEnd) {
    sweep.cursor = null;
    sweep.passStartedAt = saved?.passStartedAt ?? now;
  }
  await saveSweepCursor(kv, cursorKey, saved, sweep.cursor === null ? null : { after: sweep.cursor, passStartedAt: saved?.passStartedAt ?? now });
  if (failure) throw failure;
  return sweep;
}
