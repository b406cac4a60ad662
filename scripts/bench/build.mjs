// Builds the Worker exactly as `wrangler deploy` would, without uploading it.
import { spawn } from 'node:child_process';
import { cp, readFile, readdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

function runWrangler(args, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['wrangler', ...args], {
      cwd,
      // No metrics, and no banner: the banner also asks the npm registry for a newer wrangler.
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', WRANGLER_HIDE_BANNER: 'true', NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`wrangler ${args.join(' ')} exited with ${code}:\n${output}`))));
  });
}

// "Total Upload: 599.51 KiB / gzip: 218.99 KiB"
function parseWranglerSizes(output) {
  const match = /Total Upload:\s*([\d.]+)\s*KiB\s*\/\s*gzip:\s*([\d.]+)\s*KiB/.exec(output);
  return match ? { rawKiB: Number(match[1]), gzipKiB: Number(match[2]) } : null;
}

// Miniflare's module types for the files wrangler writes next to index.js.
function moduleType(file) {
  if (file.endsWith('.wasm')) return 'CompiledWasm';
  if (/\.m?js$/.test(file)) return 'ESModule';
  if (file.endsWith('.txt')) return 'Text';
  if (file.endsWith('.bin')) return 'Data';
  return undefined;
}

// `cwd`: the checkout to build (default this one), e.g. an older commit's worktree.
export async function buildWorker(outdir, cwd = undefined) {
  // --env= targets the top-level (local) config, as `npm run dev` does, and silences
  // wrangler's "multiple environments" warning.
  const output = await runWrangler(['deploy', '--dry-run', '--outdir', outdir, '--minify', '--env='], cwd);
  const files = await readdir(outdir);
  const extraModules = files.filter((f) => !/^(index\.js|index\.js\.map|README\.md)$/.test(f)).map((file) => {
    const type = moduleType(file);
    if (!type) throw new Error(`the build has a module of unknown type (${file}); teach scripts/bench/build.mjs to load it`);
    return { type, path: join(outdir, file) };
  });
  const bundle = await readFile(join(outdir, 'index.js'));
  return {
    scriptPath: join(outdir, 'index.js'),
    // Modules the bundle imports beside it (e.g. the password hash's WebAssembly).
    extraModules,
    wrangler: parseWranglerSizes(output),
    measured: { rawBytes: bundle.length, gzipBytes: gzipSync(bundle, { level: 9 }).length },
  };
}

// The request log line's statement in the minified bundle (src/http/request-log.ts):
// `console.log(JSON.stringify(<describeRequest>(c, Date.now() - started)))`.
const REQUEST_LOG_LINE = /console\.log\(JSON\.stringify\(([\w$]+)\(([\w$]+),Date\.now\(\)-([\w$]+)\)\)\)/g;

// A copy of the build whose request log middleware writes nothing: the line is neither
// described (route, user hash) nor serialised nor printed. Only for measuring what the
// line costs; the app itself has no switch for it (the line stays).
export async function buildWithoutRequestLog(bundle, outdir) {
  const source = await readFile(bundle.scriptPath, 'utf8');
  const matches = [...source.matchAll(REQUEST_LOG_LINE)].filter((m) => source.includes(`${m[1]},"describeRequest"`));
  if (matches.length !== 1) throw new Error(`found ${matches.length} request log lines in the bundle, expected 1: teach scripts/bench/build.mjs the new shape of src/http/request-log.ts`);
  await cp(dirname(bundle.scriptPath), outdir, { recursive: true });
  const scriptPath = join(outdir, basename(bundle.scriptPath));
  await writeFile(scriptPath, source.replace(matches[0][0], 'void 0'));
  const extraModules = bundle.extraModules.map((m) => ({ ...m, path: join(outdir, basename(m.path)) }));
  return { ...bundle, scriptPath, extraModules };
}
