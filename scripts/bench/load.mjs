// Load runs with autocannon (programmatic), and timed avatar uploads.
import { readFile } from 'node:fs/promises';
import autocannon from 'autocannon';
import { settle } from './count-calls.mjs';
import { cpuMs, preciseCpuMs } from './cpu.mjs';

// Loads each target in turn: a thrown-away warm-up (JIT, isolate start, SQLite caches),
// then `slices` short runs alternating between the targets (A B, B A, ...), so that a
// change in background load hits the app and its baseline alike. Latencies are
// collected per response, so the percentiles cover every slice exactly.
export async function measure(targets, { slices = 1, seconds = 8, warmupSeconds = 2 } = {}) {
  for (const target of targets) await autocannon({ ...cannonOptions(target), duration: warmupSeconds });
  const sinks = targets.map(() => ({ latencies: [], status: { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 }, seconds: 0, errors: 0, cpuMs: 0 }));
  // A lone target runs in one piece: slice ends cut off requests in flight, which
  // matters for slow ones such as sign-in.
  const pieces = targets.length > 1 ? slices : 1;
  const order = targets.map((_, i) => i);
  for (let slice = 0; slice < pieces; slice++) {
    for (const i of slice % 2 ? [...order].reverse() : order) await runSlice(targets[i], seconds / pieces, sinks[i]);
  }
  return targets.map((target, i) => summarize(target, sinks[i]));
}

function cannonOptions({ url, connections = 10, method = 'GET', headers = {}, body }) {
  return { url, connections, method, headers, body, timeout: 30 };
}

// target.pid: the serving workerd process, whose CPU time is charged to the target.
async function runSlice(target, seconds, sink) {
  const cpuBefore = cpuMs(target.pid);
  const instance = autocannon({ ...cannonOptions(target), duration: seconds });
  instance.on('response', (_client, statusCode, _bytes, ms) => {
    sink.latencies.push(ms);
    const bucket = `${Math.floor(statusCode / 100)}xx`;
    if (bucket in sink.status) sink.status[bucket] += 1;
  });
  const result = await instance;
  sink.seconds += result.duration;
  sink.errors += result.errors + result.timeouts;
  sink.cpuMs += cpuMs(target.pid) - cpuBefore;
}

function summarize(target, sink) {
  const summary = {
    name: target.name,
    connections: target.connections ?? 10,
    seconds: sink.seconds,
    rps: sink.latencies.length / sink.seconds,
    p50: percentile(sink.latencies, 50),
    p99: percentile(sink.latencies, 99),
    requests: sink.latencies.length,
    status: sink.status,
    errors: sink.errors,
    // workerd CPU per request (the Worker, the local KV/D1 simulators, the assets router).
    cpuPerRequest: sink.cpuMs / sink.latencies.length,
  };
  const counts = Object.entries(summary.status).filter(([, n]) => n).map(([k, n]) => `${k} ${n}`).join(', ');
  console.log(
    `  ${summary.name.padEnd(34)} ${summary.rps.toFixed(0).padStart(6)} req/s  p50 ${summary.p50.toFixed(1)} ms  p99 ${summary.p99.toFixed(1)} ms  CPU ${summary.cpuPerRequest.toFixed(2)} ms/req  (${summary.connections} conn, ${counts}${summary.errors ? `, ${summary.errors} errors` : ''})`,
  );
  return summary;
}

// Sequential multipart uploads, cycling through the given photos; the clock stops when
// the 303 (or any answer) arrives.
export async function timeUploads({ url, cookie, email, photoPaths, count }) {
  const photos = await Promise.all(photoPaths.map(async (path) => new Blob([await readFile(path)], { type: 'image/jpeg' })));
  const timings = [];
  for (let i = 0; i < count; i++) {
    const form = new FormData();
    form.set('email', email);
    form.set('avatar', photos[i % photos.length], 'photo.jpg');
    const started = performance.now();
    const response = await fetch(`${url}/profile`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, origin: url, 'sec-fetch-site': 'same-origin' },
      body: form,
    });
    const text = await response.text();
    const ms = performance.now() - started;
    if (response.status !== 303) throw new Error(`upload ${i + 1} answered ${response.status}: ${excerpt(text)}`);
    timings.push(ms);
    console.log(`  upload ${i + 1}: ${ms.toFixed(0)} ms`);
  }
  return timings;
}

// One request on its own: wall time, and the CPU of the serving workerd process (pid) to
// the response and with the work it hands to waitUntil.
export async function timeRequest(pid, url, init = {}) {
  const cpuBefore = preciseCpuMs(pid);
  const started = performance.now();
  const response = await fetch(url, { redirect: 'manual', ...init });
  const text = await response.text();
  const wallMs = performance.now() - started;
  const cpuToResponse = preciseCpuMs(pid) - cpuBefore;
  await settle();
  return { response, text, wallMs, cpuToResponse, cpuWithAfterWork: preciseCpuMs(pid) - cpuBefore };
}

// workerd CPU over a settle window with no request: what every timed request carries anyway.
export async function idleCpu(pid) {
  const before = preciseCpuMs(pid);
  await settle();
  return preciseCpuMs(pid) - before;
}

// The visible text of an HTML page, shortened: enough to see why a request was refused.
export function excerpt(html, length = 400) {
  return html.replace(/<(script|style)[\s\S]*?<\/\1>/g, ' ').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, length);
}

// Nearest-rank percentile.
export function percentile(values, p) {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
