// `npm run bench`: builds the Worker, serves the built bundle in workerd (wrangler's own Miniflare)
// with local D1, KV, Images and an S3 server, counts storage calls per page, loads the
// main pages with autocannon next to a no-framework baseline Worker, times avatar
// uploads, and prints a markdown summary (also written to /tmp/bench-summary.md).
// Everything listens on 127.0.0.1 and is stopped at the end, even on failure; the exit
// code is non-zero only if the benchmark itself broke, not when a budget is missed.
// BENCH_SECONDS=N changes the seconds of load per page (default 8). The JSON request log
// line's cost is measured on the dashboard against the same build without that line
// (scripts/bench/build.mjs buildWithoutRequestLog): req/s under load, and workerd CPU over
// BENCH_REQUEST_LOG_SAMPLES=N sequential requests each (default 60).
// Where an avatar upload's time goes: node scripts/bench/upload-profile.mjs [--against DIR].
// `npm run bench -- --geo` (or BENCH_MODE=geo) runs the geography mode instead
// (scripts/bench/geo.mjs): page times with a modelled network latency per storage call,
// written to /tmp/bench-geo-summary.md; BENCH_GEO_REQUESTS=N requests per page (default 20).
// Every mode starts the local OpenID Connect provider (scripts/lib/local-oidc-provider.mjs)
// on a free port for the app's `local` provider. The full run measures one returning
// sign-in's provider callback (scripts/bench/provider-callback.mjs); `npm run bench --
// --provider` (or BENCH_MODE=provider, `npm run bench:provider`) builds, measures only that,
// and writes /tmp/bench-provider-summary.md; BENCH_PROVIDER_RUNS=N timed callbacks (default 20).
// `npm run bench:sign-up` (--sign-up, BENCH_MODE=sign-up) builds, makes accounts through the
// sign-up, then times POST /register with new against taken addresses
// (scripts/bench-sign-up.mjs), written to /tmp/bench-sign-up-summary.md; BENCH_SIGN_UPS=N
// timed sign-ups of each kind (default 50). It exits 1 if the two kinds' answers differ.
import { spawn } from 'node:child_process';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildWithoutRequestLog, buildWorker } from './bench/build.mjs';
import { avatarForm, expectStatus, formHeaders, registerUser, signInBody } from './bench/client.mjs';
import { countCalls } from './bench/count-calls.mjs';
import { geoMarkdown, runGeo } from './bench/geo.mjs';
import { measure, percentile, timeRequest, timeUploads } from './bench/load.mjs';
import { ensureUnderLimit, mirroredCopy } from './bench/photo.mjs';
import { otherProcessesCpu, workerdPid } from './bench/cpu.mjs';
import { measureProviderCallback, startBenchProvider } from './bench/provider-callback.mjs';
import { measureSignUpTiming, wranglerRateLimits } from './bench-sign-up.mjs';
import { machine, providerSummaryMarkdown, summaryMarkdown } from './bench/report.mjs';
import { onCleanup, runScript, temporaryDirectory } from './lib/run-script.mjs';
import { BENCH_RATE_LIMIT, MINIFLARE_VERSION, WORKERD_VERSION, appWorkerOptions, applyMigrations, describeBindings, freePort, startApp, startBaseline, startS3 } from './bench/servers.mjs';

