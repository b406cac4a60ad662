// One request through the counting twin (counting-worker.js), with the storage calls and
// outbound fetches it made.
import { storageCalls } from './report.mjs';

// Work handed to waitUntil finishes just after the response.
export const SETTLE_MS = 100;

export const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

// The counters are reset just before the request.
export async function countCalls(counting, origin, { name, path, method = 'GET', headers = {}, body, expected, anonymous = false }) {
  await counting.fetch(`${origin}/__bench/counts`).then((r) => r.text());
  const response = await counting.fetch(`${origin}${path}`, { method, headers, body, redirect: 'manual' });
  await response.arrayBuffer();
  if (response.status !== expected) throw new Error(`(counting) ${name} answered ${response.status}, expected ${expected}`);
  await settle();
  const counts = await counting.fetch(`${origin}/__bench/counts`).then((r) => r.json());
  const calls = { name, anonymous, ...storageCalls(counts) };
  const fetches = calls.fetch ? `${calls.fetch} (${calls.fetchDetail})` : '0';
  console.log(`  ${name.padEnd(28)} KV ${calls.kv} (${calls.kvDetail})  D1 ${calls.d1Queries} (${calls.d1Detail})  rate limiter ${calls.limiter}  fetch ${fetches}`);
  return calls;
}
