import { env } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';
import { createDb } from '../src/db/client';
import type { ObjectStore } from '../src/storage/object-store';
import { smallAvatarKey } from '../src/storage/avatar-keys';
import { changeAvatar } from '../src/users/profile-update';
import { signUpAndSignIn } from './helpers';
import { profileOf, readObject, testStore } from './profile-helpers';

// Two saves of the same picture at once (a double click), one of which fails half-way at
// S3: the other's picture must survive. The real local S3 server stores the objects; the
// wrapper makes the second request's first write fail as a lost connection would.

const picture = { large: new Uint8Array([1, 2, 3]), small: new Uint8Array([4, 5]), contentType: 'image/webp' as const };

function storeFailingFirstPut(store: ObjectStore): ObjectStore {
  let failed = false;
  return {
    ...store,
    put: async (key, body, contentType) => {
      if (!failed) {
        failed = true;
        throw new Error(`S3 put ${key} failed: Network connection lost.`);
      }
      return store.put(key, body, contentType);
    },
  };
}

describe('a double click on "Save" with a picture', () => {
  it('keeps the picture the successful save points to, whatever the failed one cleans up', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const { username } = await signUpAndSignIn();
    const { id } = (await profileOf(username))!;
    const db = createDb(env.DB);
    // Both requests read the profile before either wrote; the failing one gives up last.
    const user = { id, avatarKey: null };
    const first = await changeAvatar(db, testStore(), user, { avatar: picture });
    const second = await changeAvatar(db, storeFailingFirstPut(testStore()), user, { avatar: picture });
    expect(first.ok).toBe(true);
    expect(second.ok).toBe(false);
    const { avatarKey } = (await profileOf(username))!;
    expect(avatarKey).not.toBeNull();
    expect(await readObject(avatarKey!)).toEqual(picture.large);
    expect(await readObject(smallAvatarKey(avatarKey!))).toEqual(picture.small);
    vi.restoreAllMocks();
  });
});

describe('replacing a picture', () => {
  it('answers without waiting for the old objects to be deleted, which then are', async () => {
    const { username } = await signUpAndSignIn();
    const { id } = (await profileOf(username))!;
    const db = createDb(env.DB);
    const first = await changeAvatar(db, testStore(), { id, avatarKey: null }, { avatar: picture });
    expect(first.ok).toBe(true);
    const oldKey = (await profileOf(username))!.avatarKey!;
    // A bucket that holds every deletion until released, as a slow one far away would.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const store = testStore();
    const slowDeletes: ObjectStore = { ...store, delete: async (keys) => held.then(() => store.delete(keys)) };
    const deferred: Promise<unknown>[] = [];
    const answer = changeAvatar(db, slowDeletes, { id, avatarKey: oldKey }, { avatar: picture }, { defer: (work) => deferred.push(work) });
    const result = await Promise.race([answer, new Promise<null>((resolve) => setTimeout(() => resolve(null), 2000))]);
    expect(result).toEqual({ ok: true, changed: true });
    expect((await profileOf(username))!.avatarKey).not.toBe(oldKey);
    expect(await readObject(oldKey)).toEqual(picture.large);
    release();
    await Promise.all(deferred);
    expect(await readObject(oldKey)).toBeNull();
    expect(await readObject(smallAvatarKey(oldKey))).toBeNull();
  });
});

