// `npm run bench:sign-up` (scripts/bench.mjs --sign-up): does POST /register answer an
// address that already has an account as fast as a new one, in the default mode
// (SIGN_UP_CONFIRMATION=before)? The page must not tell them apart, so neither may the clock.
// Accounts are first made the way people make them (the form, the code from /dev/mail, the
// code page); then sign-ups with new and with taken addresses alternate, each timed on the
// client to its 303, with the serving workerd's CPU as the other modes measure it.
// Reading the CPU rows: "until the 303 arrived" is read by the client once it has the
// response, and by then workerd has begun the mail work deferred with waitUntil; that work
// differs by kind (the taken address's owner is looked up first), so a CPU gap of a couple
// of ms there is the mail, not the response path. Delaying the deferred work by 50 ms in a
// scratch copy of the app closed that gap (-0.3 ms) and left it in "with the mail after".
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unstable_getMiniflareWorkerOptions } from 'wrangler';
import { PASSWORD, cookieFrom, formHeaders, sessionCookieFrom } from './bench/client.mjs';
import { countCalls, settle } from './bench/count-calls.mjs';
import { otherProcessesCpu, workerdPid } from './bench/cpu.mjs';
import { excerpt, idleCpu, percentile, timeRequest } from './bench/load.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CODE_PAGE = '/register/code';
const MAIL_WAIT_MS = 15_000;
// Untimed pairs first: the taken-address path (its mail) has not run in the isolate yet.
const WARM_UP_PAIRS = 3;
// One more of each kind goes through the counting twin, for its storage calls.
const COUNTED = 1;

// Distinct per run and per request: usernames and client addresses are never reused.
const tag = Date.now().toString(36);
const account = (prefix, i) => {
  const username = `${prefix}${tag}${i}`;
  return { username, email: `${username}@example.com` };
};
// Its own client address per request (10.k.x.y), so no per-client limit is shared.
let clients = 0;
function nextClientIp(k) {
  clients += 1;
  return `10.${k}.${(clients >> 8) & 255}.${clients & 255}`;
}

// wrangler.toml's per-client limiters, unraised: with a client address per request none
// may refuse, and a refusal (a 429 for both kinds) fails the run instead of timing it.
export function wranglerRateLimits() {
  return unstable_getMiniflareWorkerOptions(join(ROOT, 'wrangler.toml'), '').workerOptions.ratelimits ?? {};
}

function registerInit(origin, { username, email }, ip) {
  return {
    method: 'POST',
    headers: { ...formHeaders(origin), 'cf-connecting-ip': ip },
    body: new URLSearchParams({ username, email, password: PASSWORD, passwordConfirm: PASSWORD }).toString(),
  };
}

// What a browser could tell apart without reading the page: status, Location, cookie names.
function signature(response) {
  const cookies = response.headers.getSetCookie().map((c) => c.split('=')[0]).sort();
  return `${response.status} ${response.headers.get('location') ?? '(no Location)'}; cookies: ${cookies.join(', ') || '(none)'}`;
}

