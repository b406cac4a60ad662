// `npm run bench:languages`: are the other languages' catalogues better read from the Worker's
// static assets on first use in an isolate (src/i18n/load-catalog.ts, as the app does), or
// bundled into the Worker? Snapshots the project (the catalogues grow while people translate),
// builds it as it is and with every assets/i18n/<lang>/<area>.json imported into the bundle
// (scripts/bench/languages-build.mjs), and reports:
// - sizes: the Worker's gzip (wrangler's total and index.js gzip -9) for both builds, what each
//   language adds when bundled alone, and each language's JSON (all its areas) gzipped;
// - the first page in a fresh isolate: per sample a new Miniflare (a new workerd process, so
//   nothing is shared), then GET /login with Accept-Language en, de and ar, cold (the first
//   request the isolate serves) and warm (the second): wall time and workerd CPU; and in
//   another fresh workerd the first /login after a static file, which warms only Miniflare's
//   own plumbing (entry Worker, assets router), not the app;
// - the isolate start: new Miniflare to ready (workerd loads, compiles and evaluates every
//   Worker before it listens), wall time and workerd CPU, next to a trivial Worker's
//   (scripts/bench/baseline-worker.js) with the same bindings: the difference is the app's
//   script.
// The verdict: for de and ar, the workerd CPU of the isolate start plus the first request
// (p50 difference outside its 95% bootstrap interval), then the first request alone.
// The app offers all six languages here (LANGUAGES="en,de,fr,es,ja,ar"). Locally an asset read
// is a disk read in the same workerd; on Cloudflare it is a read from the assets store.
// BENCH_LANGUAGE_SAMPLES=N fresh isolates per build and language (default 20, at least 15).
// A snapshot that does not build (sources mid-edit) is taken again 20 s later, up to 6 times.
// Writes /tmp/bench-languages-summary.md. Exits non-zero only if the benchmark broke.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildVariants, catalogueFiles, catalogueSizes, snapshotProject } from './bench/languages-build.mjs';
import { otherProcessesCpu, preciseCpuMs, workerdPid } from './bench/cpu.mjs';
import { percentile, timeRequest } from './bench/load.mjs';
import { machine } from './bench/report.mjs';
import { runScript, temporaryDirectory } from './lib/run-script.mjs';
import { MINIFLARE_VERSION, appWorkerOptions, applyMigrations, createMiniflare, freePort } from './bench/servers.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const SUMMARY_PATH = '/tmp/bench-languages-summary.md';
const SAMPLES = Math.max(15, Number(process.env.BENCH_LANGUAGE_SAMPLES ?? 20));
const ALL_LANGUAGES = 'en,de,fr,es,ja,ar';
const MEASURED = ['en', 'de', 'ar'];
const BUILDS = ['assets', 'bundled'];
// A static file (assets/static/), requested before the primed samples' first /login.
const PRIMING_FILE = '/static/favicon.svg';
// Snapshots tried before giving up when the sources do not build (BENCH_LANGUAGE_BUILD_TRIES).
const BUILD_TRIES = Number(process.env.BENCH_LANGUAGE_BUILD_TRIES ?? 6);
const RETRY_SECONDS = 20;
const BUDGET_KB = 300;
const PER_LANGUAGE_KB = 10;

// One fresh Miniflare (its own workerd process) serving one Worker on a free port, with the
// app's bindings from wrangler.toml, the snapshot's assets and shared local D1/KV state.
// Timed from construction to ready: starting workerd and every Worker's isolate.
async function startFresh({ modules, modulesRoot, assetsDir, stateDir, log }) {
  const port = await freePort();
  const { options } = appWorkerOptions({ port, s3Endpoint: 'http://127.0.0.1:9', vars: { LANGUAGES: ALL_LANGUAGES, SIGN_UP_CONFIRMATION: 'after' } });
  const started = performance.now();
  const mf = createMiniflare({
    host: '127.0.0.1',
    port,
    cf: false,
    resourcePersistencePath: stateDir,
    handleStructuredLogs: ({ message }) => message.startsWith('{"type":"request"') || log.push(message),
    workers: [{ ...options, assets: { ...options.assets, directory: assetsDir }, name: 'app', modulesRoot, modules }],
  });
  const url = (await mf.ready).origin;
  const readyMs = performance.now() - started;
  const pid = workerdPid(port);
  return { mf, url, pid, readyMs, readyCpuMs: preciseCpuMs(pid) };
}

