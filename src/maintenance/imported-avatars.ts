import { and, between, eq, isNotNull, isNull } from 'drizzle-orm';
import type { Db } from '../db/client';
import { profiles } from '../db/schema';
import { processAvatarUpload } from '../images/avatar-image';
import { retireFailureFloor } from '../import/failure-floor';
import { newAvatarKey, avatarObjectKeys, smallAvatarKey } from '../storage/avatar-keys';
import { deleteObjectsQuietly, type ObjectStore } from '../storage/object-store';

// Pictures staged by the Django import (imports/<user id>/<hash>.<ext>, referenced by
// profiles.avatar_import_key) become avatars exactly as an upload would: the same checks,
// square WebP 512 + 96 px through the Images binding, no metadata. The original is never
// served (the media route serves avatar keys only) and is deleted once handled.
export const IMPORTED_AVATAR_LIMITS = { perRun: 200, concurrency: 4, orphanDeletes: 200 };
// An original is uploaded just before the D1 write that references it: leave it a day.
const STAGED_GRACE_MS = 24 * 60 * 60 * 1000;

export interface ImportedAvatarRun {
  processed: number;
  unusable: string[]; // user ids whose picture could not be used: default avatar
  retryLater: number;
  orphansDeleted: number;
  floorRetired: boolean;
}

type Outcome = 'processed' | 'unusable' | 'retry' | 'failed';

async function processOne(db: Db, store: ObjectStore, images: ImagesBinding, userId: string, importKey: string): Promise<Outcome> {
  const original = await store.get(importKey);
  const bytes = original ? new Uint8Array(await new Response(original.body).arrayBuffer()) : null;
  const result = bytes ? await processAvatarUpload(images, new File([bytes], 'imported')) : null;
  if (result && !result.ok && result.retryable) return 'retry';
  if (result?.ok) {
    const key = newAvatarKey(userId);
    await Promise.all([store.put(key, result.avatar.large, 'image/webp'), store.put(smallAvatarKey(key), result.avatar.small, 'image/webp')]);
    // Only if nothing changed meanwhile (the user uploaded a picture of their own).
    const updated = await db
      .update(profiles)
      .set({ avatarKey: key, avatarImportKey: null, updatedAt: new Date() })
      .where(and(eq(profiles.userId, userId), eq(profiles.avatarImportKey, importKey), isNull(profiles.avatarKey)))
      .returning({ userId: profiles.userId });
    if (!updated.length) await deleteObjectsQuietly(store, avatarObjectKeys(key), 'imported avatar no longer wanted');
  } else {
    console.warn(`Imported avatar unusable for user ${userId} (${importKey}): ${result?.message ?? 'the staged original is missing'}; default avatar kept`);
    await db.update(profiles).set({ avatarImportKey: null }).where(and(eq(profiles.userId, userId), eq(profiles.avatarImportKey, importKey)));
  }
  await deleteObjectsQuietly(store, [importKey], 'staged original');
  return result?.ok ? 'processed' : 'unusable';
}

// Staged originals nobody references (the account was deleted before its picture was
// processed): removed once the queue is empty, so none can be mid-import.
async function removeUnreferencedOriginals(db: Db, store: ObjectStore, now: number, limit: number): Promise<number> {
  const page: { key: string; lastModified?: Date }[] = [];
  for await (const object of store.list('imports/', { pageSize: 1000 })) {
    page.push(object);
    if (page.length === 1000) break;
  }
  const old = page.filter((o) => /^imports\/[0-9a-f]{24}\//.test(o.key) && (!o.lastModified || now - o.lastModified.getTime() > STAGED_GRACE_MS));
  if (!old.length) return 0;
  const owners = old.map((o) => o.key.split('/')[1]!).sort();
  const rows = await db
    .select({ key: profiles.avatarImportKey })
    .from(profiles)
    .where(and(between(profiles.userId, owners[0]!, owners.at(-1)!), isNotNull(profiles.avatarImportKey)))
    .all();
  const referenced = new Set(rows.map((row) => row.key));
  const doomed = old.filter((o) => !referenced.has(o.key)).slice(0, limit).map((o) => o.key);
  for (let i = 0; i < doomed.length; i += 50) await store.delete(doomed.slice(i, i + 50));
  return doomed.length;
}

// One bounded run of the hourly job: at most perRun pictures (each 1 S3 get, 2 puts,
// 1 delete, 3 Images calls, 1 D1 write), then housekeeping once the queue is empty.
export async function continueDjangoImport(db: Db, store: ObjectStore, images: ImagesBinding, kv: KVNamespace, now = Date.now(), limits = IMPORTED_AVATAR_LIMITS): Promise<ImportedAvatarRun> {
  const queue = await db
    .select({ userId: profiles.userId, importKey: profiles.avatarImportKey })
    .from(profiles)
    .where(isNotNull(profiles.avatarImportKey))
    .limit(limits.perRun)
    .all();
  const run: ImportedAvatarRun = { processed: 0, unusable: [], retryLater: 0, orphansDeleted: 0, floorRetired: false };
  let next = 0;
  let stop = false;
  const worker = async () => {
    while (!stop && next < queue.length) {
      const { userId, importKey } = queue[next++]!;
      const outcome = await processOne(db, store, images, userId, importKey!).catch((error: unknown): Outcome => {
        console.error(`Imported avatar for user ${userId} not processed (next run tries again):`, error);
        return 'failed';
      });
      if (outcome === 'processed') run.processed++;
      else if (outcome === 'unusable') run.unusable.push(userId);
      else {
        run.retryLater++;
        // The Images service refused (e.g. its monthly limit): the rest waits for the next run.
        if (outcome === 'retry') stop = true;
      }
    }
  };
  await Promise.all(Array.from({ length: limits.concurrency }, worker));
  if (queue.length < limits.perRun && !stop) run.orphansDeleted = await removeUnreferencedOriginals(db, store, now, limits.orphanDeletes);
  run.floorRetired = await retireFailureFloor(db, kv);
  return run;
}
