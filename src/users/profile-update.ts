import { eq } from 'drizzle-orm';
import { fieldMessage } from '../auth/field-errors';
import type { Db } from '../db/client';
import { profiles } from '../db/schema';
import type { ProcessedAvatar } from '../images/avatar-image';
import { newAvatarKey, avatarObjectKeys, smallAvatarKey } from '../storage/avatar-keys';
import { deleteObjectsQuietly, type ObjectStore } from '../storage/object-store';
import type { UserWithProfile } from './user-store';

export interface AvatarChange {
  avatar?: ProcessedAvatar;
  removeAvatar?: boolean;
}

export type AvatarChangeResult = { ok: true; changed: boolean } | { ok: false; message: string };

// A catalogue reference, shown translated beside the picture field.
export const AVATAR_NOT_SAVED = fieldMessage('forms.avatar.notSaved');

// Order keeps every reference valid: new objects are stored first, D1 points to them
// next, and only then are the old objects deleted. A failure at any step leaves the
// user with their previous, still existing picture. With `defer` (the request's
// waitUntil) the old objects are deleted after the answer: nothing points to them any
// more, so the user need not wait for another trip to the bucket, and a deletion that
// fails leaves an orphan for the hourly cleanup (src/maintenance/orphan-avatars.ts).
export async function changeAvatar(
  db: Db,
  store: ObjectStore,
  user: Pick<UserWithProfile, 'id' | 'avatarKey'>,
  change: AvatarChange,
  options: { defer?: (work: Promise<unknown>) => void } = {},
): Promise<AvatarChangeResult> {
  let newKey: string | null | undefined; // undefined: the avatar stays as it is
  if (change.avatar) newKey = newAvatarKey(user.id);
  else if (change.removeAvatar && user.avatarKey) newKey = null;
  if (newKey === undefined || newKey === user.avatarKey) return { ok: true, changed: false };

  if (newKey && change.avatar) {
    const { large, small, contentType } = change.avatar;
    const stored = await Promise.allSettled([store.put(newKey, large, contentType), store.put(smallAvatarKey(newKey), small, contentType)]);
    const failure = stored.find((r) => r.status === 'rejected');
    if (failure) {
      console.error('Avatar upload failed:', failure.reason);
      await deleteObjectsQuietly(store, avatarObjectKeys(newKey), 'partial upload');
      return { ok: false, message: AVATAR_NOT_SAVED };
    }
  }

  try {
    await db.update(profiles).set({ avatarKey: newKey, updatedAt: new Date() }).where(eq(profiles.userId, user.id));
  } catch (error) {
    if (newKey) await deleteObjectsQuietly(store, avatarObjectKeys(newKey), 'profile update failed');
    throw error;
  }
  if (user.avatarKey) {
    const deleting = deleteObjectsQuietly(store, avatarObjectKeys(user.avatarKey), 'replaced avatar');
    if (options.defer) options.defer(deleting);
    else await deleting;
  }
  return { ok: true, changed: true };
}
