import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import app from '../src/app';
import { smallAvatarKey } from '../src/storage/avatar-keys';
import { eventually, get, signUpAndSignIn, waitForMail } from './helpers';
import { bytesContain, fixture, listKeys, postProfile, profileOf, readObject, type ProfileForm } from './profile-helpers';

const photo = () => ({ bytes: fixture('photo-gps.jpg'), name: 'holiday.jpg', type: 'image/jpeg' });

async function signedInWithAvatar() {
  const account = await signUpAndSignIn();
  const res = await postProfile(account.cookie, { email: account.email, file: photo() });
  expect(res.status).toBe(303);
  const profile = (await profileOf(account.username))!;
  expect(profile.avatarKey).toBeTruthy();
  const flash = res.headers.getSetCookie().find((c) => c.startsWith('flash='))?.split(';')[0];
  return { ...account, profile, key: profile.avatarKey!, flash };
}

async function imageSize(bytes: Uint8Array) {
  const info = await env.IMAGES.info(new Blob([bytes]).stream());
  return 'width' in info ? { format: info.format, width: info.width, height: info.height } : { format: info.format };
}

// Calls the app with some bindings replaced, sharing the test's D1 and KV.
async function fetchWithEnv(overrides: Partial<Env>, cookie: string, form: ProfileForm) {
  const ctx = createExecutionContext();
  const fetcher = { fetch: (input: RequestInfo | URL, init?: RequestInit) => app.fetch(new Request(input, init), { ...env, ...overrides }, ctx) };
  const res = await postProfile(cookie, form, fetcher as { fetch: typeof fetch });
  await waitOnExecutionContext(ctx);
  return res;
}

describe('uploading an avatar', () => {
  it('stores a square WebP of at most 512 px with no EXIF or GPS data, and a 96 px one', async () => {
    const { key } = await signedInWithAvatar();
    expect(key).toMatch(/^avatars\/[0-9a-f]{24}\/[0-9a-f]{32}\.webp$/);
    const large = (await readObject(key))!;
    const small = (await readObject(smallAvatarKey(key)))!;
    expect(new TextDecoder().decode(large.slice(8, 12))).toBe('WEBP');
    expect(await imageSize(large)).toEqual({ format: 'image/webp', width: 512, height: 512 });
    expect(await imageSize(small)).toEqual({ format: 'image/webp', width: 96, height: 96 });
    expect(bytesContain(fixture('photo-gps.jpg'), 'EXIF-MARKER-FOR-TESTS')).toBe(true);
    for (const bytes of [large, small]) {
      expect(bytesContain(bytes, 'EXIF-MARKER-FOR-TESTS')).toBe(false);
      expect(bytesContain(bytes, 'Exif')).toBe(false);
      expect(bytesContain(bytes, 'FixtureCam')).toBe(false);
    }
  });

  it('shows the new picture on the dashboard and in the header at once', async () => {
    const { cookie, key, flash } = await signedInWithAvatar();
    const html = await (await get('/dashboard', `${cookie}; ${flash}`)).text();
    expect(html).toContain(`src="/media/${key}"`);
    expect(html).toContain(`src="/media/${smallAvatarKey(key)}"`);
    expect(html).toContain('Your profile has been saved.');
    expect(html).not.toContain('default-avatar.svg');
  });

  it('never enlarges a small picture', async () => {
    const account = await signUpAndSignIn();
    const res = await postProfile(account.cookie, { email: account.email, file: { bytes: fixture('small.png'), name: 's.png', type: 'image/png' } });
    expect(res.status).toBe(303);
    const key = (await profileOf(account.username))!.avatarKey!;
    expect(await imageSize((await readObject(key))!)).toEqual({ format: 'image/webp', width: 200, height: 200 });
  });

  it.each([
    ['wide.webp', 'image/webp'],
    ['tiny.gif', 'image/gif'],
    ['tiny.avif', 'image/avif'],
  ])('accepts %s', async (name, type) => {
    const account = await signUpAndSignIn();
    const res = await postProfile(account.cookie, { email: account.email, file: { bytes: fixture(name), name, type } });
    expect(res.status).toBe(303);
    const key = (await profileOf(account.username))!.avatarKey!;
    expect(await readObject(key)).not.toBeNull();
  });

  it('replacing the picture deletes the old objects', async () => {
    const { cookie, email, username, key: oldKey } = await signedInWithAvatar();
    const res = await postProfile(cookie, { email, file: { bytes: fixture('wide.webp'), name: 'new.webp', type: 'image/webp' } });
    expect(res.status).toBe(303);
    const newKey = (await profileOf(username))!.avatarKey!;
    expect(newKey).not.toBe(oldKey);
    expect(await readObject(newKey)).not.toBeNull();
    // Deleted after the answer: nothing points to them once D1 names the new picture.
    await eventually('the old objects are deleted', async () => (await readObject(oldKey)) === null && (await readObject(smallAvatarKey(oldKey))) === null);
  });

  it('removing the picture returns to the default and deletes the objects', async () => {
    const { cookie, email, username, key } = await signedInWithAvatar();
    const res = await postProfile(cookie, { email, removeAvatar: true });
    expect(res.status).toBe(303);
    expect((await profileOf(username))!.avatarKey).toBeNull();
    await eventually('the objects are deleted', async () => (await readObject(key)) === null);
    expect(await (await get('/dashboard', cookie)).text()).toContain('/static/default-avatar.svg');
  });
});

