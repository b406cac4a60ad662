// `npm run test:e2e`: end-to-end browser tests against a real `wrangler dev`.
//
// Starts everything in a fresh temporary directory and stops it at the end, even on
// failure or Ctrl-C: a local S3 server (s3rver) on a free port with the avatar bucket,
// the local OpenID Connect provider (oidc-provider, as `npm run dev` starts it) on a free
// port as the app's `local` sign-in provider, a wrangler state directory with the D1
// migrations applied, and `wrangler dev` on a free port. Then runs test/e2e/**/*.e2e.ts
// with vitest (test/e2e/vitest.config.ts) and exits with its status. Nothing leaves this
// machine: wrangler's update check is answered from a local cache file, Miniflare's
// Request.cf download is off, and the browser may only reach localhost (127.0.0.1, where
// the provider listens, counts as localhost).
//
// Needs Chromium at /usr/bin/chromium (Debian: apt-get install -y chromium), or set
// E2E_CHROMIUM to another Chromium/Chrome binary.
// Logs: test-results/e2e-wrangler.log; screenshots: test-results/screenshots/.
// Extra arguments go to vitest: `npm run test:e2e -- test/e2e/keyboard.e2e.ts`.
// `npm run test:e2e` sets NODE_OPTIONS=--openssl-legacy-provider for the in-process s3rver
// (see scripts/dev.mjs): without it a listing past 1,000 objects fails.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import S3rver from 's3rver';
import { LOCAL_OIDC_CLIENT, startLocalOidcProvider } from './lib/local-oidc-provider.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(ROOT);

// Must match S3_BUCKET in wrangler.toml [vars].
const S3_BUCKET = 'edge-accounts-media';
// Must match OIDC_LOCAL_NAME in wrangler.toml [vars] (the tests click "Continue with" it).
const OIDC_LOCAL_NAME = 'Local OpenID (development)';
const RESULTS_DIR = join(ROOT, 'test-results');
const WRANGLER_LOG = join(RESULTS_DIR, 'e2e-wrangler.log');
const READY_TIMEOUT_MS = 120_000;

const started = Date.now();
const children = new Set();
let s3;
let oidc;
let tempDir;
let stopping = false;

function log(message) {
  console.log(`[e2e] ${message}`);
}

// A port nobody listens on right now (the OS picks it).
function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

// Each child leads its own process group, so stopping it also stops what it started
// (npx -> wrangler -> workerd), and only that.
function start(command, args, { env, output }) {
  const child = spawn(command, args, { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.stdout.pipe(output, { end: false });
  child.stderr.pipe(output, { end: false });
  child.on('exit', () => children.delete(child));
  return child;
}

function runToEnd(command, args, options) {
  return new Promise((resolveRun, reject) => {
    const child = start(command, args, options);
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0 ? resolveRun() : reject(new Error(`${command} ${args.join(' ')} exited with ${signal ?? code}`)),
    );
  });
}

function stopChild(child) {
  return new Promise((resolveStop) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolveStop();
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
    }, 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolveStop();
    });
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      clearTimeout(timer);
      resolveStop();
    }
  });
}

async function cleanUp() {
  await Promise.all([...children].map(stopChild));
  if (s3) await s3.close().catch(() => {});
  s3 = undefined;
  if (oidc) await oidc.close().catch(() => {});
  oidc = undefined;
  if (tempDir) await rm(tempDir, { recursive: true, force: true }).catch(() => {});
  tempDir = undefined;
}

