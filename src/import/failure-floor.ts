import { and, isNotNull, notLike } from 'drizzle-orm';
import { estimateDjangoVerifyMs } from '../auth/django-hashers';
import type { Db } from '../db/client';
import { users } from '../db/schema';

// A Django hash costs up to ~1 s of CPU to check (PBKDF2 at 1,000,000 iterations), the
// app's own Argon2id ~30 ms. A wrong password for an imported account would therefore
// answer later than one for an unknown login or a native account: a timing oracle for
// "this account exists and has not signed in since the move". So while imported hashes
// remain, every failed sign-in is held until a floor (wall-clock time, no CPU spent)
// longer than the slowest imported check. The import stores the floor in KV; the hourly
// job removes it once no imported hash is left. Without an import nothing is held.
export const FAILURE_FLOOR_KEY = 'auth:import-failure-floor';

export interface FailureFloor {
  floorMs: number;
  setAt: number;
}

// 1.5x the slowest estimated check, plus the D1 round trips of a failed sign-in.
export function failureFloorFor(passwordHashes: Iterable<string>): number {
  let slowest = 0;
  for (const hash of passwordHashes) slowest = Math.max(slowest, estimateDjangoVerifyMs(hash));
  return slowest === 0 ? 0 : Math.ceil((slowest * 1.5 + 150) / 100) * 100;
}

export async function readFailureFloor(kv: KVNamespace): Promise<FailureFloor | null> {
  const record = await kv.get<FailureFloor>(FAILURE_FLOOR_KEY, { type: 'json', cacheTtl: 300 });
  return record && typeof record.floorMs === 'number' ? record : null;
}

// Holds a failed sign-in until floorMs after it started (the Workers clock moves with
// I/O, and the check ends with a D1 write, so Date.now() is current here). Says whether
// accounts were imported, for the sign-in page's hint about the reset link.
export async function holdFailedSignIn(kv: KVNamespace, startedAt: number): Promise<{ imported: boolean }> {
  const floor = await readFailureFloor(kv);
  if (!floor) return { imported: false };
  const wait = floor.floorMs - (Date.now() - startedAt);
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  return { imported: true };
}

// Once every imported account has a password of this app (or was deleted), the floor goes.
export async function retireFailureFloor(db: Db, kv: KVNamespace): Promise<boolean> {
  if (!(await readFailureFloor(kv))) return false;
  const pending = await db
    .select({ id: users.id })
    .from(users)
    .where(and(isNotNull(users.legacyId), notLike(users.passwordHash, '$%')))
    .limit(1)
    .get();
  if (pending) return false;
  await kv.delete(FAILURE_FLOOR_KEY);
  return true;
}
