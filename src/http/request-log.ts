import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { routePath } from 'hono/route';
import type { AppEnv } from './app-env';
import { sha256Hex } from '../crypto/sha256';
import { isolateMemo } from '../isolate-memo';

// One JSON line per request, which Workers Logs indexes field by field. Only what helps
// operate the app: the route pattern (never the URL, whose query may hold a token), no
// cookies, addresses or emails, and the user as a short hash that links one person's
// requests without naming them.
export interface RequestLogLine {
  type: 'request';
  method: string;
  route: string;
  status: number;
  durationMs: number;
  ray: string | null;
  colo: string | null;
  user: string | null;
}

export const hashUserId = isolateMemo((userId: string) => sha256Hex(`user:${userId}`).slice(0, 16));

export function describeRequest(c: Context<AppEnv>, durationMs: number): RequestLogLine {
  const cf = c.req.raw.cf as { colo?: unknown } | undefined;
  const userId = c.get('user')?.id;
  return {
    type: 'request',
    method: c.req.method,
    // The pattern of the handler that answered: `/*` when a middleware did (a redirect to
    // the canonical URL, a CSRF refusal) or nothing matched (404).
    route: routePath(c),
    status: c.res.status,
    durationMs,
    ray: c.req.header('cf-ray') ?? null,
    colo: typeof cf?.colo === 'string' ? cf.colo : null,
    user: userId ? hashUserId(userId) : null,
  };
}

// Registered first, so redirects, refusals and error pages are logged too. Workers' clock
// only moves during I/O, so the duration is the time spent waiting (storage, S3), not CPU.
export const logRequest = createMiddleware<AppEnv>(async (c, next) => {
  const started = Date.now();
  await next();
  console.log(JSON.stringify(describeRequest(c, Date.now() - started)));
});
