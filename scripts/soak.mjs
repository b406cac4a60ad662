// `npm run soak`: the built Worker (the bench's Miniflare set-up, scripts/bench/servers.mjs)
// under SOAK_CONNECTIONS (64) concurrent loops of mixed traffic for SOAK_SECONDS (300):
// signed-in pages, sign-ins (some accounts with the authenticator app), profile saves,
// avatar uploads and sign-outs, while a fault proxy (scripts/soak/fault-proxy.mjs) in
// front of the S3 server fails 10% of S3 requests (500 or reset) and delays the rest by
// 0-2 s. SOAK_SEED (1) seeds the faults and the traffic's choices.
// Then it checks: no 5xx but the friendly "picture could not be saved" answer; no lost
// avatar; no orphan object once the hourly cleanup has run; every signed-out cookie still
// refused; workerd's RSS at the end within 1.5x its value after the first minute, and each
// isolate's JS heap after GC (read over workerd's inspector) as flat between those times.
// Prints a PASS/FAIL table, writes /tmp/soak-summary.md, exits 1 on FAIL (2 on bad input
// or if the soak itself broke). The Worker's own output goes to /tmp/soak-worker.log.
// SOAK_CONNECTIONS, SOAK_ACCOUNTS, SOAK_TOTP_ACCOUNTS change the load; SOAK_DOUBLE_SUBMIT=1
// adds the same picture sent twice at once (a double click), which is not in the default mix;
// SOAK_MIX changes the weights (see mixSetting). SOAK_KEEP=1 keeps the temporary directory
// (the S3 objects, the D1 and KV state) for a look afterwards; its path is printed.
// `npm run soak` sets --openssl-legacy-provider: s3rver makes its listing continuation tokens
// with a cipher Node 22's OpenSSL no longer enables, so a bucket of more than 1,000 objects
// could not be listed (neither by the checks nor by the app's own cleanup) without it.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { buildWorker } from './bench/build.mjs';
import { mirroredCopy } from './bench/photo.mjs';
import { S3_BUCKET, appWorkerOptions, applyMigrations, freePort, startApp, startS3 } from './bench/servers.mjs';
import { enrolTotp, registerAccount } from './soak/accounts.mjs';
import { avatarKeys, listBucket, lostAvatars, runCleanup, unreferencedObjects } from './soak/checks.mjs';
import { startFaultProxy } from './soak/fault-proxy.mjs';
import { findWorkerd, isolateHeapsMiB, rssMiB } from './soak/memory.mjs';
import { seededRandom, streamSeed } from './soak/random.mjs';
import { AVATAR_NOT_SAVED_TEXT, createRecorder } from './soak/recorder.mjs';
import { checksTable, progressLine, summaryMarkdown } from './soak/report.mjs';
import { DOUBLE_SUBMIT_WEIGHT, WEIGHTS as MIX, createTraffic } from './soak/traffic.mjs';
import { onCleanup, runScript, temporaryDirectory } from './lib/run-script.mjs';

// SOAK_SUMMARY: another path, for runs that should not replace the README's summary.
const SUMMARY_PATH = process.env.SOAK_SUMMARY || '/tmp/soak-summary.md';
const WORKER_LOG_PATH = '/tmp/soak-worker.log';
const ORPHAN_GRACE_MS = 60 * 60 * 1000; // src/maintenance/orphan-avatars.ts ORPHAN_GRACE_MS
const MEMORY_GROWTH_LIMIT = 1.5;

function intSetting(name, fallback, min, max) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    process.stderr.write(`${name} must be a whole number from ${min} to ${max} (got "${raw}")\n`);
    process.exit(2);
  }
  return value;
}

