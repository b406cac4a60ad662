// The machine, storage-call tallies, the budgets and the markdown summary.
import { readFileSync } from 'node:fs';
import os from 'node:os';

export function machine() {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try {
    cpu = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpu;
  } catch {}
  return {
    cores: os.availableParallelism(),
    cpu,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    node: process.version,
  };
}

// Storage calls of one request, from the counting Worker's counters.
export function storageCalls(counts) {
  const sum = (group) => Object.values(group).reduce((a, b) => a + b, 0);
  const { d1, d1Calls } = counts;
  const d1Notes = [d1Calls.batch ? `batch×${d1Calls.batch}` : '', d1Calls.withSession ? 'in a D1 session' : ''].filter(Boolean);
  return {
    kv: sum(counts.kv),
    kvReads: (counts.kv.get ?? 0) + (counts.kv.getWithMetadata ?? 0) + (counts.kv.list ?? 0),
    kvDetail: detail(counts.kv),
    // Round trips: a statement run or a whole batch.
    d1Queries: d1.read + d1.write,
    d1Detail: d1.read + d1.write ? [detail(d1), ...d1Notes].join(', ') : d1Calls.withSession ? 'a session opened, no query' : '-',
    d1Route: counts.d1Route,
    d1Log: counts.d1Log ?? [],
    limiter: sum(counts.limiter ?? {}),
    images: sum(counts.images ?? {}),
    email: counts.email ?? 0,
    fetch: counts.fetch,
    fetchDetail: detail(counts.fetchTo ?? {}),
  };
}

function detail(group) {
  return Object.entries(group).filter(([, n]) => n).map(([k, n]) => `${k}×${n}`).join(' ') || '-';
}

const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
const pct = (share) => `${Math.round(share * 100)}%`;
const pass = (ok) => (ok ? 'PASS' : '**FAIL**');
const ms = (value) => (value < 10 ? `${value.toFixed(1)} ms` : `${Math.round(value)} ms`);

export function budgets(r) {
  const anonymous = r.calls.filter((c) => c.anonymous);
  const dashboard = r.calls.find((c) => c.name === 'GET /dashboard');
  const ratio = r.load.dashboard.rps / r.load.baselineDashboard.rps;
  // Wrangler's gzip figure is what Cloudflare counts; 300 KB read strictly as 300,000 bytes.
  const gzipKiB = r.bundle.wrangler?.gzipKiB ?? r.bundle.measured.gzipBytes / 1024;
  return [
    ['Bundle <= 300 KB gzip', `${gzipKiB.toFixed(1)} KiB (${(gzipKiB * 1.024).toFixed(0)} KB)`, gzipKiB * 1024 <= 300_000],
    ['Anonymous pages: 0 KV / 0 D1 calls', anonymous.map((c) => `${c.name}: ${c.kv} KV, ${c.d1Queries} D1`).join('; '), anonymous.every((c) => c.kv === 0 && c.d1Queries === 0)],
    ['Dashboard: <= 1 KV read, <= 1 D1 query', `${dashboard.kv} KV (${dashboard.kvDetail}), ${dashboard.d1Queries} D1`, dashboard.kvReads <= 1 && dashboard.d1Queries <= 1],
    ['Dashboard >= 85% of baseline req/s', `${(ratio * 100).toFixed(0)}%`, ratio >= 0.85],
    // One connection: the time one sign-in takes; with two, each waits for the other's hash.
    ['Sign-in POST p50 < 150 ms (1 connection)', `${ms(r.load.signIn.p50)} (2 connections: ${ms(r.load.signIn2.p50)})`, r.load.signIn.p50 < 150],
    ['Avatar upload p50 <= 200 ms', ms(r.upload.p50), r.upload.p50 <= 200],
  ];
}

// The JSON request log line's cost (bench.mjs measureRequestLog).
function requestLogMarkdown(log) {
  if (!log) return '';
  const { withLog: a, withoutLog: b } = log;
  return `The JSON request log line (src/http/request-log.ts), measured on GET /dashboard against the same build with that statement removed (its own Miniflare and user, alternating slices): ${a.rps.toFixed(0)} req/s with it, ${b.rps.toFixed(0)} without (${((1 - a.rps / b.rps) * 100).toFixed(1)}% fewer); workerd CPU ${a.cpuPerRequest.toFixed(2)} vs ${b.cpuPerRequest.toFixed(2)} ms per request (${(a.cpuPerRequest - b.cpuPerRequest).toFixed(2)} ms for the line, Miniflare's handling of the printed line included); p50 ${ms(a.p50)} vs ${ms(b.p50)}.${log.sequential ? ` One request at a time (${log.sequential.samples} each, alternating), workerd CPU to the response p50 ${log.sequential.cpuWith.toFixed(2)} vs ${log.sequential.cpuWithout.toFixed(2)} ms (${(log.sequential.cpuWith - log.sequential.cpuWithout).toFixed(2)} ms for the line).` : ''}`;
}

// One row per request of the storage-call tables.
function callRow(c) {
  return [c.name, c.kv ? `${c.kv} (${c.kvDetail})` : '0', c.d1Queries ? `${c.d1Queries} (${c.d1Detail})` : '0', c.limiter, c.fetch ? `${c.fetch} (${c.fetchDetail})` : '0'];
}

const CALLS_HEADER = `| Request | KV | D1 queries | Rate limiter | Outbound fetch |
| --- | --- | --- | --- | --- |`;

