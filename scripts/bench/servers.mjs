// The servers: a local S3 (s3rver), the built app in workerd through wrangler's own
// Miniflare (plus its counting twin), and the baseline Worker in its own Miniflare; all
// on 127.0.0.1.
import { copyFile, readFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import S3rver from 's3rver';
import { unstable_getMiniflareWorkerOptions } from 'wrangler';

// The Miniflare (and so the workerd) that `wrangler dev` and the tests run, not a copy
// pinned beside it: bench, dev and deploy then agree on the runtime.
const fromWrangler = createRequire(createRequire(import.meta.url).resolve('wrangler/package.json'));
export const MINIFLARE_VERSION = fromWrangler('miniflare/package.json').version;
export const WORKERD_VERSION = createRequire(fromWrangler.resolve('miniflare/package.json'))('workerd/package.json').version;
const { Log, LogLevel, Miniflare, convertV4MiniflareOptions } = await import(pathToFileURL(fromWrangler.resolve('miniflare')).href);

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
export const S3_BUCKET = 'edge-accounts-media';
// Rate limits stay bound and consulted (same cost per request) but never refuse: the
// load runs sign in hundreds of times a minute from one address.
export const BENCH_RATE_LIMIT = 1_000_000_000;

export async function startS3(directory) {
  const server = new S3rver({ port: 0, address: '127.0.0.1', directory, silent: true, configureBuckets: [{ name: S3_BUCKET, configs: [] }] });
  const { port } = await server.run();
  return { server, endpoint: `http://127.0.0.1:${port}` };
}

// PUBLIC_ORIGIN must name the port before Miniflare starts, so pick a free one first.
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// The worker options `wrangler dev` would use (every binding in wrangler.toml, so new
// ones such as send_email or ratelimits come along), adjusted for this run.
// `vars` overrides plain vars (the geography mode turns the development mailbox off, as
// in production, so sending a mail is not also a KV write).
export function appWorkerOptions({ port, s3Endpoint, vars = {} }) {
  const { workerOptions } = unstable_getMiniflareWorkerOptions(join(ROOT, 'wrangler.toml'), '');
  // wrangler's own Miniflare accepts wrangler.toml's date as it is: no clamp.
  const configuredDate = workerOptions.compatibilityDate;
  const compatibilityDate = configuredDate;
  const options = {
    ...workerOptions,
    bindings: {
      ...workerOptions.bindings,
      PUBLIC_ORIGIN: `http://127.0.0.1:${port}`,
      S3_BUCKET,
      S3_REGION: 'us-east-1',
      S3_ENDPOINT: s3Endpoint,
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
      MEDIA_PUBLIC_URL: '',
      ...vars,
    },
  };
  if (options.email?.send_email) options.email = { ...options.email, send_email: options.email.send_email.map(withoutUndefined) };
  options.ratelimits = Object.fromEntries(
    Object.entries(options.ratelimits ?? {}).map(([name, limiter]) => [name, { ...limiter, simple: { ...limiter.simple, limit: BENCH_RATE_LIMIT } }]),
  );
  return { options, configuredDate, compatibilityDate };
}

// Wrangler leaves absent fields as undefined; Miniflare 4 turned each into an empty
// binding that workerd refused (e.g. send_email's allowed_sender_addresses). Kept for
// Miniflare 5's V4 conversion: harmless, and not re-checked without it.
function withoutUndefined(object) {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}

// Bindings the bench gives the app, for the report (names only, values can be secrets).
export function describeBindings(options) {
  const names = [
    ...Object.keys(options.bindings ?? {}),
    ...Object.keys(options.kvNamespaces ?? {}).map((n) => `${n} (KV)`),
    ...Object.keys(options.d1Databases ?? {}).map((n) => `${n} (D1)`),
    ...(options.images ? [`${options.images.binding} (Images)`] : []),
    ...(options.assets?.binding ? [`${options.assets.binding} (assets)`] : []),
    ...(options.email?.send_email ?? []).map((b) => `${b.name} (send_email)`),
    ...Object.keys(options.ratelimits ?? {}).map((n) => `${n} (ratelimit)`),
  ];
  return names.join(', ');
}

// The Worker's output, minus its one-log-line-per-request (thousands under load).
// Miniflare 5 hands over workerd's structured logs, one message per console call.
function passWorkerLog({ level, message }) {
  if (message.startsWith('{"type":"request"')) return;
  if (level === 'error' || level === 'warn') console.error(message);
  else console.log(message);
}

// A Miniflare from options in the shape wrangler's unstable_getMiniflareWorkerOptions
// returns (Miniflare 4's, "V4"; Miniflare 5 calls it so and converts it itself). What
// changed for these scripts: `defaultPersistRoot` is `resourcePersistencePath`, and
// workerd's output comes as structured logs (`handleStructuredLogs`), not as stdio
// streams (`handleRuntimeStdio`).
export function createMiniflare(v4Options) {
  return new Miniflare(convertV4MiniflareOptions({ log: new Log(LogLevel.WARN), ...v4Options }));
}

// One Miniflare on loopback serving the given Workers (the first one on the port);
// `inspectorPort` opens workerd's inspector (scripts/bench/inspector.mjs).
async function serve({ port, persistDir, workers, inspectorPort }) {
  const mf = createMiniflare({
    host: '127.0.0.1',
    port,
    ...(inspectorPort ? { inspectorPort } : {}),
    // Miniflare's placeholder Request.cf: otherwise it fetches one from workers.cloudflare.com.
    cf: false,
    resourcePersistencePath: persistDir,
    handleStructuredLogs: passWorkerLog,
    workers,
  });
  const url = await mf.ready;
  return { mf, url: url.origin };
}

// The app as built, and the same bundle behind the counting wrapper, sharing D1 and KV
// (same ids). Only the first Worker is served on the port; the counter is reached
// with mf.getWorker('counting').
const COUNTING_MODULES = ['counting-worker.js', 'metered-bindings.js', 'metered-d1.js'];

export async function startApp({ scriptPath, extraModules = [], port, options, persistDir, inspectorPort }) {
  const buildDir = dirname(scriptPath);
  // The counting Worker imports the bundle as ./index.js and its helpers by name.
  for (const file of COUNTING_MODULES) await copyFile(join(HERE, file), join(buildDir, file));
  const countingModules = COUNTING_MODULES.map((file) => ({ type: 'ESModule', path: join(buildDir, file) }));
  const bundle = [{ type: 'ESModule', path: scriptPath }, ...extraModules];
  // Explicit module lists: the bundle lives outside the repo, and Miniflare need not parse it.
  const common = { ...options, modulesRoot: buildDir };
  const { mf, url } = await serve({
    port,
    persistDir,
    inspectorPort,
    workers: [
      { ...common, name: 'app', modules: bundle },
      { ...common, name: 'counting', modules: [...countingModules, ...bundle] },
    ],
  });
  return { mf, url, counting: await mf.getWorker('counting') };
}

// The baseline gets the app's bindings and static assets too: locally every request
// then crosses the same Miniflare entry and assets router as the app's, so the
// comparison measures the app's own code, not the local plumbing.
export async function startBaseline({ port, options, persistDir }) {
  return serve({
    port,
    persistDir,
    workers: [{ ...options, name: 'baseline', modulesRoot: HERE, modules: [{ type: 'ESModule', path: join(HERE, 'baseline-worker.js') }] }],
  });
}

// The same statements `wrangler d1 migrations apply` runs, in file order.
export async function applyMigrations(db) {
  const dir = join(ROOT, 'migrations');
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  for (const file of files) {
    const sql = await readFile(join(dir, file), 'utf8');
    const statements = sql.split('--> statement-breakpoint').map((s) => s.trim()).filter(Boolean);
    for (const statement of statements) await db.prepare(statement).run();
  }
  return files;
}