// The newest sign-up code mailed to `email`, from the development mailbox's page.
async function signUpCodeFromDevMail(origin, email) {
  const pattern = new RegExp(`<h2>([A-Z0-9]{4}-[A-Z0-9]{4}) is your Edge Accounts sign-up code</h2>\\s*<p[^>]*>\\s*To ${email.replaceAll('.', '\\.')} `);
  const deadline = Date.now() + MAIL_WAIT_MS;
  while (Date.now() < deadline) {
    const page = await fetch(`${origin}/dev/mail`).then((r) => r.text());
    const found = pattern.exec(page);
    if (found) return found[1];
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no sign-up code mail to ${email} in /dev/mail within ${MAIL_WAIT_MS / 1000} s`);
}

// One account through the app's sign-up: the form, the mailed code, the code page.
async function createAccount(origin, who) {
  const asked = await fetch(`${origin}/register`, { redirect: 'manual', ...registerInit(origin, who, nextClientIp(1)) });
  const text = await asked.text();
  const codeCookie = cookieFrom(asked, 'email_code');
  if (asked.status !== 303 || asked.headers.get('location') !== CODE_PAGE || !codeCookie) {
    throw new Error(`seeding: POST /register answered ${signature(asked)} (expected 303 to ${CODE_PAGE} with the code cookie; is SIGN_UP_CONFIRMATION "before"?): ${excerpt(text)}`);
  }
  const code = await signUpCodeFromDevMail(origin, who.email);
  const done = await fetch(`${origin}${CODE_PAGE}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { ...formHeaders(origin, codeCookie), 'cf-connecting-ip': nextClientIp(1) },
    body: new URLSearchParams({ code }).toString(),
  });
  const page = await done.text();
  if (done.status !== 303 || !sessionCookieFrom(done)) throw new Error(`seeding: the code page answered ${done.status}: ${excerpt(page)}`);
}

