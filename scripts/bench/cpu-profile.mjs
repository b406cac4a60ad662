// Where a page's CPU goes inside the Worker: builds it, serves it as `npm run bench` does
// (wrangler's Miniflare, local S3) with workerd's inspector on, signs a user up, then
// records a V8 CPU profile over N requests of one page and prints the functions with the
// most time of their own, and the modules (bundle regions) they sit in.
// Usage: node scripts/bench/cpu-profile.mjs [path, default /dashboard] [requests, default 2000]
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildWorker } from './build.mjs';
import { inspect, inspectorTargets } from './inspector.mjs';
import { sourceLookup } from './source-map.mjs';
import { registerUser } from './client.mjs';
import { appWorkerOptions, applyMigrations, createMiniflare, freePort, startS3 } from './servers.mjs';
import { onCleanup, runScript, temporaryDirectory } from '../lib/run-script.mjs';

const path = process.argv[2] ?? '/dashboard';
const requests = Number(process.argv[3] ?? 2000);
if (!path.startsWith('/') || !Number.isInteger(requests) || requests < 1) {
  console.error('usage: node scripts/bench/cpu-profile.mjs [/path] [requests]');
  process.exit(2);
}

// Frames of the built bundle (wrangler writes it as index.js); the runtime's own scripts
// (the bindings' wrappers) have URLs too, and must not be looked up in the bundle's map.
const isBundle = (url) => Boolean(url) && url.endsWith('index.js');

// Self time per function, from the profile's sample counts, with the source file it sits in.
function topFunctions(profile, sourceFor, limit = 30) {
  const interval = (profile.endTime - profile.startTime) / Math.max(1, profile.samples.length);
  const byName = new Map();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber, columnNumber } = node.callFrame;
    const source = isBundle(url) && lineNumber >= 0 ? sourceFor(lineNumber, columnNumber) : null;
    const where = source ? source.replace(/^(\.\.\/)+(work\/main\/)?/, '').replace(/^node_modules\/src\//, 'drizzle-orm: ') : `@${lineNumber + 1}:${columnNumber + 1}`;
    const key = `${functionName || '(anonymous)'} ${where}`;
    byName.set(key, (byName.get(key) ?? 0) + (node.hitCount ?? 0));
  }
  const total = profile.samples.length;
  return [...byName.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, hits]) => ({ name, share: hits / total, usPerRequest: (hits * interval) / requests }));
}

// Self time per source module (a file of src/, or a package), through the bundle's source
// map; frames outside the bundle (the runtime's own code, GC, idle) under their own name.
function topModules(profile, sourceFor, limit = 25) {
  const byModule = new Map();
  for (const node of profile.nodes) {
    const { url, lineNumber, columnNumber, functionName } = node.callFrame;
    const source = isBundle(url) && lineNumber >= 0 ? sourceFor(lineNumber, columnNumber) : null;
    let name = source ? source.replace(/^(\.\.\/)+/, '') : `(runtime) ${functionName || '(anonymous)'}`;
    // drizzle-orm's own maps name its files node_modules/src/…
    const packageName = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(name);
    if (packageName) name = `${packageName[1] === 'src' ? 'drizzle-orm' : packageName[1]}: ${name.slice(packageName.index + packageName[0].length + 1)}`;
    byModule.set(name, (byModule.get(name) ?? 0) + (node.hitCount ?? 0));
  }
  const total = profile.samples.length;
  return [...byModule.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, hits]) => ({ name, share: hits / total }));
}