const SECONDS = intSetting('SOAK_SECONDS', 300, 10, 86_400);
const SEED = intSetting('SOAK_SEED', 1, 0, 2 ** 32 - 1);
const CONNECTIONS = intSetting('SOAK_CONNECTIONS', 64, 1, 1024);
const ACCOUNTS = intSetting('SOAK_ACCOUNTS', 96, 1, 10_000);
const TOTP_ACCOUNTS = intSetting('SOAK_TOTP_ACCOUNTS', Math.round(ACCOUNTS / 4), 0, ACCOUNTS);
// 1: also send the profile form with the same picture twice at once (traffic.mjs).
const DOUBLE_SUBMIT = intSetting('SOAK_DOUBLE_SUBMIT', 0, 0, 1) === 1;
// SOAK_MIX="avatarUpload=0,page=80" changes weights of the mix (e.g. to see which kind
// of request makes memory grow).
function mixSetting(base) {
  const raw = process.env.SOAK_MIX ?? '';
  const mix = { ...base };
  for (const part of raw.split(',').filter(Boolean)) {
    const [name, value] = part.split('=');
    if (!(name in mix) || !/^\d+$/.test(value ?? '')) {
      process.stderr.write(`SOAK_MIX: "${part}" is not name=weight with a name from ${Object.keys(mix).join(', ')}\n`);
      process.exit(2);
    }
    mix[name] = Number(value);
  }
  return mix;
}
const WEIGHTS = mixSetting(DOUBLE_SUBMIT ? { ...MIX, doubleSubmit: DOUBLE_SUBMIT_WEIGHT } : MIX);

// Our own output goes straight to the terminal; console.* (the Worker's output, passed on
// by servers.mjs, thousands of "Avatar upload failed" lines under faults) goes to a file.
const say = (line = '') => process.stdout.write(`${line}\n`);
const workerLog = createWriteStream(WORKER_LOG_PATH);
let workerLines = 0;
console.log = console.info = console.warn = console.error = (...args) => {
  workerLines++;
  workerLog.write(`${args.map(String).join(' ')}\n`);
};

function runNode(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`node ${args.join(' ')} exited with ${code}`))));
  });
}

