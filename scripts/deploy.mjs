// `npm run deploy`: the production deploy, in an order that works on a fresh account and on
// every later deploy.
//   1. Build the production bundle (dry run): a broken config stops here, before anything changes.
//   2. Make sure the D1 database exists. `wrangler deploy` would create it, but only together
//      with the new code, and the code must never run before its migrations.
//   3. Apply the migrations (schema first: they only add, so the running code keeps working).
//   4. `wrangler deploy --env production`: links the database by its name and, on the first
//      deploy, creates the KV namespace (automatic provisioning; no ids in wrangler.toml).
//   5. GET /healthz on PUBLIC_ORIGIN: says whether D1, KV and S3 answer.
import { spawn } from 'node:child_process';
import { unstable_readConfig } from 'wrangler';

const ENV = 'production';
const WRANGLER = 'node_modules/.bin/wrangler';

function wrangler(args, { capture = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(WRANGLER, [...args, '--env', ENV], { stdio: ['inherit', capture ? 'pipe' : 'inherit', 'inherit'] });
    let output = '';
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`wrangler ${args.join(' ')} exited with ${code}`))));
  });
}

function step(text) {
  console.log(`\n== ${text}`);
}

async function waitForHealth(origin) {
  const url = `${origin}/healthz`;
  let last = 'no answer';
  // A new version reaches every location within seconds; a new custom domain can take longer.
  for (let attempt = 0; attempt < 12; attempt++) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
      const body = await res.text();
      if (res.status === 200 || res.status === 503) return { status: res.status, body };
      last = `HTTP ${res.status}`;
    } catch (error) {
      last = error.cause?.code ?? error.message;
    }
    await new Promise((resolve) => setTimeout(resolve, 5000));
  }
  return { status: null, body: last };
}

const config = unstable_readConfig({ config: 'wrangler.toml', env: ENV });
const database = config.d1_databases.find((db) => db.binding === 'DB');
const origin = config.vars.PUBLIC_ORIGIN;
const placeholders = Object.entries(config.vars).filter(([, value]) => String(value).includes('REPLACE_WITH'));
if (placeholders.length) {
  console.error(`Set these in [env.${ENV}] vars in wrangler.toml first: ${placeholders.map(([name]) => name).join(', ')}`);
  process.exit(1);
}

try {
  step('Building the production Worker (dry run)');
  await wrangler(['deploy', '--dry-run']);

  step(`D1 database "${database.database_name}"`);
  const listed = await wrangler(['d1', 'list', '--json'], { capture: true });
  // Anything wrangler prints before the JSON (an account notice) is skipped.
  const existing = JSON.parse(listed.slice(listed.indexOf('[')));
  if (existing.some((db) => db.name === database.database_name)) {
    console.log('exists');
  } else {
    // D1_LOCATION (weur, enam, apac...) picks the primary's region, once, at creation.
    const location = process.env.D1_LOCATION ? ['--location', process.env.D1_LOCATION] : [];
    await wrangler(['d1', 'create', database.database_name, ...location]);
    console.log('(No need to copy that id: the deploy finds the database by its name.)');
  }

  step('Migrations');
  await wrangler(['d1', 'migrations', 'apply', 'DB', '--remote']);

  step('Deploying');
  await wrangler(['deploy']);
} catch (error) {
  console.error(`\nDeploy stopped: ${error.message}`);
  process.exit(1);
}

step(`Health: ${origin}/healthz`);
const health = await waitForHealth(origin);
if (health.status === 200) {
  console.log(health.body);
} else if (health.status === 503) {
  console.error(`Deployed, but a part is down: ${health.body}`);
  process.exit(1);
} else {
  console.warn(`Deployed, but ${origin} did not answer (${health.body}). Is PUBLIC_ORIGIN's domain routed to the Worker yet?`);
}
