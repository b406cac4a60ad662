import { eq } from 'drizzle-orm';
import { invalidateUserSessions } from '../auth/user-sessions';
import type { Db } from '../db/client';
import { users } from '../db/schema';
import { avatarObjectKeys } from '../storage/avatar-keys';
import { deleteObjectsQuietly, type ObjectStore } from '../storage/object-store';
import { deleteUserEvents } from '../users/security-events';
import type { UserWithProfile } from '../users/user-store';

// Order: D1 first (user, profile and tokens go in one statement through ON DELETE
// CASCADE), then sessions, then the avatar objects. If it stops half way, nothing left
// points to missing data: a session without a user is refused (at every location: the
// check is the D1 query that loads the user) and removed on its next use, and objects
// without a profile are removed by the scheduled cleanup.
export async function deleteAccount(db: Db, kv: KVNamespace, store: ObjectStore, user: Pick<UserWithProfile, 'id' | 'avatarKey'>): Promise<void> {
  await db.batch([deleteUserEvents(db, user.id), db.delete(users).where(eq(users.id, user.id))]);
  await invalidateUserSessions(kv, user.id);
  await deleteObjectsQuietly(store, avatarObjectKeys(user.avatarKey), 'account deleted');
}
