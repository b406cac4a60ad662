// `npm run bench -- --geo`: the pages' time as users around the world would see it.
// The counting Worker waits a modelled network time before each storage call, and the
// user's round trip is added once per page, scenario by scenario (geo-scenarios.mjs);
// each page is requested one at a time, since latency, not throughput, is the question.
import { PASSWORD, avatarForm, formHeaders, signInBody } from './client.mjs';
import { otherProcessesCpu } from './cpu.mjs';
import { excerpt, percentile } from './load.mjs';
import { SCENARIOS } from './geo-scenarios.mjs';
import { storageCalls } from './report.mjs';

const WARM_UPS = 3;

// The pages, each a function of nothing: every call builds the next request; `latency`
// overrides part of the scenario's model for that page.
function geoPages(origin, user, photoBodies) {
  const cookie = user.cookie;
  const newEmail = `${user.username}-new@example.com`;
  let uploads = 0;
  return [
    { id: 'home', name: 'Home (anonymous)', expected: 200, next: () => ({ path: '/' }) },
    { id: 'signIn', name: 'Sign-in POST', expected: 303, next: () => ({ path: '/login', method: 'POST', headers: formHeaders(origin), body: signInBody(user) }) },
    // The first page after the scenario's time away (kvAwaySeconds), then the same page
    // for a user who was just here (the KV read hot whatever its cacheTtl).
    { id: 'dashboard', name: 'Dashboard (first page)', expected: 200, next: () => ({ path: '/dashboard', headers: { cookie } }) },
    { id: 'dashboardWarm', name: 'Dashboard (warm)', expected: 200, latency: { kvAwaySeconds: 0 }, next: () => ({ path: '/dashboard', headers: { cookie } }) },
    // An address change: the password checked, a confirmation link stored and mailed; no picture.
    {
      id: 'profileSave',
      name: 'Profile save (email)',
      expected: 303,
      next: () => ({ path: '/profile', method: 'POST', headers: formHeaders(origin, cookie), body: new URLSearchParams({ email: newEmail, currentPassword: PASSWORD }).toString() }),
    },
    // Alternating pictures: each upload replaces the avatar (keys are content hashes).
    {
      id: 'avatar',
      name: 'Avatar upload',
      expected: 303,
      next: () => {
        const { contentType, body } = photoBodies[uploads++ % photoBodies.length];
        return { path: '/profile', method: 'POST', headers: { cookie, origin, 'sec-fetch-site': 'same-origin', 'content-type': contentType }, body };
      },
    },
  ];
}

async function timeRequest(counting, origin, page) {
  const { path, method = 'GET', headers = {}, body } = page.next();
  const started = performance.now();
  const response = await counting.fetch(`${origin}${path}`, { method, headers, body, redirect: 'manual' });
  const text = await response.text();
  const ms = performance.now() - started;
  if (response.status !== page.expected) throw new Error(`(geo) ${page.name} answered ${response.status}, expected ${page.expected}: ${excerpt(text)}`);
  return ms;
}

const setLatency = (counting, origin, latency) =>
  counting.fetch(`${origin}/__bench/latency`, { method: 'PUT', body: JSON.stringify(latency) }).then((r) => r.text());
const takeCounts = (counting, origin) => counting.fetch(`${origin}/__bench/counts`).then((r) => r.json());

// Warm-ups without a model, the last one counted: what each page calls.
async function warmUpAndCount(counting, origin, pages) {
  await setLatency(counting, origin, null);
  const calls = {};
  for (const page of pages) {
    for (let i = 0; i < WARM_UPS - 1; i++) await timeRequest(counting, origin, page);
    await takeCounts(counting, origin);
    await timeRequest(counting, origin, page);
    // Work handed to waitUntil finishes just after the response.
    await new Promise((resolve) => setTimeout(resolve, 100));
    calls[page.id] = storageCalls(await takeCounts(counting, origin));
    const c = calls[page.id];
    console.log(`  ${page.name.padEnd(22)} KV ${c.kv} (${c.kvDetail})  D1 ${c.d1Queries} (${c.d1Detail})  S3 ${c.fetch}  Images ${c.images}  email ${c.email}`);
  }
  return calls;
}

export async function runGeo({ app, user, photos, requests }) {
  const { counting, url: origin } = app;
  const photoBodies = await Promise.all(photos.map((photo) => avatarForm(user.email, photo)));
  const pages = geoPages(origin, user, photoBodies);
  console.log(`  calls per page (one counted request each, after ${WARM_UPS - 1} warm-ups):`);
  const calls = await warmUpAndCount(counting, origin, pages);
  const started = performance.now();
  const otherCpu = otherProcessesCpu();
  otherCpu.start();
  const scenarios = [];
  for (const scenario of SCENARIOS) {
    // The user's round trip comes before the Worker runs and overlaps nothing: it is
    // added to each measured time rather than slept through (a shorter run, same numbers).
    const { request: userRoundTrip, ...perCall } = scenario.latency;
    await setLatency(counting, origin, perCall);
    const results = {};
    for (const page of pages) {
      await setLatency(counting, origin, { ...perCall, ...page.latency });
      await takeCounts(counting, origin);
      const timings = [];
      for (let i = 0; i < requests; i++) timings.push(userRoundTrip + (await timeRequest(counting, origin, page)));
      // The modelled waits one request started, summed: above the page time when its
      // calls overlapped (they are timers, so parallel calls wait together).
      const { waitedMs, d1Log } = await takeCounts(counting, origin);
      // The D1 queries of the first timed request, with their route.
      const d1Queries = d1Log.slice(0, Math.round(d1Log.length / requests));
      results[page.id] = { p50: percentile(timings, 50), p95: percentile(timings, 95), waitsPerRequest: userRoundTrip + waitedMs / requests, d1Queries };
    }
    scenarios.push({ ...scenario, results });
    console.log(`  ${scenario.name.padEnd(38)} ${pages.map((p) => `${p.id} ${Math.round(results[p.id].p50)}/${Math.round(results[p.id].p95)}`).join('  ')}`);
  }
  await setLatency(counting, origin, null);
  const seconds = (performance.now() - started) / 1000;
  return { requests, pages: pages.map(({ id, name }) => ({ id, name })), calls, scenarios, seconds, otherCpu: otherCpu.stop() };
}

