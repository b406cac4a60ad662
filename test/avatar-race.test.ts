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