const GEO = process.argv.includes('--geo') || process.env.BENCH_MODE === 'geo';
const PROVIDER_ONLY = process.argv.includes('--provider') || process.env.BENCH_MODE === 'provider';
const SIGN_UP = process.argv.includes('--sign-up') || process.env.BENCH_MODE === 'sign-up';
const SIGN_UP_SUMMARY_PATH = '/tmp/bench-sign-up-summary.md';
const SIGN_UPS = Number(process.env.BENCH_SIGN_UPS ?? 50);
const SUMMARY_PATH = '/tmp/bench-summary.md';
const GEO_SUMMARY_PATH = '/tmp/bench-geo-summary.md';
const PROVIDER_SUMMARY_PATH = '/tmp/bench-provider-summary.md';
const PROVIDER_RUNS = Number(process.env.BENCH_PROVIDER_RUNS ?? 20);
const GEO_REQUESTS = Number(process.env.BENCH_GEO_REQUESTS ?? 20);
const PAGE_SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
// Each page's seconds are split into this many slices, alternating app and baseline.
const SLICES = 4;
// CPU use by other processes (share of all cores) above which the numbers are flagged.
const BUSY = 0.1;
const UPLOADS = 8;
// Sequential dashboard requests per build for the request log line's CPU cost.
const REQUEST_LOG_SAMPLES = Number(process.env.BENCH_REQUEST_LOG_SAMPLES ?? 60);
const AVATAR_MAX_BYTES = 5 * 1024 * 1024;

