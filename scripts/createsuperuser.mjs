// `npm run createsuperuser`: creates a verified staff + superuser account, like Django's
// `manage.py createsuperuser`.
//
//   npm run createsuperuser                        asks for username, email, password (hidden, twice)
//   npm run createsuperuser -- --remote            the same, in production (wrangler d1 --remote --env production)
//   SUPERUSER_PASSWORD=... npm run createsuperuser -- --username NAME --email ADDRESS
//                                                  no questions (scripts, CI)
// Other options: --persist-to DIR (the local state directory, as wrangler's flag),
// --env NAME (the wrangler environment; production with --remote).
//
// The rules, the hash and the rows come from the app's own modules (src/admin/superuser.ts,
// which uses sign-up's rules, src/auth/password-hash.ts and createUserWithProfile), run here
// in Node with its built-in TypeScript support. The database is reached through wrangler
// (scripts/lib/wrangler-d1.ts), locally or remotely: the statements go in one file
// (values as hex: scripts/lib/sql-literals.ts), which wrangler applies in one transaction.
// Exit status: 0 created, 1 refused or failed, 2 usage.
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

if (!process.features.typescript) {
  console.error(`Node ${process.version} cannot run the app's TypeScript: use \`npm run createsuperuser\` (the project's Node 22).`);
  process.exit(1);
}
// The app's imports leave out ".ts" (the bundler adds it); Node's loader needs it.
await import('./lib/typescript-loader.mjs');
const { superuserInputErrors, superuserStatements, takenIdentityErrors } = await import('../src/admin/superuser.ts');
const { inlineParams, renderSqlFile } = await import('./lib/sql-literals.ts');
const { WranglerError, executeSqlFile, queryD1 } = await import('./lib/wrangler-d1.ts');
const { createDb } = await import('../src/db/client.ts');
const { COMMON_PASSWORDS_PATH, parseCommonPasswords } = await import('../src/auth/common-passwords.ts');

const USAGE = `Usage: npm run createsuperuser [-- --remote] [-- --username NAME --email ADDRESS]
  Without --username/--email it asks; with them the password is read from SUPERUSER_PASSWORD.
  --remote            create it in the production database (wrangler --remote --env production)
  --env NAME          wrangler environment to use
  --persist-to DIR    local state directory (as wrangler's --persist-to)`;

function exit(message, code = 1) {
  if (message) (code === 0 ? console.log : console.error)(message);
  process.exit(code);
}

let options;
try {
  options = parseArgs({
    options: {
      username: { type: 'string' },
      email: { type: 'string' },
      remote: { type: 'boolean', default: false },
      env: { type: 'string' },
      'persist-to': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }).values;
} catch (error) {
  exit(`${error.message}\n\n${USAGE}`, 2);
}
if (options.help) exit(USAGE, 0);
if (options.remote && options['persist-to']) exit('--persist-to is for the local database; leave it out with --remote.', 2);

// The list the Worker reads through its ASSETS binding, read here from disk.
const commonPasswords = await readFile(new URL(`../assets${COMMON_PASSWORDS_PATH}`, import.meta.url), 'utf8')
  .then(parseCommonPasswords)
  .catch((error) => exit(`The common-password list could not be read (${error.message}). Run \`npm install\`, which generates it.`));

// --- The database, through wrangler ---------------------------------------------------

const target = { remote: options.remote, env: options.remote ? (options.env ?? 'production') : options.env, persistTo: options['persist-to'] };
const where = options.remote ? `the remote database (${target.env})` : 'the local database';

function explainFailure(error) {
  if (!(error instanceof WranglerError)) return `wrangler could not reach ${where}: ${error.message}`;
  const output = error.output;
  if (/no such table: users/i.test(output)) return `${where} has no users table: apply the migrations first (npm run db:migrate:${options.remote ? 'remote' : 'local'}).`;
  if (/UNIQUE constraint failed/i.test(output)) return 'That username or email address was taken just now. Nothing was changed.';
  const message = output.match(/ERROR\]?\s*(.+)/)?.[1] ?? output.trim().split('\n').slice(-5).join('\n');
  return `wrangler could not reach ${where}: ${message}`;
}

// Just enough of D1's interface for Drizzle's reads: each query is one wrangler call.
const wranglerD1 = {
  prepare(sql) {
    const statement = (params) => ({
      bind: (...values) => statement(values),
      async all() {
        const results = await queryD1(target, inlineParams({ sql, params })).catch((error) => exit(explainFailure(error)));
        return { results, success: true, meta: {} };
      },
      async raw() {
        return (await this.all()).results.map((row) => Object.values(row));
      },
    });
    return statement([]);
  },
};

async function applyStatements(statements) {
  await executeSqlFile(target, renderSqlFile(statements)).catch((error) => exit(explainFailure(error)));
}