describe('refused uploads leave S3 and D1 untouched', () => {
  const overLimit = new Uint8Array(5 * 1024 * 1024 + 1);
  overLimit.set([0xff, 0xd8, 0xff, 0xe0]);

  it.each([
    ['a text file named .jpg', { bytes: fixture('not-an-image.jpg'), name: 'me.jpg', type: 'image/jpeg' }, 'not a picture we can use'],
    ['an SVG', { bytes: fixture('vector.svg'), name: 'me.svg', type: 'image/svg+xml' }, 'not a picture we can use'],
    ['an SVG claiming to be PNG', { bytes: fixture('vector.svg'), name: 'me.png', type: 'image/png' }, 'not a picture we can use'],
    ['a decompression bomb', { bytes: fixture('huge-dimensions.png'), name: 'big.png', type: 'image/png' }, 'too large'],
    ['an empty file', { bytes: new Uint8Array(), name: 'empty.png', type: 'image/png' }, 'The file is empty.'],
    ['a file over 5 MB', { bytes: overLimit, name: 'huge.jpg', type: 'image/jpeg' }, 'larger than 5 MB'],
  ])('%s', async (_label, file, message) => {
    const { cookie, username, profile, key, password } = await signedInWithAvatar();
    const before = await listKeys(`avatars/${profile.id}/`);
    const res = await postProfile(cookie, { email: 'kept-input@example.com', currentPassword: password, file });
    expect([413, 422]).toContain(res.status);
    const html = await res.text();
    expect(html).toMatch(new RegExp(`id="field-avatar-error"[^>]*>(?:(?!</ul>).)*${message}`, 's'));
    expect(html).toContain('value="kept-input@example.com"');
    const after = (await profileOf(username))!;
    expect(after.avatarKey).toBe(key);
    expect(after.email).toBe(profile.email);
    expect(await listKeys(`avatars/${profile.id}/`)).toEqual(before);
  });

  it('a taken email refuses the whole form before any picture is stored', async () => {
    const other = await signUpAndSignIn();
    const { cookie, username, profile, key, password } = await signedInWithAvatar();
    const before = await listKeys(`avatars/${profile.id}/`);
    const res = await postProfile(cookie, { email: other.email.toUpperCase(), currentPassword: password, file: { bytes: fixture('wide.webp'), name: 'w.webp', type: 'image/webp' } });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain('An account with this email address already exists.');
    expect((await profileOf(username))!.avatarKey).toBe(key);
    expect(await listKeys(`avatars/${profile.id}/`)).toEqual(before);
  });
});

describe('when S3 fails', () => {
  it.each([
    ['is down (closed port)', () => ({ S3_ENDPOINT: 'http://127.0.0.1:9' })],
    ['answers 500', () => ({ S3_ENDPOINT: env.BROKEN_S3_ENDPOINT })],
  ])('the old avatar stays and the user is told to try again when S3 %s', async (_label, overrides) => {
    const { cookie, email, username, key } = await signedInWithAvatar();
    const res = await fetchWithEnv(overrides(), cookie, { email, file: { bytes: fixture('wide.webp'), name: 'w.webp', type: 'image/webp' } });
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('We could not save your picture. Nothing was changed; please try again.');
    expect((await profileOf(username))!.avatarKey).toBe(key);
    expect(await readObject(key)).not.toBeNull();
  });

  it('a failed transformation is a retryable refusal, not a 500', async () => {
    // The Images service's own failures (e.g. the free tier's monthly limit) cannot be
    // caused locally, so this one binding is replaced by one that fails like it.
    const failingImages = {
      info: env.IMAGES.info.bind(env.IMAGES),
      input: () => ({
        transform() {
          return this;
        },
        output: () => Promise.reject(Object.assign(new Error('IMAGES_TRANSFORM_ERROR 9423: monthly limit reached'), { code: 9423 })),
      }),
    } as unknown as ImagesBinding;
    const { cookie, email, username, profile, key } = await signedInWithAvatar();
    const before = await listKeys(`avatars/${profile.id}/`);
    const res = await fetchWithEnv({ IMAGES: failingImages }, cookie, { email, file: photo() });
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('please try again in a few minutes');
    expect((await profileOf(username))!.avatarKey).toBe(key);
    expect(await listKeys(`avatars/${profile.id}/`)).toEqual(before);
  });
});

describe('changing the email address', () => {
  it('waits for the new address to be confirmed before using it', async () => {
    const { cookie, username, email, password } = await signUpAndSignIn();
    const res = await postProfile(cookie, { email: `New.${username}@Example.com`, currentPassword: password });
    expect(res.status).toBe(303);
    expect((await profileOf(username))!.email).toBe(email);
    const mail = await waitForMail(`new.${username.toLowerCase()}@example.com`, 'Confirm your email address');
    expect(mail.link).toMatch(/^http:\/\/localhost:8787\/verify-email\?token=/);
  });

  it('refuses an invalid address with the message beside the field', async () => {
    const { cookie } = await signUpAndSignIn();
    const res = await postProfile(cookie, { email: 'not-an-address' });
    expect(res.status).toBe(422);
    expect(await res.text()).toMatch(/id="field-email-error"[^>]*>.*Enter a valid email address/s);
  });
});

describe('the edit-profile page', () => {
  it('requires sign-in', async () => {
    const res = await get('/profile');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/login?next=%2Fprofile');
  });

  it('is a multipart form with a labelled file field, linked from the dashboard', async () => {
    const { cookie } = await signUpAndSignIn();
    expect(await (await get('/dashboard', cookie)).text()).toContain('href="/profile"');
    const html = await (await get('/profile', cookie)).text();
    expect(html).toContain('enctype="multipart/form-data"');
    expect(html).toContain('<label for="field-avatar"');
  });
});
