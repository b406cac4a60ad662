import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env';
import { checkParts, createAppProbes, healthMemoFor, readHealth } from '../http/health-check';

// For uptime monitors and the deploy script. It takes no parameters (the query string and
// Host are ignored), so no caller can make it check more often than once per TTL.
export const healthRoutes = new Hono<AppEnv>().get('/healthz', async (c) => {
  const probes = createAppProbes({ db: c.env.DB, kv: c.env.SESSIONS, store: c.var.objectStore });
  const report = await readHealth(healthMemoFor(c.env), {
    cache: caches.default,
    cacheKey: `${c.var.config.publicOrigin}/healthz`,
    check: () => checkParts(probes),
    waitUntil: (promise) => c.executionCtx.waitUntil(promise),
  });
  const body = { status: report.status, checks: report.checks, checkedAt: new Date(report.checkedAt).toISOString() };
  return c.json(body, report.status === 'ok' ? 200 : 503, { 'cache-control': 'no-store' });
});
