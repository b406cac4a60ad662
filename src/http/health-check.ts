import type { ObjectStore } from '../storage/object-store';

// /healthz: one cheap request to each part (D1, KV, S3), shared by every caller. However
// often it is called, one isolate checks at most once per TTL, and an isolate that finds a
// fresh report in its location's cache does not check at all.
export type PartStatus = 'ok' | 'down';

export interface HealthReport {
  status: PartStatus;
  checks: Record<string, PartStatus>;
  checkedAt: number;
}

// Makes one request to one part and throws if the part cannot be used.
export type Probe = (signal: AbortSignal) => Promise<unknown>;

export const HEALTH_TTL_MS = 10_000;
export const PROBE_TIMEOUT_MS = 2_000;
// A key nobody writes: a get that finds nothing still proves KV answers.
const KV_PROBE_KEY = 'health-check';

export function createAppProbes(deps: { db: D1Database; kv: KVNamespace; store: () => ObjectStore }): Record<string, Probe> {
  return {
    d1: () => deps.db.prepare('select 1').first(),
    kv: () => deps.kv.get(KV_PROBE_KEY),
    s3: (signal) => deps.store().checkBucket(signal),
  };
}

async function runProbe(name: string, probe: Probe, timeoutMs: number): Promise<PartStatus> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    await Promise.race([probe(controller.signal), timeout]);
    return 'ok';
  } catch (error) {
    console.error(`Health check: ${name} is down: ${error instanceof Error ? error.message : String(error)}`);
    return 'down';
  } finally {
    clearTimeout(timer);
  }
}

export async function checkParts(probes: Record<string, Probe>, timeoutMs = PROBE_TIMEOUT_MS): Promise<HealthReport> {
  const names = Object.keys(probes);
  const results = await Promise.all(names.map((name) => runProbe(name, probes[name]!, timeoutMs)));
  return {
    status: results.every((result) => result === 'ok') ? 'ok' : 'down',
    checks: Object.fromEntries(names.map((name, i) => [name, results[i]!])),
    checkedAt: Date.now(),
  };
}

// The report this isolate has, or is waiting for.
export interface HealthMemo {
  current?: { report: Promise<HealthReport>; expiresAt: number };
}

const memos = new WeakMap<object, HealthMemo>();

// One memo per isolate and env object, like the config.
export function healthMemoFor(env: object): HealthMemo {
  let memo = memos.get(env);
  if (!memo) memos.set(env, (memo = {}));
  return memo;
}

export interface ReadHealthOptions {
  cache: Cache;
  cacheKey: string;
  check: () => Promise<HealthReport>;
  // Keeps the shared check alive if the request that started it goes away.
  waitUntil: (promise: Promise<unknown>) => void;
  ttlMs?: number;
}

async function readCachedOrCheck({ cache, cacheKey, check, ttlMs = HEALTH_TTL_MS }: ReadHealthOptions): Promise<HealthReport> {
  const cached = await cache.match(cacheKey);
  if (cached) {
    const report = (await cached.json()) as HealthReport;
    if (Date.now() - report.checkedAt < ttlMs) return report;
  }
  const report = await check();
  const headers = { 'content-type': 'application/json', 'cache-control': `max-age=${Math.ceil(ttlMs / 1000)}` };
  try {
    await cache.put(cacheKey, new Response(JSON.stringify(report), { headers }));
  } catch (error) {
    console.error('Health check: could not cache the report:', error);
  }
  return report;
}

export function readHealth(memo: HealthMemo, options: ReadHealthOptions): Promise<HealthReport> {
  const ttlMs = options.ttlMs ?? HEALTH_TTL_MS;
  const now = Date.now();
  if (memo.current && now < memo.current.expiresAt) return memo.current.report;
  const report = readCachedOrCheck(options);
  // While pending, callers share it; a check that never settles is given up after a while.
  const entry = { report, expiresAt: now + 2 * PROBE_TIMEOUT_MS + 1000 };
  memo.current = entry;
  const settled = report.then(
    (result) => {
      if (memo.current === entry) entry.expiresAt = result.checkedAt + ttlMs;
    },
    () => {
      if (memo.current === entry) memo.current = undefined;
    },
  );
  options.waitUntil(settled);
  return report;
}
