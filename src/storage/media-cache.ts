import type { ObjectStore } from './object-store';

// Copies of /media responses in this location's edge cache. Browsers may keep an avatar
// for a year (its key never changes content), but the edge keeps it for a day only, and
// deleting the object drops the copy here at once: a removed picture does not linger.
export const EDGE_CACHE_CONTROL = 'public, max-age=86400';

export function mediaCacheKey(publicOrigin: string, key: string): Request {
  return new Request(`${publicOrigin}/media/${key}`);
}

export function withEdgeCachePurge(store: ObjectStore, publicOrigin: string): ObjectStore {
  return {
    ...store,
    async delete(keys) {
      await store.delete(keys);
      await Promise.all(keys.map((key) => caches.default.delete(mediaCacheKey(publicOrigin, key))));
    },
  };
}
