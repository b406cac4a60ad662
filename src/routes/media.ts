import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env';
import { isAvatarKey } from '../storage/avatar-keys';
import { EDGE_CACHE_CONTROL, mediaCacheKey } from '../storage/media-cache';

const IMMUTABLE = 'public, max-age=31536000, immutable';

function notFound() {
  return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'public, max-age=60' } });
}

function forBrowser(headers: Headers, ifNoneMatch: string | undefined, body: ReadableStream | null): Response {
  const out = new Headers(headers);
  out.set('cache-control', IMMUTABLE);
  const etag = out.get('etag');
  if (etag && ifNoneMatch === etag) {
    void body?.cancel();
    out.delete('content-length');
    return new Response(null, { status: 304, headers: out });
  }
  return new Response(body, { headers: out });
}

// Avatars streamed from S3 when no public media URL is configured, with a copy in the
// edge cache so repeat requests do not reach S3.
export const mediaRoutes = new Hono<AppEnv>().get('/media/*', async (c) => {
  const key = c.req.path.slice('/media/'.length);
  if (!isAvatarKey(key)) return notFound();
  const ifNoneMatch = c.req.header('if-none-match');
  const cacheKey = mediaCacheKey(c.var.config.publicOrigin, key);

  const cached = await caches.default.match(cacheKey);
  if (cached) return forBrowser(cached.headers, ifNoneMatch, cached.body);

  const object = await c.var.objectStore().get(key);
  if (!object) return notFound();
  const headers = new Headers({
    // Only WebP is ever stored under an avatar key; never trust the stored type.
    'content-type': 'image/webp',
    'cache-control': EDGE_CACHE_CONTROL,
    'content-security-policy': "default-src 'none'; sandbox",
    'x-content-type-options': 'nosniff',
    'cross-origin-resource-policy': 'same-site',
  });
  if (object.etag) headers.set('etag', object.etag);
  if (object.size !== undefined) headers.set('content-length', String(object.size));
  const [forClient, forCache] = object.body.tee();
  c.executionCtx.waitUntil(caches.default.put(cacheKey, new Response(forCache, { headers })));
  return forBrowser(headers, ifNoneMatch, forClient);
});
