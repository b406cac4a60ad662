import { createExecutionContext, env, SELF, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import app from '../src/app';
import { eventually, ORIGIN, postForm, signUpAndSignIn, STRONG_PASSWORD } from './helpers';
import { fixture, postProfile, profileOf, readObject, testStore } from './profile-helpers';

async function uploadedAvatar() {
  const account = await signUpAndSignIn();
  const res = await postProfile(account.cookie, { email: account.email, file: { bytes: fixture('wide.webp'), name: 'a.webp', type: 'image/webp' } });
  expect(res.status).toBe(303);
  return { ...account, key: (await profileOf(account.username))!.avatarKey! };
}

function media(path: string, headers: Record<string, string> = {}) {
  return SELF.fetch(`${ORIGIN}/media/${path}`, { headers });
}

async function waitForEdgeCache(url: string) {
  for (let i = 0; i < 50; i++) {
    if (await caches.default.match(url)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${url} never reached the edge cache`);
}

describe('/media', () => {
  it('streams an avatar with long immutable caching, an ETag and safe headers', async () => {
    const { key } = await uploadedAvatar();
    const res = await media(key);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/webp');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('etag')).toBeTruthy();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toMatch(/^default-src 'none'/);
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(await readObject(key));
  });

  it('answers repeat requests from the edge cache without reaching S3', async () => {
    const { key } = await uploadedAvatar();
    const first = await media(key);
    await first.arrayBuffer();
    await waitForEdgeCache(`${ORIGIN}/media/${key}`);
    await testStore().delete([key]);
    const second = await media(key);
    expect(second.status).toBe(200);
    expect(second.headers.get('content-type')).toBe('image/webp');
    expect((await second.arrayBuffer()).byteLength).toBeGreaterThan(0);
  });

  it('drops the edge copy when the picture is replaced, so the old one is gone', async () => {
    const { key, cookie, email } = await uploadedAvatar();
    await (await media(key)).arrayBuffer();
    await waitForEdgeCache(`${ORIGIN}/media/${key}`);
    const replaced = await postProfile(cookie, { email, file: { bytes: fixture('small.png'), name: 'b.png', type: 'image/png' } });
    expect(replaced.status).toBe(303);
    // The old objects go after the answer (nothing points to them any more).
    await eventually('the old picture answers 404', async () => (await media(key)).status === 404);
  });

  it('drops the edge copy when the account is deleted', async () => {
    const { key, cookie } = await uploadedAvatar();
    await (await media(key)).arrayBuffer();
    await waitForEdgeCache(`${ORIGIN}/media/${key}`);
    expect((await postForm('/account/delete', { password: STRONG_PASSWORD }, { cookie })).status).toBe(303);
    expect((await media(key)).status).toBe(404);
  });

  it('keeps the edge copy for a day only, though browsers may keep it for a year', async () => {
    const { key } = await uploadedAvatar();
    await (await media(key)).arrayBuffer();
    await waitForEdgeCache(`${ORIGIN}/media/${key}`);
    expect((await caches.default.match(`${ORIGIN}/media/${key}`))!.headers.get('cache-control')).toBe('public, max-age=86400');
    expect((await media(key)).headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('answers a matching If-None-Match with 304', async () => {
    const { key } = await uploadedAvatar();
    const first = await media(key);
    await first.arrayBuffer();
    const res = await media(key, { 'if-none-match': first.headers.get('etag')! });
    expect(res.status).toBe(304);
  });

  it('gives 404, not an S3 error, for an unknown key', async () => {
    const res = await media(`avatars/${'a'.repeat(24)}/${'b'.repeat(32)}.webp`);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toMatch(/NoSuchKey|xml/i);
  });

  it.each([
    '',
    'avatars/',
    '../wrangler.toml',
    'avatars/%2e%2e/%2e%2e/wrangler.toml',
    `avatars/${'a'.repeat(24)}/..%2f..%2fsecret.webp`,
    `avatars%2f${'a'.repeat(24)}%2f${'b'.repeat(32)}.webp`,
    'other/thing.webp',
    `avatars/${'a'.repeat(24)}/${'b'.repeat(32)}.svg`,
  ])('serves nothing but avatar keys: %s', async (path) => {
    const res = await media(path);
    expect(res.status).toBe(404);
  });

  it('is not affected by a session cookie (public, cacheable)', async () => {
    const { key, cookie } = await uploadedAvatar();
    const res = await media(key, { cookie });
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });
});

describe('with a public media URL', () => {
  it('links avatars there and allows that origin in the CSP', async () => {
    const { cookie, key } = await uploadedAvatar();
    const ctx = createExecutionContext();
    const res = await app.fetch(new Request(`${ORIGIN}/dashboard`, { headers: { cookie } }), { ...env, MEDIA_PUBLIC_URL: 'https://media.example.com/' }, ctx);
    await waitOnExecutionContext(ctx);
    expect(await res.text()).toContain(`src="https://media.example.com/${key}"`);
    expect(res.headers.get('content-security-policy')).toContain('img-src \'self\' data: blob: https://media.example.com');
  });
});
