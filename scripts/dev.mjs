// `npm run dev`: everything the app needs on this machine, then wrangler dev.
// A local S3 server (s3rver) holds avatars in .wrangler/state/s3 (kept across restarts),
// a local OpenID Connect provider (oidc-provider) offers "Sign in with Local OpenID
// (development)", local D1 gets its migrations, and Ctrl-C stops everything started here.
// `npm run dev` sets NODE_OPTIONS=--openssl-legacy-provider (as `npm test` and `npm run soak`
// do): s3rver makes its list continuation tokens with DES, which Node 22 refuses otherwise, so
// a bucket of more than 1,000 objects (the hourly orphan cleanup lists it) could not be listed.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import S3rver from 's3rver';
import { LOCAL_OIDC_CLIENT, startLocalOidcProvider } from './lib/local-oidc-provider.mjs';

// Must match S3_ENDPOINT and S3_BUCKET in wrangler.toml [vars].
const S3_PORT = 4569;
const S3_BUCKET = 'edge-accounts-media';
const S3_DIRECTORY = '.wrangler/state/s3';
// Must match OIDC_LOCAL_ISSUER in wrangler.toml [vars].
const OIDC_PORT = 9400;

const WRANGLER = 'node_modules/.bin/wrangler';
const children = new Set();
let s3;
let oidc;
// No usage metrics from local development.
const childEnv = { ...process.env, WRANGLER_SEND_METRICS: 'false' };

// Each child leads its own process group, so stopping it also stops what it started
// (wrangler's workerd), whichever way this script is stopped.
function run(command, args) {
  const child = spawn(command, args, { stdio: 'inherit', env: childEnv, detached: true });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

function runToEnd(command, args) {
  return new Promise((resolve, reject) => {
    run(command, args).on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`))));
  });
}

async function stopAll(code = 0) {
  for (const child of children) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  if (s3) await s3.close().catch(() => {});
  if (oidc) await oidc.close().catch(() => {});
  process.exit(code);
}
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));
process.on('SIGHUP', () => stopAll(0));

try {
  mkdirSync(S3_DIRECTORY, { recursive: true });
  s3 = new S3rver({ port: S3_PORT, address: '127.0.0.1', directory: S3_DIRECTORY, silent: true, configureBuckets: [{ name: S3_BUCKET, configs: [] }] });
  await s3.run();
  console.log(`Local S3 (s3rver) on http://127.0.0.1:${S3_PORT}, bucket "${S3_BUCKET}", files in ${S3_DIRECTORY}`);
} catch (error) {
  console.error(`Could not start the local S3 server on port ${S3_PORT}: ${error.message}\nIs another \`npm run dev\` running?`);
  await stopAll(1);
}

const port = process.env.PORT ?? '8787';

try {
  oidc = await startLocalOidcProvider({
    port: OIDC_PORT,
    client: { ...LOCAL_OIDC_CLIENT, redirectUris: [`http://localhost:${port}/oauth/local/callback`, `http://127.0.0.1:${port}/oauth/local/callback`] },
  });
  console.log(`Local OpenID Connect provider on ${oidc.issuer}: any login and password signs in as <login>@local.example (end the login with +unverified for an unconfirmed address)`);
} catch (error) {
  console.error(`Could not start the local OpenID Connect provider on port ${OIDC_PORT}: ${error.message}\nIs another \`npm run dev\` running?`);
  await stopAll(1);
}

try {
  await runToEnd(WRANGLER, ['d1', 'migrations', 'apply', 'DB', '--local']);
} catch (error) {
  console.error(error.message);
  await stopAll(1);
}

// Links in emails follow the port actually served.
const originVar = port === '8787' ? [] : ['--var', `PUBLIC_ORIGIN:http://localhost:${port}`];
// --test-scheduled: GET /cdn-cgi/handler/scheduled runs the daily cleanup on demand.
run(WRANGLER, ['dev', '--port', port, '--test-scheduled', ...originVar, ...process.argv.slice(2)]).on('exit', (code) => stopAll(code ?? 0));
