// Builds the Worker exactly as `wrangler deploy` would, without uploading it.
import { spawn } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

function runWrangler(args) {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['wrangler', ...args], {
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

export async function buildWorker(outdir) {
  // --env= targets the top-level (local) config, as `npm run dev` does, and silences
  // wrangler's "multiple environments" warning.
  const output = await runWrangler(['deploy', '--dry-run', '--outdir', outdir, '--minify', '--env=']);
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