// The mails the harness sees in KV (all of them, not only /dev/mail's newest 50), by
// address, newest first (the mailer's keys sort that way).
async function subjectsByAddress(app) {
  const kv = await app.mf.getKVNamespace('SESSIONS', 'app');
  const byAddress = new Map();
  let cursor;
  do {
    const page = await kv.list({ prefix: 'dev-mail:', cursor });
    for (const { name } of page.keys) {
      const mail = await kv.get(name, 'json');
      if (mail) byAddress.set(mail.to, [...(byAddress.get(mail.to) ?? []), mail.subject]);
    }
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return byAddress;
}

// Each kind must have got its own mail, or the comparison compared nothing.
async function checkMails(app, runs) {
  const byAddress = await subjectsByAddress(app);
  const wrong = runs.filter((run) => {
    const subjects = byAddress.get(run.email) ?? [];
    return run.kind === 'new'
      ? subjects.length !== 1 || !/ is your Edge Accounts sign-up code$/.test(subjects[0])
      : subjects.length !== 2 || subjects[0] !== 'Someone tried to create an account with this address';
  });
  return wrong.map((run) => `${run.kind} ${run.email}: ${JSON.stringify(byAddress.get(run.email) ?? [])}`);
}

// The seeding left each taken address a count of code mails in the last 15 minutes (the
// per-address limit's row in login_failures); an address probed for an account usually
// has none, and a row there would make its sign-up an UPDATE where a new one INSERTs.
async function forgetSeedingMailCounts(app) {
  const db = await app.mf.getD1Database('DB', 'app');
  const { meta } = await db.prepare("DELETE FROM login_failures WHERE key LIKE 'mail:%'").run();
  return meta.changes;
}

// One sign-up of each kind through the counting twin. Its counts include the work after
// the response (the mail, and whatever else the app defers), so they may differ there.
async function countBothKinds(app, freshWho, takenWho) {
  const count = (name, who, k) => countCalls(app.counting, app.url, { name, path: '/register', expected: 303, ...registerInit(app.url, who, nextClientIp(k)) });
  // The twin is its own isolate: its first request loads what later ones find cached.
  const warmUp = await app.counting.fetch(`${app.url}/register`, { redirect: 'manual', ...registerInit(app.url, account('sucw', 0), nextClientIp(4)) });
  await warmUp.arrayBuffer();
  // Its mail goes out after the response: not into the next request's counts.
  await settle();
  return { new: await count('POST /register (new)', freshWho, 4), taken: await count('POST /register (taken)', takenWho, 5) };
}

async function timeSignUp(origin, pid, kind, who) {
  const timed = await timeRequest(pid, `${origin}/register`, registerInit(origin, who, nextClientIp(kind === 'new' ? 2 : 3)));
  return { kind, email: who.email, signature: signature(timed.response), status: timed.response.status, text: timed.text, wallMs: timed.wallMs, cpuToResponse: timed.cpuToResponse, cpuWithAfterWork: timed.cpuWithAfterWork };
}

// The pairs alternate which kind goes first, so drift over the run hits both alike.
async function timePairs(origin, pid, taken, from, to, tagPrefix) {
  const runs = [];
  for (let i = from; i < to; i++) {
    const fresh = () => timeSignUp(origin, pid, 'new', account(`${tagPrefix}n`, i));
    const existing = () => timeSignUp(origin, pid, 'taken', { username: account(`${tagPrefix}t`, i).username, email: taken[i].email });
    const pair = i % 2 ? [await existing(), await fresh()] : [await fresh(), await existing()];
    runs.push(...pair);
  }
  return runs;
}

function stats(runs, key) {
  const values = runs.map((r) => r[key]);
  return { p50: percentile(values, 50), p90: percentile(values, 90), max: Math.max(...values) };
}

const f = (v) => (Number.isFinite(v) ? v.toFixed(1) : '?');

function table({ wall, cpu, cpuAfter }) {
  const row = (label, p, a, b) => `  ${label.padEnd(34)}${p.padEnd(5)}${a.padStart(12)}${b.padStart(15)}`;
  const lines = [row('', '', 'new address', 'taken address')];
  for (const [label, s] of [
    ['wall time to the 303 (client)', wall],
    ['workerd CPU until the 303 arrived', cpu],
    ['workerd CPU with the mail after', cpuAfter],
  ]) {
    for (const p of ['p50', 'p90', 'max']) lines.push(row(p === 'p50' ? label : '', p, `${f(s.new[p])} ms`, `${f(s.taken[p])} ms`));
  }
  return lines.join('\n');
}

const signed = (v) => `${v >= 0 ? '+' : ''}${v.toFixed(1)} ms`;

function storageLine(kind, c) {
  return `    ${kind.padEnd(6)} D1 ${c.d1Log.join('; ') || '-'} | KV ${c.kvDetail} | rate limiter ${c.limiter} | mail ${c.email}`;
}

function summary(result) {
  const { n, wall, cpu, interval, signatures, counted, idle, otherCpu } = result;
  const diff = (s, i) => `${signed(s.taken.p50 - s.new.p50)} (95% bootstrap interval ${signed(i[0])} to ${signed(i[1])})`;
  return [
    `Sign-up with a new vs a taken address: POST /register, SIGN_UP_CONFIRMATION=before, ${n} + ${n} interleaved, one at a time`,
    table(result),
    `  p50 difference (taken - new): wall ${diff(wall, interval.wall)}; CPU ${diff(cpu, interval.cpu)}`,
    `  (the CPU until the 303 also holds the start of the after-response mail work, larger for a taken address: header of scripts/bench-sign-up.mjs)`,
    `  other processes used ${Math.round(otherCpu * 100)}% of the machine's CPU meanwhile; an idle 100 ms window costs ${f(idle)} ms of workerd CPU`,
    signatures.same ? `  responses identical: ${signatures.new[0]}` : `  RESPONSES DIFFER:\n    new:   ${signatures.new.join(' | ')}\n    taken: ${signatures.taken.join(' | ')}`,
    `  storage calls of one of each, the after-response work included:`,
    storageLine('new', counted.new),
    storageLine('taken', counted.taken),
  ].join('\n');
}

// How far the p50 difference moves when the samples are redrawn (percentile bootstrap,
// fixed seed): a difference inside the interval's spread is the machine's noise.
function bootstrapP50Difference(a, b, rounds = 2000) {
  let seed = 1;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const redraw = (values) => values.map(() => values[Math.floor(random() * values.length)]);
  const diffs = [];
  for (let i = 0; i < rounds; i++) diffs.push(percentile(redraw(b), 50) - percentile(redraw(a), 50));
  return [percentile(diffs, 2.5), percentile(diffs, 97.5)];
}

// The Worker logs every dev mail (two lines each, passed through to this console): hidden
// while this runs, or they would bury the result.
function hideDevMailLog() {
  const log = console.log;
  let hidden = 0;
  let skipLink = false;
  console.log = (...args) => {
    const line = String(args[0] ?? '');
    if (line.startsWith('[dev mail]') || (skipLink && /^\s+https?:\/\/\S+$/.test(line))) {
      skipLink = line.startsWith('[dev mail]');
      hidden += 1;
      return;
    }
    skipLink = false;
    log(...args);
  };
  return () => {
    console.log = log;
    return hidden;
  };
}

// `app`: the bench's app (bench.mjs startAppStack). Returns the result and its text; the
// caller exits non-zero when result.signatures.same is false.
export async function measureSignUpTiming(app, n) {
  const restoreLog = hideDevMailLog();
  try {
    return await measure(app, n);
  } finally {
    const hidden = restoreLog();
    if (hidden) console.log(`  (${hidden} dev-mail log lines from the Worker hidden)`);
  }
}

async function measure(app, n) {
  const origin = app.url;
  const pid = workerdPid(new URL(origin).port);
  if (!pid) throw new Error('the app workerd process was not found: no CPU time per sign-up');

  const seeded = n + WARM_UP_PAIRS + COUNTED;
  const started = performance.now();
  const taken = [];
  for (let i = 0; i < seeded; i++) {
    const who = account('sux', i);
    await createAccount(origin, who);
    taken.push(who);
  }
  console.log(`  ${seeded} accounts made through the app's sign-up (POST /register, code from /dev/mail, POST ${CODE_PAGE}) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  console.log(`  their per-address mail counts cleared, as for accounts made over 15 minutes ago (${await forgetSeedingMailCounts(app)} rows)`);

  // The timed runs use the first n seeded addresses, the warm-ups the next, the count the last.
  const warm = await timePairs(origin, pid, taken, n, n + WARM_UP_PAIRS, 'suw');
  const idle = [];
  for (let i = 0; i < 5; i++) idle.push(await idleCpu(pid));
  const otherCpu = otherProcessesCpu();
  otherCpu.start();
  const runs = await timePairs(origin, pid, taken, 0, n, 'su');
  const otherShare = otherCpu.stop();

  const counted = await countBothKinds(app, account('suc', 0), { username: account('suct', 0).username, email: taken[seeded - 1].email });
  const all = [...warm, ...runs];
  const kinds = (k) => runs.filter((r) => r.kind === k);
  const distinct = (k) => [...new Set(all.filter((r) => r.kind === k).map((r) => r.signature))];
  const signatures = { new: distinct('new'), taken: distinct('taken') };
  signatures.same = signatures.new.length === 1 && signatures.taken.length === 1 && signatures.new[0] === signatures.taken[0];
  const notCodePage = all.find((r) => r.status !== 303);
  if (signatures.same && notCodePage) throw new Error(`every sign-up answered ${notCodePage.signature}, not the code page: ${excerpt(notCodePage.text)}`);
  const countedRuns = [
    { kind: 'new', email: account('suc', 0).email },
    { kind: 'taken', email: taken[seeded - 1].email },
  ];
  const mailProblems = await checkMails(app, [...all, ...countedRuns]);
  if (mailProblems.length) throw new Error(`the mails do not match the kinds (new: one sign-up code; taken: its sign-up code, then "Someone tried ..."):\n  ${mailProblems.slice(0, 5).join('\n  ')}`);

  const pick = (key) => ({ new: stats(kinds('new'), key), taken: stats(kinds('taken'), key) });
  const interval = (key) => bootstrapP50Difference(kinds('new').map((r) => r[key]), kinds('taken').map((r) => r[key]));
  const result = { n, wall: pick('wallMs'), cpu: pick('cpuToResponse'), cpuAfter: pick('cpuWithAfterWork'), interval: { wall: interval('wallMs'), cpu: interval('cpuToResponse') }, signatures, counted, idle: percentile(idle, 50), otherCpu: otherShare, seeded };
  return { result, text: summary(result) };
}