// The baseline reads the very same session record and user row as the app.
// The cookie is "<userId>.<sessionId>.<secret>.<expiry>" (src/auth/session.ts).
async function seedBaseline(app, baseline, cookie) {
  const match = /session=([0-9a-f]{24})\.([a-z2-7]{24})\./.exec(cookie);
  if (!match) throw new Error(`the session cookie is not "<userId>.<sessionId>.<secret>.<expiry>": ${cookie}; update the baseline to match`);
  const [, cookieUserId, sessionId] = match;
  const record = await app.mf.getKVNamespace('SESSIONS', 'app').then((kv) => kv.get(`session:${sessionId}`));
  if (!record) throw new Error('the app session is not in KV under session:<id>; update the baseline to match');
  const { userId } = JSON.parse(record);
  if (userId !== cookieUserId) throw new Error('the session record names another user than the cookie');
  const appDb = await app.mf.getD1Database('DB', 'app');
  const user = await appDb.prepare('SELECT * FROM users WHERE id = ?').bind(userId).first();
  const profile = await appDb.prepare('SELECT * FROM profiles WHERE user_id = ?').bind(userId).first();
  const db = await baseline.mf.getD1Database('DB', 'baseline');
  await applyMigrations(db);
  for (const [table, row] of [['users', user], ['profiles', profile]]) {
    const columns = Object.keys(row);
    await db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`).bind(...Object.values(row)).run();
  }
  const kv = await baseline.mf.getKVNamespace('SESSIONS', 'baseline');
  await kv.put(`session:${sessionId}`, record);
}

function runNode(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`node ${args.join(' ')} exited with ${code}`))));
  });
}

async function build(results, tmp) {
  console.log('1. Building (wrangler deploy --dry-run --minify)');
  const bundle = await buildWorker(join(tmp, 'build'));
  const sizes = bundle.wrangler ? `${bundle.wrangler.rawKiB} KiB / gzip ${bundle.wrangler.gzipKiB} KiB` : '(no size line found)';
  console.log(`  wrangler: ${sizes}; index.js: ${bundle.measured.rawBytes} bytes / gzip -9 ${bundle.measured.gzipBytes} bytes\n`);
  results.bundle = bundle;
  return bundle;
}

// S3 and the local OpenID provider, then the app (with its counting twin) on fresh local
// storage, then one user (unless withUser is false). The bench user signs up in one request
// (client.mjs registerUser), which only SIGN_UP_CONFIRMATION=after allows; the pages and
// sign-ins measured do not depend on the mode. The sign-up mode sets "before" itself.
// `rateLimits`: these limiters instead of the raised ones.
async function startAppStack(results, tmp, bundle, moreVars = {}, { withUser = true, rateLimits } = {}) {
  const vars = { SIGN_UP_CONFIRMATION: 'after', ...moreVars };
  console.log('2. Local S3 (s3rver) and the local OpenID Connect provider (oidc-provider)');
  const s3 = await startS3(join(tmp, 's3'));
  onCleanup(() => s3.server.close());
  // The provider must know the app's callback URL, and the app the provider's issuer.
  const port = await freePort();
  const oidc = await startBenchProvider(port);
  onCleanup(() => oidc.provider.close());
  console.log(`  ${s3.endpoint}; provider ${oidc.provider.issuer}\n`);

  console.log('3. The built app in workerd (Miniflare)');
  const appVars = { ...oidc.vars, ...vars };
  const { options, configuredDate, compatibilityDate } = appWorkerOptions({ port, s3Endpoint: s3.endpoint, vars: appVars });
  // What a second copy of the app needs (its own port, the same S3 and provider).
  results.stack = { s3Endpoint: s3.endpoint, vars: appVars };
  results.compat = { configured: configuredDate, used: compatibilityDate };
  console.log(`  Miniflare ${results.miniflareVersion} (wrangler's own), workerd ${results.workerdVersion}, compatibility date ${compatibilityDate} (wrangler.toml)`);
  console.log(`  bindings: ${describeBindings(options)}`);
  if (rateLimits) {
    options.ratelimits = rateLimits;
    console.log(`  rate limits as in wrangler.toml (${Object.entries(rateLimits).map(([name, l]) => `${name} ${l.simple.limit}/${l.simple.period} s`).join(', ')})`);
  } else {
    console.log(`  rate limits raised to ${BENCH_RATE_LIMIT} per period (still consulted on every request, never refusing)`);
  }
  const app = await startApp({ scriptPath: bundle.scriptPath, extraModules: bundle.extraModules, port, options, persistDir: join(tmp, 'state-app') });
  onCleanup(() => app.mf.dispose());
  const migrations = await applyMigrations(await app.mf.getD1Database('DB', 'app'));
  console.log(`  ${app.url}, migrations applied: ${migrations.join(', ')}`);
  await expectStatus(app.url, '/', 200);
  if (!withUser) return { app, options };

  const user = await registerUser(app.url);
  await expectStatus(app.url, '/dashboard', 200, { headers: { cookie: user.cookie } });
  console.log(`  signed up ${user.username}\n`);
  return { app, options, user };
}

async function countStorageCalls(results, app, user) {
  console.log('4. Storage calls per request');
  const { cookie } = user;
  results.calls = [];
  for (const page of [
    { name: 'GET /', path: '/', expected: 200, anonymous: true },
    { name: 'GET /login', path: '/login', expected: 200, anonymous: true },
    { name: 'GET / (signed in)', path: '/', expected: 200, headers: { cookie } },
    { name: 'GET /dashboard', path: '/dashboard', expected: 200, headers: { cookie } },
    { name: 'GET /profile', path: '/profile', expected: 200, headers: { cookie } },
    { name: 'POST /login', path: '/login', method: 'POST', expected: 303, headers: formHeaders(app.url), body: signInBody(user) },
  ]) {
    results.calls.push(await countCalls(app.counting, app.url, page));
  }
  console.log();
}

async function measureProvider(results, app, user, step) {
  console.log(`${step}. One provider callback (a returning sign-in with the local OpenID provider; ${PROVIDER_RUNS} timed runs)`);
  results.provider = await measureProviderCallback(app, user, PROVIDER_RUNS);
  console.log();
}

async function startBaselineStack(tmp, app, options, cookie) {
  console.log('6. Baseline Worker (scripts/bench/baseline-worker.js)');
  const baseline = await startBaseline({ port: await freePort(), options, persistDir: join(tmp, 'state-baseline') });
  onCleanup(() => baseline.mf.dispose());
  await seedBaseline(app, baseline, cookie);
  await expectStatus(baseline.url, '/dashboard', 200, { headers: { cookie } });
  console.log(`  ${baseline.url}, same bindings and assets as the app, seeded with the same session and user\n`);
  return baseline;
}

async function loadPages(results, app, baseline, user) {
  console.log(`7. Load (autocannon; ${PAGE_SECONDS} s per page after a 2 s warm-up, app and baseline alternating in ${SLICES} slices)`);
  const { cookie } = user;
  const otherCpu = otherProcessesCpu();
  otherCpu.start();
  const timing = { slices: SLICES, seconds: PAGE_SECONDS };
  // Each target names its server's workerd process, to charge it the CPU time used.
  const appPid = workerdPid(new URL(app.url).port);
  const basePid = workerdPid(new URL(baseline.url).port);
  if (!appPid || !basePid) console.log('  (workerd processes not found: no CPU time per request)');
  const onApp = (name, path, extra = {}) => ({ name, url: `${app.url}${path}`, pid: appPid, ...extra });
  const onBaseline = (name, path, extra = {}) => ({ name, url: `${baseline.url}${path}`, pid: basePid, ...extra });

  const [home, baselineHome] = await measure([onApp('app GET / (anonymous)', '/'), onBaseline('baseline GET /', '/')], timing);
  const [login] = await measure([onApp('app GET /login (anonymous)', '/login')], timing);
  const [dashboard, baselineDashboard] = await measure(
    [onApp('app GET /dashboard (signed in)', '/dashboard', { headers: { cookie } }), onBaseline('baseline GET /dashboard', '/dashboard', { headers: { cookie } })],
    timing,
  );
  // Sign-in is CPU-bound on one isolate: one connection gives the time one sign-in takes,
  // two show what waiting behind another sign-in's password hash costs.
  const signIn = { method: 'POST', headers: formHeaders(app.url), body: signInBody(user) };
  const [signIn1] = await measure([onApp('app POST /login (sign-in)', '/login', { ...signIn, connections: 1 })], timing);
  const [signIn2] = await measure([onApp('app POST /login (sign-in)', '/login', { ...signIn, connections: 2 })], timing);
  results.load = { home, baselineHome, login, dashboard, baselineDashboard, signIn: signIn1, signIn2 };
  for (const [key, s] of Object.entries(results.load)) {
    const expected = key.startsWith('signIn') ? '3xx' : '2xx';
    if (s.status[expected] !== s.requests || s.errors) console.log(`  WARNING: ${s.name}: not every answer was ${expected}: ${JSON.stringify(s.status)}, ${s.errors} errors`);
  }
  results.otherCpu = otherCpu.stop();
  console.log(`  other processes used ${(results.otherCpu * 100).toFixed(0)}% of the machine's CPU meanwhile`);
  if (results.otherCpu > BUSY) console.log('  WARNING: the machine was busy with other work: these numbers are lower and noisier than on an idle one');
  console.log();
}

// What the JSON request log line costs (src/http/request-log.ts): the same build with
// that one statement removed (build.mjs buildWithoutRequestLog), served by its own
// Miniflare with its own user, and the dashboard loaded on both, alternating.
async function measureRequestLog(results, tmp, bundle, app, user) {
  console.log(`7b. The request log line: GET /dashboard with and without it (${PAGE_SECONDS} s each, alternating in ${SLICES} slices)`);
  const quiet = await buildWithoutRequestLog(bundle, join(tmp, 'build-without-request-log'));
  const port = await freePort();
  const { options } = appWorkerOptions({ port, s3Endpoint: results.stack.s3Endpoint, vars: results.stack.vars });
  const noLog = await startApp({ scriptPath: quiet.scriptPath, extraModules: quiet.extraModules, port, options, persistDir: join(tmp, 'state-without-request-log') });
  onCleanup(() => noLog.mf.dispose());
  await applyMigrations(await noLog.mf.getD1Database('DB', 'app'));
  const noLogUser = await registerUser(noLog.url);
  await expectStatus(noLog.url, '/dashboard', 200, { headers: { cookie: noLogUser.cookie } });
  const target = (name, server, cookie) => ({ name, url: `${server.url}/dashboard`, pid: workerdPid(new URL(server.url).port), headers: { cookie } });
  const [withLog, withoutLog] = await measure(
    [target('app GET /dashboard (with the log line)', app, user.cookie), target('app GET /dashboard (without it)', noLog, noLogUser.cookie)],
    { slices: SLICES, seconds: PAGE_SECONDS },
  );
  // One request at a time, alternating: workerd CPU to the response (the line is printed
  // before the response leaves), less moved by other processes than req/s is.
  const cpuSamples = [[], []];
  const targets = [[app, user.cookie], [noLog, noLogUser.cookie]];
  for (let i = 0; i < REQUEST_LOG_SAMPLES; i++) {
    for (const [t, [server, cookie]] of (i % 2 ? [...targets.entries()].reverse() : [...targets.entries()])) {
      const { cpuToResponse, response } = await timeRequest(workerdPid(new URL(server.url).port), `${server.url}/dashboard`, { headers: { cookie } });
      if (response.status !== 200) throw new Error(`GET /dashboard answered ${response.status} during the request log measurement`);
      cpuSamples[t].push(cpuToResponse);
    }
  }
  const [cpuWith, cpuWithout] = cpuSamples.map((samples) => percentile(samples, 50));
  await noLog.mf.dispose();
  results.requestLog = { withLog, withoutLog, sequential: { samples: REQUEST_LOG_SAMPLES, cpuWith, cpuWithout } };
  console.log(`  ${REQUEST_LOG_SAMPLES} sequential requests each: workerd CPU p50 ${cpuWith.toFixed(2)} ms with the line, ${cpuWithout.toFixed(2)} ms without`);
  console.log(`  the line costs ${(withoutLog.rps > 0 ? (1 - withLog.rps / withoutLog.rps) * 100 : NaN).toFixed(1)}% of the dashboard's req/s and ${(withLog.cpuPerRequest - withoutLog.cpuPerRequest).toFixed(2)} ms of workerd CPU per request\n`);
}

async function uploadAvatars(results, tmp, app, user) {
  console.log(`8. Avatar uploads (${UPLOADS} sequential POST /profile)`);
  const photoPath = join(tmp, 'photo-4000x3000.jpg');
  await runNode(['scripts/make-test-images.mjs', '--photo-only', photoPath, '4000x3000']);
  const photo = await ensureUnderLimit(photoPath, AVATAR_MAX_BYTES);
  console.log(`  ${photo.note}`);
  const photoPaths = [photoPath, await mirroredCopy(photoPath, join(tmp, 'photo-mirrored.jpg'))];
  const timings = await timeUploads({ url: app.url, cookie: user.cookie, email: user.email, photoPaths, count: UPLOADS });
  // After an even count the mirrored photo is current, so this upload is a change too.
  const calls = await countUpload(app, user, photoPaths[UPLOADS % 2]);
  if (calls.fetch === 0) console.log('  WARNING: the counted upload made no S3 request: the picture was not stored');
  results.calls.push(calls);
  results.upload = { bytes: (await stat(photoPath)).size, timings, p50: percentile(timings, 50), max: Math.max(...timings), note: photo.note };
  console.log();
}

async function main() {
  const results = { date: new Date().toISOString().slice(0, 10), machine: machine() };
  results.miniflareVersion = MINIFLARE_VERSION;
  results.workerdVersion = WORKERD_VERSION;
  const m = results.machine;
  console.log(`Machine: ${m.cores} cores, ${m.cpu}, ${m.memory}, Node ${m.node}\n`);
  const tmp = await temporaryDirectory('edge-bench-');

  if (GEO) return mainGeo(results, tmp);
  if (PROVIDER_ONLY) return mainProvider(results, tmp);
  if (SIGN_UP) return mainSignUp(results, tmp);
  const bundle = await build(results, tmp);
  const { app, options, user } = await startAppStack(results, tmp, bundle);
  await countStorageCalls(results, app, user);
  await measureProvider(results, app, user, 5);
  const baseline = await startBaselineStack(tmp, app, options, user.cookie);
  await loadPages(results, app, baseline, user);
  await measureRequestLog(results, tmp, bundle, app, user);
  await uploadAvatars(results, tmp, app, user);

  const summary = summaryMarkdown(results);
  await writeFile(SUMMARY_PATH, summary);
  console.log(summary);
  console.log(`(also written to ${SUMMARY_PATH})`);
}

// The storage and S3 calls of one avatar upload, through the counting twin.
async function countUpload(app, user, photoPath) {
  const { contentType, body } = await avatarForm(user.email, await readFile(photoPath));
  const headers = { cookie: user.cookie, origin: app.url, 'sec-fetch-site': 'same-origin', 'content-type': contentType };
  return countCalls(app.counting, app.url, { name: 'POST /profile (avatar)', path: '/profile', method: 'POST', headers, body, expected: 303 });
}

// The provider mode: the same build and app, then only the provider callback.
async function mainProvider(results, tmp) {
  const bundle = await build(results, tmp);
  const { app, user } = await startAppStack(results, tmp, bundle);
  await measureProvider(results, app, user, 4);
  const summary = providerSummaryMarkdown(results);
  await writeFile(PROVIDER_SUMMARY_PATH, summary);
  console.log(summary);
  console.log(`(also written to ${PROVIDER_SUMMARY_PATH})`);
}

// The sign-up mode: the same build and app in the default mode with wrangler.toml's rate
// limits (each request comes from its own client address), no bench user (its sign-up is
// the thing measured), then new against taken addresses.
async function mainSignUp(results, tmp) {
  const bundle = await build(results, tmp);
  const { app } = await startAppStack(results, tmp, bundle, { SIGN_UP_CONFIRMATION: 'before' }, { withUser: false, rateLimits: wranglerRateLimits() });
  console.log(`\n4. Sign-up timing (${SIGN_UPS} new and ${SIGN_UPS} taken addresses)`);
  const { result, text } = await measureSignUpTiming(app, SIGN_UPS);
  const m = results.machine;
  const header = `Machine: ${m.cores} cores, ${m.cpu}, Node ${m.node}; the built bundle in workerd through Miniflare ${results.miniflareVersion}, local D1 and KV, the development mailbox on (mail goes out after the response), wrangler.toml's per-client limits (each request from its own cf-connecting-ip).`;
  await writeFile(SIGN_UP_SUMMARY_PATH, `## Sign-up: new vs taken address (\`npm run bench:sign-up\`, ${results.date})\n\n${header}\n\n\`\`\`\n${text}\n\`\`\`\n`);
  console.log(`\n${text}\n(also written to ${SIGN_UP_SUMMARY_PATH})`);
  if (!result.signatures.same) {
    console.error('\nFAIL: a new and a taken address got different answers (status, Location or cookie names).');
    return 1;
  }
}

// The geography mode: the same build and app, then page times per modelled scenario.
async function mainGeo(results, tmp) {
  const bundle = await build(results, tmp);
  // As in production: sending a mail is one Email Service call, not also a KV write.
  const { app, user } = await startAppStack(results, tmp, bundle, { DEV_MAILBOX: 'false' });
  console.log(`4. Geography (${GEO_REQUESTS} sequential requests per page and scenario)`);
  // A 1600x1200 photo: the local image processing stands in for the Images service's,
  // and a smaller picture keeps the run short.
  const photoPath = join(tmp, 'photo-1600x1200.jpg');
  await runNode(['scripts/make-test-images.mjs', '--photo-only', photoPath, '1600x1200']);
  const photos = [await readFile(photoPath), await readFile(await mirroredCopy(photoPath, join(tmp, 'photo-mirrored.jpg')))];
  const geo = await runGeo({ app, user, photos, requests: GEO_REQUESTS });
  const summary = geoMarkdown(geo, results);
  await writeFile(GEO_SUMMARY_PATH, summary);
  console.log(`\n${summary}`);
  console.log(`(also written to ${GEO_SUMMARY_PATH})`);
}

await runScript(main, { failure: 'Benchmark failed' });
