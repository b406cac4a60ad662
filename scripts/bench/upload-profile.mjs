// Where an avatar upload's milliseconds go (issue 18): builds the Worker, serves it with
// local S3 exactly as `npm run bench` does, then times uploads of the bench's 4000x3000
// photo straight to the app and through the counting twin, whose bindings add up the
// local time each kind of call takes (Images, S3 fetches, D1, KV). The rest is the app's
// own time (form parsing, hashing, rendering) plus the plumbing's.
// Usage: node scripts/bench/upload-profile.mjs [uploads, default 16] [--against DIR]
// --against DIR: also builds the checkout in DIR (e.g. `git worktree add /tmp/old <commit>`)
// and serves it beside this one on the same runtime and S3; uploads alternate between
// the two, so background load on a shared machine hits both alike.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { serveCheckout } from './checkout.mjs';
import { avatarForm } from './client.mjs';
import { preciseCpuMs } from './cpu.mjs';
import { percentile } from './load.mjs';
import { ensureUnderLimit, mirroredCopy } from './photo.mjs';
import { startS3 } from './servers.mjs';
import { onCleanup, runScript, temporaryDirectory } from '../lib/run-script.mjs';

const args = process.argv.slice(2);
const againstAt = args.indexOf('--against');
const AGAINST = againstAt >= 0 ? resolve(args.splice(againstAt, 2)[1] ?? '') : null;
const UPLOADS = Number(args[0] ?? 16);
if (!Number.isInteger(UPLOADS) || UPLOADS < 2 || (AGAINST && !existsSync(join(AGAINST, 'wrangler.toml')))) {
  console.error('usage: node scripts/bench/upload-profile.mjs [uploads >= 2] [--against DIR with a wrangler.toml]');
  process.exit(2);
}

function runNode(nodeArgs) {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, nodeArgs, { stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolveRun() : reject(new Error(`node ${nodeArgs.join(' ')} exited with ${code}`))));
  });
}

// CPU time (ms) of this Node process, where Miniflare's Images binding (sharp) and s3rver
// run, next to the serving workerd process's (the Worker, D1, KV).
function nodeCpuMs() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

// One multipart upload; the clock stops when the answer is read.
async function upload(target, form) {
  const nodeBefore = nodeCpuMs();
  const workerdBefore = target.pid ? preciseCpuMs(target.pid) : 0;
  const started = performance.now();
  const response = await target.fetcher.fetch(`${target.url}/profile`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: target.user.cookie, origin: target.url, 'sec-fetch-site': 'same-origin', 'content-type': form.contentType },
    body: form.body,
  });
  await response.arrayBuffer();
  const wall = performance.now() - started;
  if (response.status !== 303) throw new Error(`${target.label}: upload answered ${response.status}`);
  return { wall, nodeCpu: nodeCpuMs() - nodeBefore, workerdCpu: target.pid ? preciseCpuMs(target.pid) - workerdBefore : NaN };
}

const p50 = (values) => percentile(values, 50).toFixed(0);

async function main() {
  const tmp = await temporaryDirectory('edge-upload-profile-');
  const s3 = await startS3(join(tmp, 's3'));
  onCleanup(() => s3.server.close());
  const servers = [await serveCheckout('this', null, tmp, s3.endpoint)];
  if (AGAINST) servers.push(await serveCheckout('against', AGAINST, tmp, s3.endpoint));

  const photoPath = join(tmp, 'photo-4000x3000.jpg');
  await runNode(['scripts/make-test-images.mjs', '--photo-only', photoPath, '4000x3000']);
  console.log((await ensureUnderLimit(photoPath, 5 * 1024 * 1024)).note);
  const photos = [await readFile(photoPath), await readFile(await mirroredCopy(photoPath, join(tmp, 'mirrored.jpg')))];

  // Straight to each app over HTTP (as `npm run bench` times it), alternating.
  const direct = servers.map(() => []);
  for (let i = 0; i < UPLOADS; i++) {
    const order = i % 2 ? [...servers.keys()].reverse() : [...servers.keys()];
    for (const s of order) {
      const form = await avatarForm(servers[s].user.email, photos[i % 2]);
      direct[s].push(await upload({ ...servers[s], fetcher: { fetch } }, form));
    }
  }
  // Through each counting twin: the same bundle, its calls timed.
  const local = servers.map(() => ({}));
  const twinWall = servers.map(() => []);
  for (let i = 0; i < UPLOADS; i++) {
    for (const [s, server] of servers.entries()) {
      const { counting } = server.app;
      const takeCounts = () => counting.fetch(`${server.url}/__bench/counts`).then((r) => r.json());
      const form = await avatarForm(server.user.email, photos[i % 2]);
      await takeCounts();
      twinWall[s].push((await upload({ ...server, fetcher: counting, pid: null }, form)).wall);
      const { localMs } = await takeCounts();
      for (const [kind, ms] of Object.entries(localMs ?? {})) (local[s][kind] ??= []).push(ms);
    }
  }
  for (const [s, server] of servers.entries()) {
    const d = direct[s];
    console.log(`\n${server.label}${server.label === 'against' ? ` (${AGAINST})` : ''}:`);
    console.log(`  over HTTP: wall p50 ${p50(d.map((r) => r.wall))} ms (${d.map((r) => r.wall.toFixed(0)).join(' ')})`);
    console.log(`  CPU per upload, p50: Node (Images binding's sharp, s3rver, the client) ${p50(d.map((r) => r.nodeCpu))} ms, workerd ${server.pid ? `${p50(d.map((r) => r.workerdCpu))} ms` : '(process not found)'}`);
    console.log(`  counting twin: wall p50 ${p50(twinWall[s])} ms; local time in calls (sum per upload, parallel calls each counted; p50): ${Object.entries(local[s]).map(([k, v]) => `${k} ${p50(v)} ms`).join(', ')}`);
  }
}

await runScript(main, { failure: 'upload profile failed' });
