import { readConfig } from '../config';
import { createDb } from '../db/client';
import { createObjectStore } from '../storage/object-store';
import { removeExpiredRecords } from './expired-records';
import { continueDjangoImport } from './imported-avatars';
import { removeOrphanAvatars, type OrphanSweep } from './orphan-avatars';

function describeSweep({ scanned, deleted, cursor, passStartedAt }: OrphanSweep, now: number): string {
  const where = cursor === null ? `end of bucket, pass took ${Math.round((now - (passStartedAt ?? now)) / 60_000)} min` : `next run starts after ${cursor}`;
  return `${scanned} avatar objects scanned, ${deleted.length} orphans deleted (${where})`;
}

// The cron job. Each part is bounded per run and runs even if the other failed; any
// failure is rethrown at the end so the invocation shows as failed in the logs.
export async function runScheduledCleanup(env: Env, scheduledTime = Date.now()): Promise<void> {
  const db = createDb(env.DB);
  const failures: unknown[] = [];
  try {
    const removed = await removeExpiredRecords(db, scheduledTime);
    console.log(`Cleanup: expired rows deleted ${JSON.stringify(removed)}`);
  } catch (error) {
    console.error('Cleanup: deleting expired rows failed:', error);
    failures.push(error);
  }
  try {
    const sweep = await removeOrphanAvatars(db, createObjectStore(readConfig(env).s3), env.SESSIONS, { now: scheduledTime });
    console.log(`Cleanup: ${describeSweep(sweep, scheduledTime)}`);
  } catch (error) {
    console.error('Cleanup: the orphan avatar sweep failed:', error);
    failures.push(error);
  }
  try {
    const run = await continueDjangoImport(db, createObjectStore(readConfig(env).s3), env.IMAGES, env.SESSIONS, scheduledTime);
    if (run.processed || run.unusable.length || run.retryLater || run.orphansDeleted || run.floorRetired) console.log(`Cleanup: Django import ${JSON.stringify(run)}`);
  } catch (error) {
    console.error('Cleanup: processing imported Django pictures failed:', error);
    failures.push(error);
  }
  if (failures.length) throw new AggregateError(failures, 'Scheduled cleanup failed');
}