// --- Questions --------------------------------------------------------------------------

let lines;
// One line of input; null at the end of input. On a terminal a hidden answer is read
// in raw mode and never echoed.
function ask(question, { hidden = false } = {}) {
  process.stdout.write(question);
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    lines ??= createInterface({ input: stdin, terminal: false })[Symbol.asyncIterator]();
    return lines.next().then(({ value, done }) => {
      if (hidden) process.stdout.write('\n');
      return done ? null : value;
    });
  }
  return new Promise((resolveAnswer) => {
    let answer = '';
    let escape = false;
    const finish = (value) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stdout.write('\n');
      resolveAnswer(value);
    };
    const onData = (chunk) => {
      for (const ch of chunk.toString('utf8')) {
        if (escape) {
          escape = !/[A-Za-z~]/.test(ch);
        } else if (ch === '\x1b') {
          escape = true;
        } else if (ch === '\r' || ch === '\n') {
          return finish(answer);
        } else if (ch === '\x03') {
          stdin.setRawMode(false);
          exit('\nCancelled. Nothing was changed.', 130);
        } else if (ch === '\x04') {
          if (!answer) return finish(null);
        } else if (ch === '\x7f' || ch === '\b') {
          if (answer) {
            answer = [...answer].slice(0, -1).join('');
            if (!hidden) process.stdout.write('\b \b');
          }
        } else if (ch === '\x15') {
          if (!hidden) process.stdout.write('\b \b'.repeat([...answer].length));
          answer = '';
        } else if (ch >= ' ') {
          answer += ch;
          if (!hidden) process.stdout.write(ch);
        }
      }
    };
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}

async function askUntilValid(question, field, check, options) {
  for (;;) {
    const answer = await ask(question, options);
    if (answer === null) exit('\nCancelled. Nothing was changed.');
    const problems = check(answer)[field] ?? [];
    if (!problems.length) return answer;
    for (const problem of problems) console.error(`Error: ${problem}`);
  }
}

const SAMPLE = { username: 'placeholder', email: 'placeholder@example.com', password: 'placeholder-pass-phrase', passwordConfirm: 'placeholder-pass-phrase' };

async function askInput() {
  const username = (await askUntilValid('Username: ', 'username', (value) => superuserInputErrors({ ...SAMPLE, username: value }, commonPasswords))).trim();
  const email = (await askUntilValid('Email address: ', 'email', (value) => superuserInputErrors({ ...SAMPLE, email: value }, commonPasswords))).trim();
  await refuseTaken(username, email);
  for (;;) {
    const password = await ask('Password: ', { hidden: true });
    const passwordConfirm = password === null ? null : await ask('Password (again): ', { hidden: true });
    if (password === null || passwordConfirm === null) exit('\nCancelled. Nothing was changed.');
    const errors = superuserInputErrors({ username, email, password, passwordConfirm }, commonPasswords);
    const problems = [...(errors.password ?? []), ...(errors.passwordConfirm ?? [])];
    if (!problems.length) return { username, email, password, passwordConfirm };
    for (const problem of problems) console.error(`Error: ${problem}`);
  }
}

// Taken also covers the other kind: sign-in takes a username or an address in one box, so
// a name equal to another account's address (or the reverse) would shadow that account.
async function refuseTaken(username, email) {
  const taken = await takenIdentityErrors(createDb(wranglerD1), username, email);
  const problems = [...(taken.username ?? []), ...(taken.email ?? [])];
  if (!problems.length) return;
  const note = 'A username may not be the email address of another account, nor an email address the username of another: sign-in accepts either.';
  exit([...problems.map((p) => `Error: ${p}`), note].join('\n'));
}

// --- Main -----------------------------------------------------------------------------

let input;
if (options.username !== undefined || options.email !== undefined) {
  const password = process.env.SUPERUSER_PASSWORD;
  if (options.username === undefined || options.email === undefined || !password) {
    exit(`Without questions, give --username and --email, and the password in SUPERUSER_PASSWORD.\n\n${USAGE}`, 2);
  }
  input = { username: options.username, email: options.email, password, passwordConfirm: password };
  const errors = superuserInputErrors(input, commonPasswords);
  const problems = Object.entries(errors).flatMap(([field, messages]) => (messages ?? []).map((m) => `Error (${field}): ${m}`));
  if (problems.length) exit(`${problems.join('\n')}\nNothing was changed.`);
  await refuseTaken(input.username, input.email);
} else {
  input = await askInput();
}

const { statements } = await superuserStatements(input);
await applyStatements(statements);
exit(`Superuser "${input.username.trim().normalize('NFKC')}" created in ${where}. Sign in at /login; the staff area is /admin.`, 0);
