// `npm run seed:users -- 100000`: adds that many made-up users (with profiles) to the
// LOCAL D1 database, to measure the staff pages at size. Never touches production.
//
//   npm run seed:users -- 100000                      into .wrangler/state (what `npm run dev` uses)
//   npm run seed:users -- 100000 --persist-to DIR     into another local state directory
//
// Rows go in through wrangler's platform proxy (the same local D1 `wrangler dev` uses),
// as multi-row INSERTs of 200 rows (D1 allows 100 bound parameters, so values are
// written as SQL literals), 5,000 users per batch. Seeded users cannot sign in: their
// password hash matches no password. About 1 in 50 is deactivated, 1 in 1,000 staff,
// 2 in 3 have a verified address; they joined over the last five years.
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MAX_USERS = 1_000_000;
// D1 refuses statements over 100 KB; 200 rows are about 50 KB.
const ROWS_PER_STATEMENT = 200;
const STATEMENTS_PER_BATCH = 25;
const USAGE = `Usage: npm run seed:users -- COUNT [--persist-to DIR]
  COUNT         how many users to add, 1 to ${MAX_USERS.toLocaleString('en')}
  --persist-to  the local state directory (as wrangler's flag); default .wrangler/state`;

function fail(message, code = 1) {
  console.error(message);
  process.exit(code);
}

let parsed;
try {
  parsed = parseArgs({ allowPositionals: true, options: { 'persist-to': { type: 'string' }, remote: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
} catch (error) {
  fail(`${error.message}\n\n${USAGE}`, 2);
}
if (parsed.values.help) fail(USAGE, 0);
if (parsed.values.remote) fail('seed:users only fills the local database: made-up users do not belong in production.', 2);
const [countText, ...extra] = parsed.positionals;
if (!countText || extra.length || !/^\d+$/.test(countText) || Number(countText) < 1 || Number(countText) > MAX_USERS) {
  fail(`${countText === undefined ? 'Say how many users to add.' : `"${[countText, ...extra].join(' ')}" is not a number of users.`}\n\n${USAGE}`, 2);
}
const count = Number(countText);
if (!process.features.typescript) fail(`Node ${process.version} cannot run the app's TypeScript: use \`npm run seed:users\` (the project's Node 22).`);

// The app's imports leave out ".ts" (the bundler adds it); Node's loader needs it.
await import('./lib/typescript-loader.mjs');
const { UNMATCHABLE_HASH } = await import('../src/auth/password-hash.ts');
const { sqlLiteral } = await import('./lib/sql-literals.ts');
const { getPlatformProxy } = await import('wrangler');

const ADJECTIVES = ['amber', 'brisk', 'calm', 'dusty', 'eager', 'fuzzy', 'gentle', 'hazy', 'icy', 'jolly', 'keen', 'lucky', 'misty', 'noble', 'odd', 'proud', 'quiet', 'rapid', 'sunny', 'tidy', 'urban', 'vivid', 'witty', 'young', 'zesty'];
const NOUNS = ['fox', 'owl', 'pine', 'river', 'stone', 'cloud', 'harbor', 'meadow', 'comet', 'lantern', 'falcon', 'maple', 'canyon', 'ember', 'willow'];
const DOMAINS = ['example.com', 'example.org', 'mail.example.net', 'post.example'];
const YEARS_MS = 5 * 365 * 24 * 60 * 60 * 1000;

// Distinct from earlier runs: every name and id carries this run's tag.
const tag = Date.now().toString(36);
const now = Date.now();

function person(i) {
  const name = `${ADJECTIVES[i % ADJECTIVES.length]}${NOUNS[Math.floor(i / ADJECTIVES.length) % NOUNS.length]}${i}_${tag}`;
  const joined = now - YEARS_MS + Math.floor((i / count) * YEARS_MS);
  return {
    id: randomBytes(12).toString('hex'),
    username: name,
    email: `${name}@${DOMAINS[i % DOMAINS.length]}`,
    joined,
    lastLogin: i % 4 === 0 ? null : joined + ((i * 7919) % (now - joined + 1)),
    active: i % 50 !== 0,
    staff: i % 1000 === 0,
    verified: i % 3 !== 0,
  };
}

function insertStatements(people) {
  const users = people.map((p) =>
    [p.id, p.username, p.username.toLowerCase(), p.email, UNMATCHABLE_HASH, p.active, p.verified ? p.joined : null, p.joined, p.lastLogin, p.staff].map(sqlLiteral).join(', '),
  );
  const profiles = people.map((p) => [p.id, p.joined].map(sqlLiteral).join(', '));
  return [
    `insert into users (id, username, username_key, email, password_hash, is_active, email_verified_at, date_joined, last_login, is_staff) values (${users.join('), (')})`,
    `insert into profiles (user_id, updated_at) values (${profiles.join('), (')})`,
  ];
}

const persistTo = resolve(parsed.values['persist-to'] ?? join(ROOT, '.wrangler', 'state'));
const proxy = await getPlatformProxy({ configPath: join(ROOT, 'wrangler.toml'), persist: { path: join(persistTo, 'v3') }, remoteBindings: false });
try {
  const db = proxy.env.DB;
  if (await db.prepare('select 1 from users limit 1').all().then(() => true, () => false)) await seed(db);
  else {
    process.exitCode = 1;
    console.error(`The local database in ${persistTo} has no users table: apply the migrations first (npm run db:migrate:local${parsed.values['persist-to'] ? ' -- --persist-to DIR' : ''}).`);
  }
} finally {
  await proxy.dispose();
}

async function seed(db) {
  const started = performance.now();
  const rowsPerBatch = ROWS_PER_STATEMENT * STATEMENTS_PER_BATCH;
  const line = process.stdout.isTTY ? (text) => process.stdout.write(`\r${text}`) : (text) => console.log(text);
  for (let first = 0; first < count; first += rowsPerBatch) {
    const statements = [];
    for (let start = first; start < Math.min(first + rowsPerBatch, count); start += ROWS_PER_STATEMENT) {
      const people = Array.from({ length: Math.min(ROWS_PER_STATEMENT, count - start) }, (_, k) => person(start + k));
      statements.push(...insertStatements(people));
    }
    await db.batch(statements.map((sql) => db.prepare(sql)));
    const done = Math.min(first + rowsPerBatch, count);
    line(`Seeded ${done.toLocaleString('en')} of ${count.toLocaleString('en')} users (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  }
  const seconds = (performance.now() - started) / 1000;
  const total = await db.prepare('select count(*) as n from users').first('n');
  if (process.stdout.isTTY) process.stdout.write('\n');
  console.log(`Done: ${count.toLocaleString('en')} users in ${seconds.toFixed(1)} s (${Math.round(count / seconds).toLocaleString('en')}/s); the database now has ${Number(total).toLocaleString('en')}. Names end in _${tag}.`);
}