// Total time per function of the app's own source (src/): each sample counts once for every
// such function on its stack, so a middleware's share includes what it calls.
function topAppFunctions(profile, sourceFor, limit = 25) {
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const nameOf = new Map();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber, columnNumber } = node.callFrame;
    const source = isBundle(url) && lineNumber >= 0 ? sourceFor(lineNumber, columnNumber) : null;
    const match = source && /(?:^|\/)(src\/[^]*)$/.exec(source.replace(/^(\.\.\/)+/, ''));
    if (match && !source.includes('node_modules')) nameOf.set(node.id, `${functionName || '(anonymous)'} ${match[1]}:${lineNumber + 1}:${columnNumber + 1}`);
  }
  const totals = new Map();
  for (const sample of profile.samples) {
    const seen = new Set();
    for (let id = sample; id !== undefined; id = parent.get(id)) {
      const name = nameOf.get(id);
      if (name && !seen.has(name)) {
        seen.add(name);
        totals.set(name, (totals.get(name) ?? 0) + 1);
      }
    }
  }
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, hits]) => ({ name, share: hits / profile.samples.length }));
}

async function main() {
  const tmp = await temporaryDirectory('cpu-profile-');
  console.log('building the Worker');
  const bundle = await buildWorker(join(tmp, 'build'));
  const s3 = await startS3(join(tmp, 's3'));
  onCleanup(() => s3.server.close());
  const port = await freePort();
  const inspectorPort = await freePort();
  // Sign-up signs in at once (as in `npm run bench`); no sign-in providers to start.
  const { options } = appWorkerOptions({ port, s3Endpoint: s3.endpoint, vars: { SIGN_UP_CONFIRMATION: 'after', SIGN_IN_PROVIDERS: '' } });
  const mf = createMiniflare({
    host: '127.0.0.1',
    port,
    inspectorPort,
    cf: false,
    resourcePersistencePath: join(tmp, 'state'),
    handleStructuredLogs: () => {},
    workers: [{ ...options, name: 'app', modulesRoot: join(tmp, 'build'), modules: [{ type: 'ESModule', path: bundle.scriptPath }, ...bundle.extraModules] }],
  });
  onCleanup(() => mf.dispose());
  const url = (await mf.ready).origin;
  await applyMigrations(await mf.getD1Database('DB', 'app'));
  const user = await registerUser(url);
  const get = () => fetch(`${url}${path}`, { headers: { cookie: user.cookie }, redirect: 'manual' }).then((r) => r.arrayBuffer());
  for (let i = 0; i < 200; i++) await get();

  // The Worker's own isolate (Miniflare names it core:user:<name>), not the simulators'.
  const targets = await inspectorTargets(inspectorPort);
  const target = targets.find((t) => t.name === 'core:user:app') ?? targets.find((t) => /app/.test(t.name)) ?? targets[0];
  const session = await inspect(target.url);
  await session.send('Profiler.enable');
  await session.send('Profiler.setSamplingInterval', { interval: 50 });
  await session.send('Profiler.start');
  const started = performance.now();
  for (let i = 0; i < requests; i++) await get();
  const seconds = (performance.now() - started) / 1000;
  const { profile } = await session.send('Profiler.stop');
  session.close();
  const sampled = ((profile.endTime - profile.startTime) / requests).toFixed(0);
  console.log(`\n${requests} requests of ${path} in ${seconds.toFixed(1)} s; profile spans ${sampled} µs per request (idle included)\n`);
  const sourceFor = sourceLookup(JSON.parse(await readFile(`${bundle.scriptPath}.map`, 'utf8')));
  console.log('self time   per request   function and its source (or its place in the bundle)');
  for (const row of topFunctions(profile, sourceFor, 40)) console.log(`${(row.share * 100).toFixed(1).padStart(5)}%   ${row.usPerRequest.toFixed(0).padStart(6)} µs   ${row.name}`);
  console.log('\ntotal time  function of src/ (with what it calls; line:column of the bundle)');
  for (const row of topAppFunctions(profile, sourceFor)) console.log(`${(row.share * 100).toFixed(1).padStart(5)}%   ${row.name}`);
  console.log('\nself time   module (through the source map)');
  for (const row of topModules(profile, sourceFor)) console.log(`${(row.share * 100).toFixed(1).padStart(5)}%   ${row.name}`);
}

await runScript(main, { failure: 'CPU profile failed' });