async function finish(code, { quiet = false } = {}) {
  if (stopping) return;
  stopping = true;
  await cleanUp();
  if (!quiet) log(`stopped after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  process.exit(code);
}

process.on('SIGINT', () => finish(130));
process.on('SIGTERM', () => finish(143));

function tail(file, lines = 60) {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

// Polls until the Worker itself answers (the home page names the app), or wrangler exits.
async function waitForApp(origin, wrangler) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let exited = null;
  wrangler.once('exit', (code, signal) => (exited = signal ?? code));
  while (Date.now() < deadline) {
    if (exited !== null) throw new Error(`wrangler dev exited (${exited}) before answering`);
    try {
      const response = await fetch(`${origin}/`, { signal: AbortSignal.timeout(5_000) });
      const body = await response.text();
      if (response.status === 200 && body.includes('Edge Accounts')) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`wrangler dev did not answer on ${origin} within ${READY_TIMEOUT_MS / 1000} s`);
}

try {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const output = createWriteStream(WRANGLER_LOG);
  tempDir = await mkdtemp(join(tmpdir(), 'edge-accounts-e2e-'));
  const stateDir = join(tempDir, 'state');
  const s3Dir = join(tempDir, 's3');
  const childTmp = join(tempDir, 'tmp');
  mkdirSync(s3Dir, { recursive: true });

  // wrangler asks registry.npmjs.org for a newer version (banner, compatibility-date
  // warning); its answer is cached in $TMPDIR/update-check. Pre-filling that cache with
  // the installed version keeps the run offline and quiet.
  const wranglerVersion = JSON.parse(readFileSync(join(ROOT, 'node_modules/wrangler/package.json'), 'utf8')).version;
  mkdirSync(join(childTmp, 'update-check'), { recursive: true });
  writeFileSync(join(childTmp, 'update-check', 'wrangler-latest.json'), JSON.stringify({ latest: wranglerVersion, lastUpdate: Date.now() }));

  const env = {
    ...process.env,
    TMPDIR: childTmp,
    WRANGLER_SEND_METRICS: 'false',
    WRANGLER_HIDE_BANNER: 'true',
    // Miniflare would download Request.cf data from workers.cloudflare.com.
    CLOUDFLARE_CF_FETCH_ENABLED: 'false',
    NO_COLOR: '1',
    FORCE_COLOR: '0',
  };

  s3 = new S3rver({ port: 0, address: '127.0.0.1', directory: s3Dir, silent: true, configureBuckets: [{ name: S3_BUCKET, configs: [] }] });
  const { port: s3Port } = await s3.run();
  const s3Endpoint = `http://127.0.0.1:${s3Port}`;
  log(`local S3 on ${s3Endpoint}, bucket "${S3_BUCKET}"`);

  log('applying D1 migrations to a fresh local database');
  await runToEnd('npx', ['wrangler', 'd1', 'migrations', 'apply', 'DB', '--local', '--persist-to', stateDir], { env, output });

  const port = await freePort();
  const inspectorPort = await freePort();
  // localhost, as people type it: pages are loaded from and post to this one origin.
  const origin = `http://localhost:${port}`;

  // A different host from the app's (127.0.0.1, not localhost), so the trip to the provider
  // and back is cross-site, as with a real one; still loopback, which the app requires of
  // an http issuer and the browser's localhost-only rule allows.
  oidc = await startLocalOidcProvider({ client: { ...LOCAL_OIDC_CLIENT, redirectUris: [`${origin}/oauth/local/callback`] }, quiet: true });
  log(`local OpenID Connect provider on ${oidc.issuer}`);
  const wrangler = start(
    'npx',
    [
      'wrangler', 'dev',
      '--ip', '127.0.0.1',
      '--port', String(port),
      '--inspector-port', String(inspectorPort),
      '--persist-to', stateDir,
      '--show-interactive-dev-session=false',
      '--var', `S3_ENDPOINT:${s3Endpoint}`,
      '--var', `PUBLIC_ORIGIN:${origin}`,
      // Only the local provider, whatever a .dev.vars here says.
      '--var', 'SIGN_IN_PROVIDERS:local',
      '--var', `OIDC_LOCAL_ISSUER:${oidc.issuer}`,
      '--var', `OIDC_LOCAL_CLIENT_ID:${LOCAL_OIDC_CLIENT.clientId}`,
      '--var', `OIDC_LOCAL_CLIENT_SECRET:${LOCAL_OIDC_CLIENT.clientSecret}`,
      '--var', `OIDC_LOCAL_NAME:${OIDC_LOCAL_NAME}`,
      // The six languages and the testers' pseudo-language en-XA (test/e2e/i18n.e2e.ts);
      // production offers what wrangler.toml says, never en-XA.
      '--var', 'LANGUAGES:en,de,fr,es,ja,ar,en-XA',
    ],
    { env, output },
  );
  log(`starting wrangler dev on ${origin}; its log: ${WRANGLER_LOG}`);
  try {
    await waitForApp(origin, wrangler);
  } catch (error) {
    console.error(`[e2e] ${error.message}\n--- last lines of ${WRANGLER_LOG} ---\n${tail(WRANGLER_LOG)}`);
    await finish(1);
  }
  log(`app ready after ${((Date.now() - started) / 1000).toFixed(1)} s; running the browser tests`);

  // The test runner writes to this terminal; only wrangler's output goes to the log.
  const tests = spawn('npx', ['vitest', 'run', '--config', 'test/e2e/vitest.config.ts', ...process.argv.slice(2)], {
    cwd: ROOT,
    stdio: 'inherit',
    detached: true,
    env: { ...process.env, E2E_BASE_URL: origin, E2E_STATE_DIR: stateDir, E2E_S3_ENDPOINT: s3Endpoint, E2E_S3_BUCKET: S3_BUCKET, E2E_OIDC_ISSUER: oidc.issuer, E2E_WRANGLER_LOG: WRANGLER_LOG, WRANGLER_SEND_METRICS: 'false' },
  });
  children.add(tests);
  const code = await new Promise((resolveTests) => {
    tests.on('error', (error) => {
      console.error(`[e2e] could not start vitest: ${error.message}`);
      resolveTests(1);
    });
    tests.on('exit', (exitCode, signal) => resolveTests(signal ? 1 : (exitCode ?? 1)));
  });
  children.delete(tests);
  // Nothing more is printed: the run ends with the test runner's summary.
  await finish(code, { quiet: true });
} catch (error) {
  console.error(`[e2e] ${error.message}\n--- last lines of ${WRANGLER_LOG} ---\n${tail(WRANGLER_LOG)}`);
  await finish(1);
}
