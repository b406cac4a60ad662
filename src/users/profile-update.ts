import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { profiles, users } from '../db/schema';
import type { ProcessedAvatar } from '../images/avatar-image';
import { avatarKeyFor, avatarObjectKeys, smallAvatarKey } from '../storage/avatar-keys';
import type { ObjectStore } from '../storage/object-store';
import type { FieldErrors } from '../views/components/field';
import { normalizeEmail } from './identity';
import { isUniqueViolation, type UserWithProfile } from './user-store';

export interface ProfileChanges {
  email: string;
  avatar?: ProcessedAvatar;
  removeAvatar?: boolean;
}

export type ProfileUpdateResult =
  | { ok: true; emailChanged: boolean; avatarChanged: boolean }
  | { ok: false; errors: FieldErrors; status: 409 | 503 };

export const EMAIL_TAKEN = 'An account with this email address already exists.';
export const AVATAR_NOT_SAVED = 'We could not save your picture. Nothing was changed; please try again.';

async function emailTakenByOther(db: Db, email: string, userId: string): Promise<boolean> {
  const row = await db.select({ id: users.id }).from(users).where(eq(users.email, email)).get();
  return Boolean(row && row.id !== userId);
}

async function deleteQuietly(store: ObjectStore, keys: string[], why: string): Promise<void> {
  try {
    await store.delete(keys);
  } catch (error) {
    // Left for the cleanup job: nothing references these objects any more.
    console.error(`Avatar cleanup needed (${why}): ${keys.join(', ')}`, error);
  }
}

// Order keeps every reference valid: new objects are stored first, D1 points to them
// next, and only then are the old objects deleted. A failure at any step leaves the
// user with their previous, still existing picture.
export async function updateProfile(db: Db, store: ObjectStore, user: UserWithProfile, changes: ProfileChanges): Promise<ProfileUpdateResult> {
  const email = normalizeEmail(changes.email);
  const emailChanged = email !== user.email;
  if (emailChanged && (await emailTakenByOther(db, email, user.id))) {
    return { ok: false, errors: { email: [EMAIL_TAKEN] }, status: 409 };
  }

  let newKey: string | null | undefined; // undefined: the avatar stays as it is
  if (changes.avatar) newKey = avatarKeyFor(user.id, changes.avatar.large);
  else if (changes.removeAvatar && user.avatarKey) newKey = null;
  if (newKey === user.avatarKey) newKey = undefined;

  if (newKey && changes.avatar) {
    const { large, small, contentType } = changes.avatar;
    const stored = await Promise.allSettled([store.put(newKey, large, contentType), store.put(smallAvatarKey(newKey), small, contentType)]);
    const failure = stored.find((r) => r.status === 'rejected');
    if (failure) {
      console.error('Avatar upload failed:', failure.reason);
      await deleteQuietly(store, avatarObjectKeys(newKey), 'partial upload');
      return { ok: false, errors: { avatar: [AVATAR_NOT_SAVED] }, status: 503 };
    }
  }

  const now = new Date();
  try {
    const updateProfileRow = db
      .update(profiles)
      .set({ updatedAt: now, ...(newKey !== undefined ? { avatarKey: newKey } : {}) })
      .where(eq(profiles.userId, user.id));
    if (emailChanged) await db.batch([db.update(users).set({ email }).where(eq(users.id, user.id)), updateProfileRow]);
    else await updateProfileRow;
  } catch (error) {
    if (newKey) await deleteQuietly(store, avatarObjectKeys(newKey), 'profile update failed');
    if (isUniqueViolation(error)) return { ok: false, errors: { email: [EMAIL_TAKEN] }, status: 409 };
    throw error;
  }

  if (newKey !== undefined && user.avatarKey) await deleteQuietly(store, avatarObjectKeys(user.avatarKey), 'replaced avatar');
  return { ok: true, emailChanged, avatarChanged: newKey !== undefined };
}