const appModules = (bundle) => ({ modulesRoot: dirname(bundle.scriptPath), modules: [{ type: 'ESModule', path: bundle.scriptPath }, ...bundle.extraModules] });
const trivialModules = { modulesRoot: join(HERE, 'bench'), modules: [{ type: 'ESModule', path: join(HERE, 'bench', 'baseline-worker.js') }] };

// Strings of a language's catalogue a page shows only in that language: found in its page and
// absent from the English one. Zero means the page came out in English.
function translatedStrings(catalogue, html, englishHtml) {
  return catalogue.filter((text) => html.includes(text) && !englishHtml.includes(text)).length;
}

async function catalogueStrings(files) {
  const strings = {};
  for (const [language, paths] of Object.entries(files)) {
    const values = [];
    for (const path of paths) for (const value of Object.values(JSON.parse(await readFile(path, 'utf8')))) values.push(value);
    strings[language] = values.filter((v) => typeof v === 'string' && v.length >= 3 && !/[{}<>&"']/.test(v));
  }
  return strings;
}

async function coldRuns({ builds, assetsDir, stateDir, strings }) {
  const samples = [];
  const start = [];
  const problems = new Set();
  for (let i = 0; i < SAMPLES; i++) {
    // Alternate the order, so a slow stretch of the machine does not fall on one build.
    const order = i % 2 ? [...BUILDS].reverse() : BUILDS;
    const languages = MEASURED.map((_, k) => MEASURED[(k + i) % MEASURED.length]);
    const english = {};
    const current = {};
    for (const build of order) {
      for (const language of languages) {
        const log = [];
        const server = await startFresh({ ...appModules(builds[build]), assetsDir, stateDir, log });
        try {
          const init = { headers: { 'accept-language': language } };
          const cold = await timeRequest(server.pid, `${server.url}/login`, init);
          const warm = await timeRequest(server.pid, `${server.url}/login`, init);
          for (const [which, r] of [['cold', cold], ['warm', warm]]) {
            if (r.response.status !== 200) problems.add(`${build} ${language} ${which}: status ${r.response.status}`);
            if (!new RegExp(`<html[^>]*\\blang="${language}"`).test(r.text)) problems.add(`${build} ${language} ${which}: the page is not <html lang="${language}">`);
          }
          if (language === 'en') english[build] = cold.text;
          const sample = { build, language, readyMs: server.readyMs, readyCpuMs: server.readyCpuMs, cold, warm };
          current[`${build} ${language}`] = sample;
          samples.push(sample);
          start.push({ worker: build, wallMs: server.readyMs, cpuMs: server.readyCpuMs });
        } finally {
          await server.mf.dispose();
        }
        // Again in another fresh workerd, but with the local plumbing (Miniflare's entry
        // Worker and assets router, and the connection) warmed by a static file, which
        // Workers Assets serves without running the app: then the first /login is the app
        // isolate's own first request, closer to Cloudflare, where the assets service is shared.
        const primed = await startFresh({ ...appModules(builds[build]), assetsDir, stateDir, log });
        try {
          const file = await fetch(`${primed.url}${PRIMING_FILE}`);
          await file.arrayBuffer();
          if (file.status !== 200) problems.add(`${PRIMING_FILE}: status ${file.status}`);
          const first = await timeRequest(primed.pid, `${primed.url}/login`, { headers: { 'accept-language': language } });
          if (first.response.status !== 200) problems.add(`${build} ${language} primed: status ${first.response.status}`);
          current[`${build} ${language}`].primed = first;
          start.push({ worker: build, wallMs: primed.readyMs, cpuMs: primed.readyCpuMs });
        } finally {
          await primed.mf.dispose();
        }
        for (const line of log) if (/could not be loaded|Uncaught|Error:/.test(line)) problems.add(`${build} ${language}: worker said: ${line.slice(0, 200)}`);
      }
    }
    for (const build of BUILDS) {
      for (const language of MEASURED.filter((l) => l !== 'en')) {
        const sample = current[`${build} ${language}`];
        sample.found = translatedStrings(strings[language] ?? [], sample.cold.text, english[build]);
      }
    }
    // The same bindings with a trivial Worker: what starting workerd costs without the app.
    const trivial = await startFresh({ ...trivialModules, assetsDir, stateDir, log: [] });
    start.push({ worker: 'trivial', wallMs: trivial.readyMs, cpuMs: trivial.readyCpuMs });
    await trivial.mf.dispose();
    process.stdout.write(`  sample ${i + 1}/${SAMPLES}\r`);
  }
  console.log();
  return { samples, start, problems: [...problems] };
}

// How far the p50 difference (b - a) moves when the samples are redrawn (percentile
// bootstrap, fixed seed): a difference inside the interval is the machine's noise.
function bootstrapP50Difference(a, b, rounds = 2000) {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const redraw = (values) => values.map(() => values[Math.floor(random() * values.length)]);
  const diffs = [];
  for (let i = 0; i < rounds; i++) diffs.push(percentile(redraw(b), 50) - percentile(redraw(a), 50));
  return [percentile(diffs, 2.5), percentile(diffs, 97.5)];
}

const f1 = (n) => (Number.isFinite(n) ? n.toFixed(1) : '-');
const f2 = (n) => (Number.isFinite(n) ? n.toFixed(2) : '-');
const kib = (bytes) => (bytes / 1024).toFixed(1);
const signed = (n, digits = 1) => `${n >= 0 ? '+' : ''}${n.toFixed(digits)}`;
const p = (values, q) => percentile(values, q);

function report({ results, builds, sizes, runs }) {
  const { samples, start, problems } = runs;
  const m = results.machine;
  const lines = [];
  lines.push(`## Languages: bundled or read from assets (\`npm run bench:languages\`, ${results.date})`, '');
  lines.push(
    `Machine: ${m.cores} cores, ${m.cpu}, Node ${m.node}; the built bundle (wrangler deploy --dry-run --minify) in workerd through Miniflare ${results.miniflareVersion}, a new Miniflare (new workerd process) per sample, ${SAMPLES} samples per build and language, LANGUAGES="${ALL_LANGUAGES}". Other processes used ${Math.round(results.otherCpu * 100)}% of the machine's CPU meanwhile.`,
    '',
  );

  lines.push('**Sizes** (catalogues as of this run)', '');
  lines.push('| Build | wrangler total gzip | index.js gzip -9 | vs 300 KB budget |', '| --- | --- | --- | --- |');
  for (const name of BUILDS) {
    const b = builds[name];
    const kb = (b.wrangler?.gzipKiB ?? NaN) * 1.024;
    lines.push(`| ${name === 'assets' ? 'assets (as built today: English bundled, others from assets)' : 'bundled (all six languages in the Worker)'} | ${b.wrangler?.gzipKiB ?? '-'} KiB | ${kib(b.measured.gzipBytes)} KiB | ${kb <= BUDGET_KB ? 'under' : 'OVER'} (${f1(kb)} KB) |`);
  }
  lines.push('');
  lines.push('| Language | areas | keys | JSON raw | JSON gzip (all areas together) | JSON gzip (sum per file) | adds to the bundle, gzip (alone) |', '| --- | --- | --- | --- | --- | --- | --- |');
  const base = builds.assets;
  for (const [language, s] of Object.entries(sizes)) {
    const one = builds.single[language];
    const added = one.measured.gzipBytes - base.measured.gzipBytes;
    const addedWrangler = one.wrangler && base.wrangler ? (one.wrangler.gzipKiB - base.wrangler.gzipKiB) * 1024 : NaN;
    lines.push(`| ${language} | ${s.areas} | ${s.keys} | ${s.rawBytes} B | ${s.gzipBytes} B | ${s.gzipPerFileBytes} B | ${added} B index.js (${Number.isFinite(addedWrangler) ? Math.round(addedWrangler) : '-'} B wrangler) ${added / 1000 <= PER_LANGUAGE_KB ? '<=' : '>'} ${PER_LANGUAGE_KB} KB |`);
  }
  const allAdded = builds.bundled.measured.gzipBytes - base.measured.gzipBytes;
  lines.push(`| all ${Object.keys(sizes).length} | | | | | | ${allAdded} B index.js (${builds.bundled.wrangler && base.wrangler ? Math.round((builds.bundled.wrangler.gzipKiB - base.wrangler.gzipKiB) * 1024) : '-'} B wrangler) |`);
  lines.push('');

  lines.push('**Isolate start** (new Miniflare to ready: workerd start, then every Worker compiled and evaluated)', '');
  lines.push('| Worker | wall p50 | wall p90 | workerd CPU p50 | CPU p90 | n |', '| --- | --- | --- | --- | --- | --- |');
  for (const worker of [...BUILDS, 'trivial']) {
    const rows = start.filter((s) => s.worker === worker);
    const label = worker === 'trivial' ? 'trivial Worker, same bindings' : worker;
    lines.push(`| ${label} | ${f1(p(rows.map((r) => r.wallMs), 50))} ms | ${f1(p(rows.map((r) => r.wallMs), 90))} ms | ${f1(p(rows.map((r) => r.cpuMs), 50))} ms | ${f1(p(rows.map((r) => r.cpuMs), 90))} ms | ${rows.length} |`);
  }
  const startOf = (w, key) => start.filter((s) => s.worker === w).map((s) => s[key]);
  const scriptCpu = (w) => p(startOf(w, 'cpuMs'), 50) - p(startOf('trivial', 'cpuMs'), 50);
  const startDiff = bootstrapP50Difference(startOf('assets', 'wallMs'), startOf('bundled', 'wallMs'));
  const startCpuDiff = bootstrapP50Difference(startOf('assets', 'cpuMs'), startOf('bundled', 'cpuMs'));
  const d50 = (key) => p(startOf('bundled', key), 50) - p(startOf('assets', key), 50);
  lines.push(
    '',
    `The app's script over the trivial Worker (CPU p50): assets ${f1(scriptCpu('assets'))} ms, bundled ${f1(scriptCpu('bundled'))} ms. Start p50 bundled - assets: wall ${signed(d50('wallMs'))} ms (95% bootstrap interval ${signed(startDiff[0])} to ${signed(startDiff[1])}), workerd CPU ${signed(d50('cpuMs'))} ms (${signed(startCpuDiff[0])} to ${signed(startCpuDiff[1])}).`,
    '',
  );

  lines.push('**GET /login, first and second request in a fresh isolate**', '');
  lines.push('| Build | Language | Request | wall p50 | wall p90 | workerd CPU p50 | CPU p90 | translated strings on the page |', '| --- | --- | --- | --- | --- | --- | --- | --- |');
  const pick = (build, language) => samples.filter((s) => s.build === build && s.language === language);
  for (const language of MEASURED) {
    for (const build of BUILDS) {
      const rows = pick(build, language);
      const found = language === 'en' ? '-' : `${Math.min(...rows.map((r) => r.found ?? 0))}-${Math.max(...rows.map((r) => r.found ?? 0))}`;
      for (const which of ['total', 'cold', 'primed', 'warm']) {
        const wall = rows.map((r) => (which === 'total' ? r.readyMs + r.cold.wallMs : r[which].wallMs));
        const cpu = rows.map((r) => (which === 'total' ? r.readyCpuMs + r.cold.cpuToResponse : r[which].cpuToResponse));
        lines.push(`| ${build} | ${language} | ${{ total: 'isolate start + first', cold: 'first (cold)', primed: 'first, local plumbing warm', warm: 'second (warm)' }[which]} | ${f1(p(wall, 50))} ms | ${f1(p(wall, 90))} ms | ${f2(p(cpu, 50))} ms | ${f2(p(cpu, 90))} ms | ${which === 'total' ? found : ''} |`);
      }
    }
  }
  lines.push('');

  // The verdict: the first page of a non-English visitor (de, ar) in a fresh isolate.
  const verdictParts = [];
  const won = { wall: [], cpu: [], total: [] };
  const winner = ([lo, hi]) => (hi < 0 ? 'bundled' : lo > 0 ? 'assets' : 'tie');
  const firstDiff = {};
  for (const language of MEASURED) {
    const first = (build) => pick(build, language).map((r) => r.cold.wallMs);
    const total = (build) => pick(build, language).map((r) => r.readyMs + r.cold.wallMs);
    const cpu = (build) => pick(build, language).map((r) => r.cold.cpuToResponse);
    const d = p(first('bundled'), 50) - p(first('assets'), 50);
    const wallInterval = bootstrapP50Difference(first('assets'), first('bundled'));
    const dt = p(total('bundled'), 50) - p(total('assets'), 50);
    const [tlo, thi] = bootstrapP50Difference(total('assets'), total('bundled'));
    const dc = p(cpu('bundled'), 50) - p(cpu('assets'), 50);
    const cpuInterval = bootstrapP50Difference(cpu('assets'), cpu('bundled'));
    const totalCpu = (build) => pick(build, language).map((r) => r.readyCpuMs + r.cold.cpuToResponse);
    const dtc = p(totalCpu('bundled'), 50) - p(totalCpu('assets'), 50);
    const totalCpuInterval = bootstrapP50Difference(totalCpu('assets'), totalCpu('bundled'));
    if (language !== 'en') {
      won.wall.push(winner(wallInterval));
      won.cpu.push(winner(cpuInterval));
      won.total.push(winner(totalCpuInterval));
      firstDiff[language] = { wall: d, cpu: dc, total: dtc, totalInterval: totalCpuInterval };
    }
    const primedCpu = (build) => pick(build, language).map((r) => r.primed.cpuToResponse);
    const primedWall = (build) => pick(build, language).map((r) => r.primed.wallMs);
    if (language !== 'en') firstDiff[language].primed = { wall: p(primedWall('bundled'), 50) - p(primedWall('assets'), 50), cpu: p(primedCpu('bundled'), 50) - p(primedCpu('assets'), 50), cpuInterval: bootstrapP50Difference(primedCpu('assets'), primedCpu('bundled')) };
    const iv = ([lo, hi]) => `[${signed(lo)}, ${signed(hi)}]`;
    verdictParts.push(`${language}: first request wall ${signed(d)} ms ${iv(wallInterval)}, its workerd CPU ${signed(dc)} ms ${iv(cpuInterval)}, isolate start + first request wall ${signed(dt)} ms ${iv([tlo, thi])}, CPU ${signed(dtc)} ms ${iv(totalCpuInterval)}`);
  }
  lines.push(`p50 differences, bundled - assets (95% bootstrap interval; negative: bundled faster): ${verdictParts.join('; ')}.`, '');
  const bundledKb = (builds.bundled.wrangler?.gzipKiB ?? NaN) * 1.024;
  const cost = `bundling all ${Object.keys(sizes).length} languages adds ${kib(allAdded)} KiB gzip (bundle ${builds.bundled.wrangler?.gzipKiB} KiB = ${f1(bundledKb)} KB, ${bundledKb <= BUDGET_KB ? 'within' : 'over'} the ${BUDGET_KB} KB budget)`;
  const numbers = Object.entries(firstDiff).map(([l, x]) => `${l} ${signed(x.wall)} ms wall, ${signed(x.cpu)} ms CPU`).join('; ');
  const nonEnglish = Object.keys(firstDiff);
  const all = (list, who) => list.length > 0 && list.every((w) => w === who);
  const clearWall = (who) => nonEnglish.filter((_, k) => won.wall[k] === who);
  const wallNote = (who) => {
    const clear = clearWall(who);
    if (clear.length === nonEnglish.length) return 'lower wall time too, outside the noise';
    return clear.length ? `lower wall time too, outside the noise for ${clear.join(' and ')} only` : 'wall-time difference inside this machine\'s noise';
  };
  // Deciding measure: workerd CPU of the isolate start plus the first request (the start's
  // wall time is mostly spawning a workerd process, far noisier than the difference).
  const totals = Object.entries(firstDiff).map(([l, x]) => `${l} ${signed(x.total)} ms [${signed(x.totalInterval[0])}, ${signed(x.totalInterval[1])}]`).join(', ');
  const firstOnly = all(won.cpu, 'bundled') ? `bundled's first request alone is faster (${numbers}; ${wallNote('bundled')}), and the bigger script's isolate start ${signed(d50('cpuMs'))} ms CPU [${signed(startCpuDiff[0])}, ${signed(startCpuDiff[1])}]` : all(won.cpu, 'assets') ? `the assets build's first request alone is faster (${numbers})` : `first request alone: ${numbers}`;
  let verdict;
  if (all(won.total, 'bundled')) verdict = `**Verdict: bundled is faster for the first page in a fresh isolate**, isolate start included (workerd CPU p50, bundled - assets: ${totals}); ${firstOnly}`;
  else if (all(won.total, 'assets')) verdict = `**Verdict: reading from assets is faster for the first page in a fresh isolate**, isolate start included (workerd CPU p50, bundled - assets: ${totals}); ${firstOnly}`;
  else {
    const clear = nonEnglish.filter((_, k) => won.total[k] !== 'tie');
    verdict = `**Verdict: no clear difference for the first page in a fresh isolate once its start is counted** (isolate start + first request, workerd CPU p50, bundled - assets: ${totals}; the interval excludes 0 for ${clear.length ? clear.join(' and ') + ' only' : 'neither'}); ${firstOnly}`;
  }
  const added = Object.keys(sizes).map((l) => (builds.single[l].wrangler.gzipKiB - builds.assets.wrangler.gzipKiB) * 1.024);
  verdict += `; each language alone adds ${f1(Math.min(...added))}-${f1(Math.max(...added))} KB gzip (${added.every((x) => x <= PER_LANGUAGE_KB) ? 'within' : 'over'} the ${PER_LANGUAGE_KB} KB per language)`;
  verdict += `; ${cost}.`;
  const primedLine = Object.entries(firstDiff).map(([l, x]) => `${l} ${signed(x.primed.wall)} ms wall, ${signed(x.primed.cpu)} ms CPU [${signed(x.primed.cpuInterval[0])}, ${signed(x.primed.cpuInterval[1])}]`).join('; ');
  lines.push(`With the local plumbing warm (the app's first request after a static file): bundled - assets p50 ${primedLine}.`, '');
  lines.push(verdict, '');
  lines.push(
    'Notes: "first (cold)" is the first request the isolate serves after workerd reports ready; the script was already compiled and its top level run during the start (the "Isolate start" table). workerd CPU is the whole serving process (Worker, assets router, Miniflare\'s entry Worker) to the response. A local asset read is a file read inside the same workerd; on Cloudflare it is a read from the assets store, so the assets build\'s first non-English page there pays that round trip instead.',
  );
  if (problems.length) lines.push('', '**Problems seen** (these samples may not measure what they claim):', ...problems.map((x) => `- ${x}`));
  return lines.join('\n') + '\n';
}

// Others edit the sources and catalogues while this runs: a snapshot taken mid-edit may not
// build (or hold half a JSON file). Then a new snapshot, a little later.
async function snapshotAndBuild(tmp) {
  for (let attempt = 1; ; attempt++) {
    const dir = join(tmp, `attempt-${attempt}`);
    try {
      console.log(`1. Snapshot of the sources and catalogues${attempt > 1 ? ` (attempt ${attempt})` : ''}`);
      const project = await snapshotProject(join(dir, 'project'));
      const files = await catalogueFiles(project);
      const sizes = await catalogueSizes(files);
      for (const [language, s] of Object.entries(sizes)) console.log(`  ${language}: ${s.areas} areas, ${s.keys} keys, ${s.rawBytes} B, gzip ${s.gzipBytes} B`);
      console.log('2. Builds (wrangler deploy --dry-run --minify): as is, each language bundled alone, all bundled');
      const builds = await buildVariants(project, join(dir, 'build'), files);
      return { project, files, sizes, builds };
    } catch (error) {
      if (attempt >= BUILD_TRIES) throw error;
      const plain = String(error.message).replace(/\x1b\[[0-9;]*m/g, '').split('\n').map((l) => l.trim());
      const reason = plain.filter((l) => l.includes('[ERROR]')).slice(0, 2).join(' / ') || plain[0];
      console.log(`  the snapshot did not build or parse (${reason}); again in ${RETRY_SECONDS} s`);
      await rm(dir, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, RETRY_SECONDS * 1000));
    }
  }
}

async function main() {
  const results = { date: new Date().toISOString().slice(0, 10), machine: machine() };
  results.miniflareVersion = MINIFLARE_VERSION;
  const m = results.machine;
  console.log(`Machine: ${m.cores} cores, ${m.cpu}, ${m.memory}, Node ${m.node}\n`);
  const tmp = await temporaryDirectory('edge-bench-languages-');

  const { project, files, sizes, builds } = await snapshotAndBuild(tmp);
  for (const name of BUILDS) console.log(`  ${name}: wrangler gzip ${builds[name].wrangler?.gzipKiB} KiB; index.js gzip -9 ${builds[name].measured.gzipBytes} B`);

  console.log('3. Local D1/KV state with the migrations applied');
  const stateDir = join(tmp, 'state');
  const assetsDir = join(project, 'assets');
  {
    const setup = await startFresh({ ...appModules(builds.assets), assetsDir, stateDir, log: [] });
    try {
      await applyMigrations(await setup.mf.getD1Database('DB', 'app'));
    } finally {
      await setup.mf.dispose();
    }
  }

  console.log(`4. First pages in fresh isolates (${SAMPLES} samples x ${BUILDS.length} builds x ${MEASURED.join('/')}, plus a trivial Worker's start)`);
  const strings = await catalogueStrings(files);
  const otherCpu = otherProcessesCpu();
  otherCpu.start();
  const runs = await coldRuns({ builds, assetsDir, stateDir, strings });
  results.otherCpu = otherCpu.stop();

  const summary = report({ results, builds, sizes, runs });
  await writeFile(SUMMARY_PATH, summary);
  console.log(`\n${summary}`);
  console.log(`(also written to ${SUMMARY_PATH})`);
}

await runScript(main, { failure: 'Benchmark failed' });