function providerCallbackMarkdown(p) {
  const c = p.calls.warm;
  return `One provider callback (GET /oauth/local/callback of a returning sign-in with the local OpenID provider, oidc-provider on loopback; no second step): ${c.d1Queries} D1 queries (${c.d1Detail}), ${c.kv} KV (${c.kvDetail}), ${c.limiter} rate-limiter call, ${c.fetch} outbound fetch (${c.fetchDetail || '-'}); the first callback in an isolate also fetches discovery and keys: ${p.calls.cold.fetch} (${p.calls.cold.fetchDetail}). workerd CPU p50 over ${p.runs} runs: ${ms(p.cpuToResponseP50)} to the response, ${ms(p.cpuWithAfterWorkP50)} with the after-response work (max ${ms(p.cpuMax)}; an idle window of the same length: ${ms(p.idleP50)}); wall time p50 ${ms(p.wallP50)}, the token request to the provider included. Its D1 queries in order: ${c.d1Log.map((q, i) => `${i + 1}. ${q}`).join('; ')}. A password sign-in (POST /login) measured the same way: CPU p50 ${ms(p.passwordSignIn.cpuWithAfterWorkP50)}, wall p50 ${ms(p.passwordSignIn.wallP50)}. CPU from the scheduler's per-thread run time (/proc/<pid>/task/*/schedstat) of the serving workerd process, each run a fresh authorization code from the provider's login screen (not timed).`;
}

// The provider mode's summary: the bundle, the callback's calls and CPU.
export function providerSummaryMarkdown(r) {
  const m = r.machine;
  const rows = (list) => list.map((cells) => `| ${cells.join(' | ')} |`).join('\n');
  return `## Provider callback (\`npm run bench:provider\`, ${r.date})

Machine: ${m.cores} cores, ${m.cpu}, ${m.memory} RAM, Node ${m.node}. The built bundle (${r.bundle.wrangler ? `gzip ${r.bundle.wrangler.gzipKiB} KiB` : 'size not found'}) in workerd through Miniflare ${r.miniflareVersion}, local D1 and KV.

${CALLS_HEADER}
${rows([r.provider.calls.cold, r.provider.calls.warm].map(callRow))}

${providerCallbackMarkdown(r.provider)}
`;
}

export function summaryMarkdown(r) {
  const m = r.machine;
  const l = r.load;
  const rows = (list) => list.map((cells) => `| ${cells.join(' | ')} |`).join('\n');
  const vs = (a, b) => `${((a.rps / b.rps) * 100).toFixed(0)}% of baseline req/s; ${(a.cpuPerRequest / b.cpuPerRequest).toFixed(1)}x its CPU`;
  const cpu = (s) => (Number.isFinite(s.cpuPerRequest) ? `${s.cpuPerRequest.toFixed(2)} ms` : '?');
  const loadRow = (name, s, note = '') => [name, s.connections, s.rps.toFixed(0), ms(s.p50), ms(s.p99), cpu(s), note];
  const compat = r.compat.used;
  const busy = r.otherCpu > 0.1 ? ' (**shared machine busy: the numbers are lower and noisier than on an idle one**)' : '';
  return `## Benchmark (\`npm run bench\`, ${r.date})

Machine: ${m.cores} cores, ${m.cpu}, ${m.memory} RAM, Node ${m.node}. The built bundle (\`wrangler deploy --dry-run --minify\`) runs in workerd ${r.workerdVersion} through Miniflare ${r.miniflareVersion} (wrangler's own, as \`wrangler dev\` and the tests) with local D1, KV, Images and an s3rver S3; compatibility date ${compat}; rate limits raised so they never refuse. autocannon on the same machine, about ${Math.round(l.home.seconds)} s per page after a warm-up, app and baseline alternating in short slices. Other processes used ${pct(r.otherCpu)} of the machine's CPU during the load runs${busy}.

**Bundle**: wrangler ${r.bundle.wrangler ? `${r.bundle.wrangler.rawKiB} KiB / gzip ${r.bundle.wrangler.gzipKiB} KiB` : 'sizes not found in its output'}; index.js measured ${kib(r.bundle.measured.rawBytes)} / gzip -9 ${kib(r.bundle.measured.gzipBytes)}.

| Page | Conn. | Req/s | p50 | p99 | workerd CPU/req | vs baseline |
| --- | --- | --- | --- | --- | --- | --- |
${rows([
  loadRow('GET / (anonymous)', l.home, vs(l.home, l.baselineHome)),
  loadRow('GET /login (anonymous)', l.login),
  loadRow('GET /dashboard (signed in)', l.dashboard, vs(l.dashboard, l.baselineDashboard)),
  loadRow('POST /login (sign-in, password hash)', l.signIn),
  loadRow('POST /login (sign-in, password hash)', l.signIn2),
  loadRow('Baseline GET / (no storage)', l.baselineHome),
  loadRow('Baseline GET /dashboard (1 KV get + 1 D1 join in a D1 session)', l.baselineDashboard),
])}

${requestLogMarkdown(r.requestLog)}

Avatar upload (POST /profile, ${r.upload.timings.length} in a row, 4000x3000 JPEG of ${(r.upload.bytes / 1e6).toFixed(2)} MB): p50 ${ms(r.upload.p50)}, max ${ms(r.upload.max)}.

Storage calls of one request (counted by a wrapper around the bindings):

${CALLS_HEADER}
${rows([...r.calls, r.provider.calls.warm].map(callRow))}

${providerCallbackMarkdown(r.provider)}

| Budget | Measured | Result |
| --- | --- | --- |
${rows(budgets(r).map(([what, measured, ok]) => [what, measured, pass(ok)]))}

workerd CPU/req: CPU time of the serving workerd process (Worker, local KV/D1 simulators, assets router) per request; it moves less than req/s when other processes share the machine, but it does move (shared caches and cores), so compare app and baseline from the same run. Local KV and D1 are simulators with long tails: compare medians and ratios, not absolute p99s.
`;
}
