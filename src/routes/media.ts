import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { isAvatarKey } from '../storage/avatar-keys';

const IMMUTABLE = 'public, max-age=31536000, immutable';

function notFound() {
  return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'public, max-age=60' } });
}

// Avatars streamed from S3 when no public media URL is configured. Keys never change
// content, so responses are cached at the edge and in browsers for a year.
export const mediaRoutes = new Hono<AppEnv>().get('/media/*', async (c) => {
  const key = c.req.path.slice('/media/'.length);
  if (!isAvatarKey(key)) return notFound();

  const cache = caches.default;
  const cacheKey = new Request(new URL(c.req.path, c.req.url).toString());
  const cached = await cache.match(cacheKey);
  if (cached) {
    const etag = cached.headers.get('etag');
    if (etag && c.req.header('if-none-match') === etag) return new Response(null, { status: 304, headers: cached.headers });
    // A fresh Response: headers that come out of the cache are immutable.
    return new Response(cached.body, cached);
  }

  const object = await c.var.objectStore().get(key);
  if (!object) return notFound();
  const headers = new Headers({
    // Only WebP is ever stored under an avatar key; never trust the stored type.
    'content-type': 'image/webp',
    'cache-control': IMMUTABLE,
    'content-security-policy': "default-src 'none'; sandbox",
    'x-content-type-options': 'nosniff',
    'cross-origin-resource-policy': 'same-site',
  });
  if (object.etag) headers.set('etag', object.etag);
  if (object.size !== undefined) headers.set('content-length', String(object.size));
  if (object.etag && c.req.header('if-none-match') === object.etag) {
    await object.body.cancel();
    return new Response(null, { status: 304, headers });
  }
  const [forClient, forCache] = object.body.tee();
  c.executionCtx.waitUntil(cache.put(cacheKey, new Response(forCache, { headers })));
  return new Response(forClient, { headers });
});
