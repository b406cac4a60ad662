// One checkout's Worker, built as `wrangler deploy` would and served on a free port beside
// the others (same S3), with one user signed up: what the tools comparing two checkouts
// (page-ab.mjs, upload-profile.mjs) each start. Served with this checkout's wrangler.toml
// and static assets (servers.mjs appWorkerOptions); no sign-in providers.
import { join } from 'node:path';
import { buildWorker } from './build.mjs';
import { registerUser } from './client.mjs';
import { workerdPid } from './cpu.mjs';
import { appWorkerOptions, applyMigrations, freePort, startApp } from './servers.mjs';
import { onCleanup } from '../lib/run-script.mjs';

// checkout: a directory, or null for this one.
export async function serveCheckout(label, checkout, tmp, s3Endpoint) {
  console.log(`${label}: building ${checkout ?? 'this checkout'} (wrangler deploy --dry-run --minify)`);
  const bundle = await buildWorker(join(tmp, `build-${label}`), checkout ?? undefined);
  const port = await freePort();
  const { options } = appWorkerOptions({ port, s3Endpoint, vars: { SIGN_UP_CONFIRMATION: 'after', SIGN_IN_PROVIDERS: '' } });
  const app = await startApp({ scriptPath: bundle.scriptPath, extraModules: bundle.extraModules, port, options, persistDir: join(tmp, `state-${label}`) });
  onCleanup(() => app.mf.dispose());
  await applyMigrations(await app.mf.getD1Database('DB', 'app'));
  const user = await registerUser(app.url);
  return { label, app, user, url: app.url, pid: workerdPid(new URL(app.url).port) };
}