const ms = (value) => `${Math.round(value)}`;
const away = (seconds) => (seconds === null ? 'never here' : seconds >= 60 ? `${seconds / 60} min` : `${seconds} s`);

// The numbers issue 18's "Done means" names, for the Sydney scenarios.
const DONE_MEANS = ['sydney-replica', 'sydney-away-10min', 'sydney-kv-empty', 'sydney-kv-empty-no-replica', 'sydney'];

// Where the sign-in's D1 queries went with a replica: reads pinned to the primary cost
// a round trip each.
function routesNote(geo) {
  const s = geo.scenarios.find((x) => x.id === 'sydney-replica');
  if (!s) return '';
  return `Sign-in's D1 queries in "${s.name}", in order: ${s.results.signIn.d1Queries.join('; ')}.`;
}

function doneMeansTable(geo) {
  const byId = Object.fromEntries(geo.scenarios.map((s) => [s.id, s]));
  const cell = (r) => `${ms(r.p50)} (waits ${ms(r.waitsPerRequest)})`;
  return rows(
    DONE_MEANS.filter((id) => byId[id]).map((id) => {
      const s = byId[id];
      return [s.name, away(s.latency.kvAwaySeconds), cell(s.results.dashboard), cell(s.results.signIn), cell(s.results.dashboardWarm)];
    }),
  );
}
const rows = (list) => list.map((cells) => `| ${cells.join(' | ')} |`).join('\n');

export function geoMarkdown(geo, { date, machine }) {
  const l = (s) => s.latency;
  const kinds = [
    ['Page (user to Worker)', (s) => l(s).request],
    ['D1 primary', (s) => l(s).d1Primary],
    ['D1 replica', (s) => l(s).d1Replica ?? '-'],
    ['KV read (hot)', (s) => l(s).kvRead],
    ['KV read (cold)', (s) => l(s).kvCold ?? l(s).kvRead],
    ['Time away', (s) => away(l(s).kvAwaySeconds)],
    ['KV write/list', (s) => l(s).kvWrite],
    ['S3 request', (s) => l(s).fetch],
    ['Images call', (s) => l(s).images],
    ['Email send', (s) => l(s).email],
  ];
  const callCell = (c) =>
    [`KV ${c.kv ? c.kvDetail : 0}`, `D1 ${c.d1Queries ? c.d1Detail : 0}`, c.fetch ? `S3 ×${c.fetch}` : '', c.images ? `Images ×${c.images}` : '', c.email ? `email ×${c.email}` : '']
      .filter(Boolean)
      .join('; ');
  return `## Latency from around the world (\`npm run bench -- --geo\`, ${date})

${geo.requests} sequential requests per page and scenario (one connection), after warm-ups; ${Math.round(geo.seconds)} s for all scenarios. Machine: ${machine.cores} cores, ${machine.cpu}, Node ${machine.node}; other processes used ${Math.round(geo.otherCpu * 100)}% of its CPU meanwhile (they slow the local part of each page, not the modelled waits).

Page time, p50 / p95 in ms:

| Scenario | ${geo.pages.map((p) => p.name).join(' | ')} |
| --- | ${geo.pages.map(() => '---').join(' | ')} |
${rows(geo.scenarios.map((s) => [`**${s.name}**: ${s.where}`, ...geo.pages.map((p) => `${ms(s.results[p.id].p50)} / ${ms(s.results[p.id].p95)}`)]))}

Sydney, p50 in ms, and in brackets the modelled waits one request started, summed (the user's round trip included; a p50 below that sum means calls overlapped):

| Scenario | Time away | Dashboard (first page) | Sign-in POST | Dashboard (warm) |
| --- | --- | --- | --- | --- |
${doneMeansTable(geo)}

${routesNote(geo)}

"Dashboard (first page)": the first signed-in page after the scenario's time away; its KV read is served by the location's cache (hot) when the read's cacheTtl is longer than the time away, else it crosses to KV's central stores (cold). "Dashboard (warm)": the same page with the user just here.

Modelled wait per call, ms:

| Scenario | ${kinds.map(([name]) => name).join(' | ')} |
| --- | ${kinds.map(() => '---').join(' | ')} |
${rows(geo.scenarios.map((s) => [s.name, ...kinds.map(([, value]) => value(s))]))}

Calls per page:

| Page | Calls |
| --- | --- |
${rows(geo.pages.map((p) => [p.name, callCell(geo.calls[p.id])]))}
`;
}