// A few at a time: each sign-up hashes a password.
async function inBatches(items, size, fn) {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

async function startStack(tmp) {
  say('1. Building (wrangler deploy --dry-run --minify)');
  const bundle = await buildWorker(join(tmp, 'build'));
  say(`   index.js ${bundle.measured.rawBytes} bytes`);

  say('2. Test photos (1600x1200 JPEG and its mirror image, as bench:geo uses)');
  const photoPath = join(tmp, 'photo-1600x1200.jpg');
  await runNode(['scripts/make-test-images.mjs', '--photo-only', photoPath, '1600x1200']);
  const photos = [await readFile(photoPath), await readFile(await mirroredCopy(photoPath, join(tmp, 'photo-mirrored.jpg')))];

  say('3. S3 (s3rver), the fault proxy in front of it, the built app in workerd (Miniflare)');
  const s3 = await startS3(join(tmp, 's3'));
  onCleanup(() => s3.server.close());
  const proxy = await startFaultProxy({ target: s3.endpoint, seed: streamSeed(SEED, 'faults') });
  onCleanup(() => proxy.close());
  proxy.setFaults(false); // on once the accounts exist
  const port = await freePort();
  const inspectorPort = await freePort();
  // No sign-in providers: the soak does not start the local OpenID provider.
  const vars = { SIGN_UP_CONFIRMATION: 'after', SIGN_IN_PROVIDERS: '' };
  const { options, compatibilityDate } = appWorkerOptions({ port, s3Endpoint: proxy.url, vars });
  const app = await startApp({ scriptPath: bundle.scriptPath, extraModules: bundle.extraModules, port, options, persistDir: join(tmp, 'state'), inspectorPort });
  onCleanup(() => app.mf.dispose());
  await applyMigrations(await app.mf.getD1Database('DB', 'app'));
  say(`   S3 ${s3.endpoint}, proxy ${proxy.url}, app ${app.url} (compatibility date ${compatibilityDate})`);
  return { app, s3, proxy, photos, inspectorPort };
}

async function makeAccounts(url) {
  say(`4. ${ACCOUNTS} accounts through the sign-up page, ${TOTP_ACCOUNTS} of them with the authenticator app`);
  const run = Date.now().toString(36);
  const accounts = [];
  await inBatches([...Array(ACCOUNTS).keys()], 4, async (i) => {
    const account = await registerAccount(url, `soak${run}n${i}`);
    if (i < TOTP_ACCOUNTS) await enrolTotp(url, account);
    accounts.push(account);
  });
  return accounts;
}

// Runs the traffic with a progress line every 10 s and an RSS sample every 30 s. Half way,
// the hourly cleanup runs once at the real time, faults on: nothing is past its grace yet,
// so it must delete nothing an upload in flight is about to reference. The isolates' heaps
// are read at the memory reference time, half way from there and 10 s before the end, while
// traffic flows.
async function soak({ app, proxy, photos, inspectorPort }, accounts, recorder, pid) {
  const traffic = createTraffic({ url: app.url, accounts, random: seededRandom(streamSeed(SEED, 'traffic')), recorder, photos, weights: WEIGHTS });
  const started = Date.now();
  const memory = [{ t: 0, rss: rssMiB(pid) }];
  say(`\n5. Soak: ${CONNECTIONS} connections for ${SECONDS} s, S3 faults on (workerd RSS at start ${memory[0].rss.toFixed(0)} MiB)`);
  proxy.setFaults(true);
  let refusedChecks = 0;
  let ticks = 0;
  const ticker = setInterval(async () => {
    const t = ++ticks * 10;
    const rss = rssMiB(pid);
    if (t % 30 === 0) memory.push({ t, rss });
    say(progressLine(t, recorder.snapshot(), proxy.stats, rss));
    // A sample of the cookies signed out so far must still be refused.
    const sample = traffic.signedOut.slice(-10);
    refusedChecks += sample.length;
    await Promise.all(sample.map((entry) => traffic.checkRefused(entry, 'signedOut.recheck')));
  }, 10_000);
  const heaps = [];
  const heapTimes = [...new Set([memoryReferenceSeconds(SECONDS), Math.round((memoryReferenceSeconds(SECONDS) + SECONDS - 10) / 2), SECONDS - 10])];
  const heapTimers = heapTimes.map((t) =>
    setTimeout(async () => {
      const reading = { t, heaps: await isolateHeapsMiB(inspectorPort).catch(() => ({})) };
      heaps.push(reading);
      say(`   isolate heaps after GC at ${t} s: ${heapsLine(reading.heaps)}`);
    }, t * 1000),
  );
  let midCleanup = null;
  const half = setTimeout(async () => {
    midCleanup = await runCleanup(app.mf, Date.now()).catch((error) => ({ outcome: `threw ${error.message}`, ms: 0 }));
    say(`   (mid-run cleanup at the real time, faults on: ${midCleanup.outcome}, ${midCleanup.ms} ms)`);
  }, (SECONDS * 1000) / 2);
  try {
    await traffic.run(CONNECTIONS, started + SECONDS * 1000);
  } finally {
    clearInterval(ticker);
    clearTimeout(half);
    heapTimers.forEach(clearTimeout);
  }
  const seconds = Math.round((Date.now() - started) / 1000);
  memory.push({ t: seconds, rss: rssMiB(pid) });
  say(progressLine(seconds, recorder.snapshot(), proxy.stats, memory.at(-1).rss));
  return { traffic, memory, heaps, seconds, midCleanup, refusedChecks, requestsInRun: recorder.snapshot().total };
}

// The memory reference: after the first minute (half way for runs under 2 minutes).
const memoryReferenceSeconds = (seconds) => (seconds >= 120 ? 60 : Math.round(seconds / 2 / 10) * 10);
const heapsLine = (heaps) =>
  Object.entries(heaps)
    .sort((a, b) => b[1] - a[1])
    .map(([name, mib]) => `${name} ${mib.toFixed(1)} MiB`)
    .join(', ') || 'none answered';

// Each isolate's heap after GC, end against the reference: flat means grown by at most half,
// or by 2 MiB for the small ones (caches filling up, not a leak).
function heapCheck(heaps) {
  const [reference, end] = [heaps[0], heaps.at(-1)];
  const names = reference && end ? Object.keys(end.heaps).filter((name) => name in reference.heaps) : [];
  const grown = names.filter((name) => end.heaps[name] - reference.heaps[name] > Math.max(0.5 * reference.heaps[name], 2));
  return {
    name: 'isolate heaps flat (after GC)',
    pass: names.includes('core:user:app') && grown.length === 0,
    detail: names.length
      ? `${names.map((name) => `${name} ${heaps.map((h) => h.heaps[name]?.toFixed(1) ?? '-').join(' / ')} MiB`).join(', ')} (at ${heaps.map((h) => `${h.t}`).join(' / ')} s)${grown.length ? `; grown: ${grown.join(', ')}` : ''}`
      : 'not read (no inspector answer)',
  };
}

// The reference is the sample after the first minute (half way for runs under 2 minutes).
function memoryCheck(memory, seconds) {
  const refT = memoryReferenceSeconds(seconds);
  const reference = memory.filter((m) => m.t > 0).reduce((best, m) => (Math.abs(m.t - refT) < Math.abs(best.t - refT) ? m : best), memory.at(-1));
  const end = memory.at(-1);
  const pass = Number.isFinite(end.rss) && end.rss <= MEMORY_GROWTH_LIMIT * reference.rss;
  return {
    name: 'workerd memory flat',
    pass,
    detail: `RSS start ${memory[0].rss.toFixed(0)} MiB, at ${reference.t} s ${reference.rss.toFixed(0)} MiB, end ${end.rss.toFixed(0)} MiB (limit ${MEMORY_GROWTH_LIMIT}x the ${reference.t} s value: ${(MEMORY_GROWTH_LIMIT * reference.rss).toFixed(0)} MiB)`,
  };
}

async function main() {
  const wallStart = Date.now();
  say(`Soak: ${SECONDS} s, ${CONNECTIONS} connections, ${ACCOUNTS} accounts (${TOTP_ACCOUNTS} with TOTP), seed ${SEED}; mix ${JSON.stringify(WEIGHTS)}`);
  say(`Machine: ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}; Worker output in ${WORKER_LOG_PATH}\n`);
  const tmp = await temporaryDirectory('edge-soak-', { keep: Boolean(process.env.SOAK_KEEP) });

  const stack = await startStack(tmp);
  const { app, s3, proxy } = stack;
  const accounts = await makeAccounts(app.url);
  const pid = findWorkerd(new URL(app.url).port);
  if (!pid) throw new Error('the workerd process serving the app was not found: cannot watch its memory');
  const recorder = createRecorder();
  const run = await soak(stack, accounts, recorder, pid);

  say('\n6. Checks (faults off from here)');
  proxy.setFaults(false);
  const signedOut = run.traffic.signedOut;
  let stillIn = 0;
  await inBatches(signedOut, 16, async (entry) => {
    if (!(await run.traffic.checkRefused(entry, 'signedOut.final'))) stillIn++;
  });
  const db = await app.mf.getD1Database('DB', 'app');
  const usernames = accounts.map((a) => a.username);
  const lostBefore = lostAvatars(accounts, await avatarKeys(db, usernames), await listBucket(s3.endpoint, S3_BUCKET));
  const beforeCleanup = await listBucket(s3.endpoint, S3_BUCKET);
  const orphansBefore = await unreferencedObjects(db, beforeCleanup);
  // Past the 1 h grace for every object of the run, as the cron would run an hour later.
  // Twice: the first run ends any pass the mid-run cleanup left part-way (its cursor is
  // in KV), the second sweeps the whole bucket from the start.
  const cleanupAt = Date.now() + ORPHAN_GRACE_MS + 5 * 60_000;
  const sweeps = [await runCleanup(app.mf, cleanupAt), await runCleanup(app.mf, cleanupAt)];
  // A run deletes at most 500 objects (ORPHAN_SWEEP_LIMITS): a backlog larger than that
  // (double submits leave one picture each behind) takes more runs, as it would take more
  // hours in production. Up to 10 runs in all, until a pass leaves nothing behind.
  let afterCleanup = await listBucket(s3.endpoint, S3_BUCKET);
  while (sweeps.length < 10 && (await unreferencedObjects(db, afterCleanup)).length) {
    sweeps.push(await runCleanup(app.mf, cleanupAt));
    afterCleanup = await listBucket(s3.endpoint, S3_BUCKET);
  }
  const keysAfter = await avatarKeys(db, usernames);
  const lostAfter = lostAvatars(accounts, keysAfter, afterCleanup);
  const orphansAfter = await unreferencedObjects(db, afterCleanup);
  const snap = recorder.snapshot();
  const withUpload = accounts.filter((a) => a.uploadsSaved > 0).length;
  const withAvatar = [...keysAfter.values()].filter(Boolean).length;
  const cleanupLog = (await readFile(WORKER_LOG_PATH, 'utf8').catch(() => '')).split('\n').filter((l) => l.startsWith('Cleanup:'));

  const checks = [
    {
      name: 'no 5xx but the friendly picture refusal',
      pass: snap.problemCounts.serverError === 0,
      detail: `${snap.problemCounts.serverError} other 5xx; ${snap.friendly} friendly 503 ("could not save your picture")`,
    },
    { name: 'every other answer as expected', pass: snap.problemCounts.unexpected === 0, detail: `${snap.problemCounts.unexpected} unexpected statuses or network errors` },
    {
      name: 'no lost avatar',
      pass: lostBefore.length === 0 && lostAfter.length === 0,
      detail: `${withUpload} accounts saved an upload, ${withAvatar} have a picture; pictures missing before cleanup ${lostBefore.length}, after ${lostAfter.length}${lostAfter.length ? ` (${lostAfter.slice(0, 3).map((l) => `${l.username}: ${l.avatarKey}; last uploads ${l.lastUploads?.join(', ')}`).join(' | ')})` : ''}`,
    },
    {
      name: 'no orphan after the hourly cleanup',
      pass: orphansAfter.length === 0 && sweeps.every((c) => c.outcome === 'ok'),
      detail: `${beforeCleanup.length} objects, ${orphansBefore.length} unreferenced before; cleanup at +65 min: ${sweeps.map((c) => c.outcome).join(', ')}; ${afterCleanup.length} objects, ${orphansAfter.length} unreferenced after${orphansAfter.length ? ` (${orphansAfter.slice(0, 3).join(', ')})` : ''}`,
    },
    {
      name: 'signed-out sessions refused',
      pass: snap.problemCounts.stillSignedIn === 0 && stillIn === 0,
      detail: `${signedOut.length} signed-out cookies, each checked at once and at the end, ${run.refusedChecks} rechecks during the run; ${snap.problemCounts.stillSignedIn} not refused`,
    },
    memoryCheck(run.memory, run.seconds),
    heapCheck(run.heaps.sort((a, b) => a.t - b.t)),
  ];
  const table = checksTable(checks);
  say(`\n${table}\n`);
  for (const p of [...snap.problems.serverError, ...snap.problems.unexpected, ...snap.problems.stillSignedIn]) say(`  ${p.request} -> ${p.answer}`);
  for (const lost of lostAfter.slice(0, 5)) say(`  lost avatar: ${lost.username} names ${lost.avatarKey}, missing ${lost.missing.length} object(s); its last uploads: ${lost.lastUploads?.join('; ') ?? 'none'}`);
  const wallSeconds = Math.round((Date.now() - wallStart) / 1000);
  const s = proxy.stats;
  const summary = summaryMarkdown({
    command: `SOAK_SECONDS=${SECONDS} SOAK_SEED=${SEED}${DOUBLE_SUBMIT ? ' SOAK_DOUBLE_SUBMIT=1' : ''}${process.env.SOAK_MIX ? ` SOAK_MIX=${process.env.SOAK_MIX}` : ''} npm run soak`,
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    setup: `The built bundle in workerd through the bench's Miniflare set-up (scripts/bench/servers.mjs), local D1, KV and Images, s3rver behind the fault proxy; ${CONNECTIONS} connections, ${ACCOUNTS} accounts (${TOTP_ACCOUNTS} with the authenticator app), mix ${Object.entries(WEIGHTS).map(([k, w]) => `${k} ${w}`).join(', ')}, 1600x1200 photos; seed ${SEED}.`,
    checks,
    snap,
    seconds: run.seconds,
    requestsInRun: run.requestsInRun,
    wallSeconds,
    proxy: { ...s, meanDelayMs: Math.round(s.delayMsTotal / Math.max(1, s.requests - s.injected500 - s.injectedReset)) },
    friendlyText: AVATAR_NOT_SAVED_TEXT,
    memory: run.memory,
    cleanupNote: `run once half way at the real time with faults on (${run.midCleanup?.outcome ?? 'not run'}), then after the load with faults off, until a pass left nothing (${sweeps.length} runs), and the scheduled time 65 min ahead, past the 1 h grace of src/maintenance/orphan-avatars.ts (${sweeps.map((c) => `${c.outcome}, ${c.ms} ms`).join('; ')}). Its log: ${cleanupLog.join(' / ') || 'none'}`,
    machineNote: `Machine: ${cpus().length} cores shared with other work; rates and times are rough. ${workerLines} lines of Worker output in ${WORKER_LOG_PATH}.`,
  });
  await writeFile(SUMMARY_PATH, summary);
  say(`Summary written to ${SUMMARY_PATH}; wall time ${wallSeconds} s`);
  return checks.every((c) => c.pass) ? 0 : 1;
}

// Exit 2 if the soak itself broke; each cleanup step gets 15 s, so a server waiting on a
// stuck connection cannot keep the run alive.
await runScript(main, { failure: 'Soak failed to run', failureCode: 2, stepLimitMs: 15_000 });
