import { createExecutionContext, env, SELF, waitOnExecutionContext } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import app from '../src/app';
import { checkParts, readHealth, type HealthMemo, type HealthReport } from '../src/http/health-check';
import { ORIGIN } from './helpers';

// The app as one isolate sees it: the same env object each time (the health memo is kept
// per env object), a PUBLIC_ORIGIN of its own so no other test's cached report is found.
function isolate(overrides: Partial<Env> = {}) {
  const isolateEnv = { ...env, PUBLIC_ORIGIN: `http://health-${crypto.randomUUID()}.test`, ...overrides };
  return {
    env: isolateEnv,
    async get(path = '/healthz') {
      const ctx = createExecutionContext();
      const res = await app.fetch(new Request(`${ORIGIN}${path}`), isolateEnv, ctx);
      await waitOnExecutionContext(ctx);
      return res;
    },
  };
}

// Requests the app sends to an S3 endpoint (the SDK calls the global fetch).
function countRequestsTo(endpoint: string) {
  const spy = vi.spyOn(globalThis, 'fetch');
  return () => spy.mock.calls.filter(([input]) => String(input instanceof Request ? input.url : input).startsWith(endpoint)).length;
}

afterEach(() => vi.restoreAllMocks());

describe('GET /healthz', () => {
  it('answers 200 with every part ok, never cached by clients, without a session', async () => {
    const res = await SELF.fetch(`${ORIGIN}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.getSetCookie()).toEqual([]);
    const body = (await res.json()) as { status: string; checks: Record<string, string>; checkedAt: string };
    expect(body.status).toBe('ok');
    expect(body.checks).toEqual({ d1: 'ok', kv: 'ok', s3: 'ok' });
    expect(Date.parse(body.checkedAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it.each([
    ['answers 500', () => env.BROKEN_S3_ENDPOINT],
    ['does not answer (closed port)', () => 'http://127.0.0.1:9'],
  ])('answers 503 naming S3 when S3 %s', async (_label, endpoint) => {
    const res = await isolate({ S3_ENDPOINT: endpoint() }).get();
    expect(res.status).toBe(503);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toMatchObject({ status: 'down', checks: { d1: 'ok', kv: 'ok', s3: 'down' } });
  });

  it('asks S3 once per cache window, however often and however it is called', async () => {
    const s3Requests = countRequestsTo(env.S3_ENDPOINT);
    const first = isolate();
    const answers = await Promise.all([first.get(), first.get(), first.get('/healthz?fresh=1'), first.get()]);
    expect(answers.map((res) => res.status)).toEqual([200, 200, 200, 200]);
    expect(s3Requests()).toBe(1);

    expect((await first.get('/healthz?x=2')).status).toBe(200);
    // Another isolate in the same location finds the report in the edge cache.
    const second = isolate({ PUBLIC_ORIGIN: first.env.PUBLIC_ORIGIN });
    expect((await second.get()).status).toBe(200);
    expect(s3Requests()).toBe(1);
  });

  it('keeps saying down within the window without asking S3 again', async () => {
    const broken = isolate({ S3_ENDPOINT: env.BROKEN_S3_ENDPOINT });
    expect((await broken.get()).status).toBe(503);
    const s3Requests = countRequestsTo(env.BROKEN_S3_ENDPOINT);
    expect((await broken.get()).status).toBe(503);
    expect(s3Requests()).toBe(0);
  });
});

describe('readHealth', () => {
  const report = (status: 'ok' | 'down' = 'ok'): HealthReport => ({ status, checks: { part: status }, checkedAt: Date.now() });

  async function setup(ttlMs = 10_000) {
    const cache = await caches.open(`health-${crypto.randomUUID()}`);
    const check = vi.fn(async () => report());
    const pending: Promise<unknown>[] = [];
    const read = (memo: HealthMemo) =>
      readHealth(memo, { cache, cacheKey: 'https://health.test/healthz', check, ttlMs, waitUntil: (p) => pending.push(p) });
    return { check, read, settle: () => Promise.all(pending) };
  }

  it('runs one check for concurrent callers', async () => {
    const { check, read, settle } = await setup();
    const memo: HealthMemo = {};
    const reports = await Promise.all([read(memo), read(memo), read(memo)]);
    await settle();
    expect(check).toHaveBeenCalledTimes(1);
    expect(new Set(reports).size).toBe(1);
  });

  it('checks again once the window has passed', async () => {
    const { check, read, settle } = await setup(50);
    const memo: HealthMemo = {};
    await read(memo);
    await settle();
    await read(memo);
    expect(check).toHaveBeenCalledTimes(1);
    await new Promise((resolve) => setTimeout(resolve, 80));
    await read(memo);
    expect(check).toHaveBeenCalledTimes(2);
  });
});

describe('checkParts', () => {
  it('reports a part that does not answer in time as down, and the others as ok', async () => {
    let aborted = false;
    const hanging = (signal: AbortSignal) =>
      new Promise(() => {
        signal.addEventListener('abort', () => (aborted = true));
      });
    const result = await checkParts({ fast: async () => 1, slow: hanging }, 50);
    expect(result.status).toBe('down');
    expect(result.checks).toEqual({ fast: 'ok', slow: 'down' });
    expect(aborted).toBe(true);
  });

  it('reports a part that throws as down', async () => {
    const result = await checkParts({ broken: () => Promise.reject(new Error('refused')) }, 1000);
    expect(result).toMatchObject({ status: 'down', checks: { broken: 'down' } });
  });
});
