// Is this checkout faster than another at serving one page under load? Builds both, serves
// each in its own Miniflare on the same S3 (as `npm run bench` does), signs a user up on
// each, then loads the page on both with autocannon in alternating slices, so background
// load hits both alike. Made for checking one change at a time; `npm run bench` stays the
// reference against the same-calls baseline.
// Usage: node scripts/bench/page-ab.mjs --against DIR [path, default /dashboard] [seconds, default 16]
// DIR: another checkout with its node_modules, e.g. `git worktree add /tmp/old <commit>`
// and a symlink to this checkout's node_modules. Both builds are served with this
// checkout's wrangler.toml and static assets (servers.mjs appWorkerOptions): what is
// compared is the Worker's code.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { serveCheckout } from './checkout.mjs';
import { otherProcessesCpu } from './cpu.mjs';
import { measure } from './load.mjs';
import { startS3 } from './servers.mjs';
import { onCleanup, runScript, temporaryDirectory } from '../lib/run-script.mjs';

const args = process.argv.slice(2);
const againstAt = args.indexOf('--against');
const AGAINST = againstAt >= 0 ? resolve(args.splice(againstAt, 2)[1] ?? '') : null;
const PATH = args[0] ?? '/dashboard';
const SECONDS = Number(args[1] ?? 16);
if (!AGAINST || !existsSync(join(AGAINST, 'wrangler.toml')) || !PATH.startsWith('/') || !(SECONDS > 0)) {
  console.error('usage: node scripts/bench/page-ab.mjs --against DIR [/path] [seconds]  (DIR: a checkout with a wrangler.toml)');
  process.exit(2);
}

// Served with one user; the page must answer before it is loaded.
async function pageTarget(label, checkout, tmp, s3) {
  const { app, user, pid } = await serveCheckout(label, checkout, tmp, s3.endpoint);
  const check = await fetch(`${app.url}${PATH}`, { headers: { cookie: user.cookie }, redirect: 'manual' });
  if (check.status >= 400) throw new Error(`${label}: GET ${PATH} answered ${check.status}`);
  return { name: `${label} GET ${PATH}`, url: `${app.url}${PATH}`, pid, headers: { cookie: user.cookie } };
}

async function main() {
  const tmp = await temporaryDirectory('edge-page-ab-');
  const s3 = await startS3(join(tmp, 's3'));
  onCleanup(() => s3.server.close());
  const targets = [await pageTarget('this', null, tmp, s3), await pageTarget('against', AGAINST, tmp, s3)];
  const others = otherProcessesCpu();
  others.start();
  console.log(`\nLoad: ${SECONDS} s per checkout in 8 alternating slices (10 connections)`);
  const [ours, theirs] = await measure(targets, { slices: 8, seconds: SECONDS });
  const other = others.stop();
  console.log(`\nthis: ${(100 * ours.rps / theirs.rps).toFixed(1)}% of the other's req/s; workerd CPU ${ours.cpuPerRequest.toFixed(2)} vs ${theirs.cpuPerRequest.toFixed(2)} ms/req (${(ours.cpuPerRequest - theirs.cpuPerRequest).toFixed(2)})`);
  console.log(`other processes used ${(other * 100).toFixed(0)}% of the machine's CPU meanwhile`);
}

await runScript(main, { failure: 'page A/B failed' });
