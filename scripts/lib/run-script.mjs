// The end every bench script shares: run main(), then what was registered with onCleanup()
// (newest first, once, whether main() returned, threw or Ctrl-C came), then exit.
// Exit code: what main() returns (a number), else 0; `failureCode` (1) if it throws; 130 on
// SIGINT or SIGTERM. Messages go to stderr directly: the soak sends console.* to a file.

import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const cleanups = [];
let cleaning;

// fn returns a promise (or nothing); the last one registered runs first.
export function onCleanup(fn) {
  cleanups.unshift(fn);
}

// A new temporary directory, removed with the cleanups and, failing that, on the way out:
// on Ctrl-C, Miniflare's own exit hook stops workerd and exits at once, before async
// cleanups can finish. With `keep` it stays, and its path is printed at the end.
export async function temporaryDirectory(prefix, { keep = false } = {}) {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  if (keep) {
    onCleanup(() => process.stderr.write(`kept ${dir}\n`));
    return dir;
  }
  onCleanup(() => rm(dir, { recursive: true, force: true }));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true, maxRetries: 5 }));
  return dir;
}

// Runs once: a signal and the failure it causes in main() may both ask for it. A step that
// fails is reported and the next one still runs; with stepLimitMs, a step that hangs (a server
// waiting on a stuck connection) is left behind after that long.
function cleanup(stepLimitMs) {
  cleaning ??= (async () => {
    for (const fn of cleanups.splice(0)) {
      let timer;
      const steps = [Promise.resolve().then(fn)];
      if (stepLimitMs) steps.push(new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`a step took over ${stepLimitMs / 1000} s; moving on`)), stepLimitMs))));
      await Promise.race(steps).catch((error) => process.stderr.write(`cleanup: ${error.message}\n`));
      clearTimeout(timer);
    }
  })();
  return cleaning;
}

// failure: the message before the error ("Benchmark failed"); stepLimitMs: see cleanup().
export async function runScript(main, { failure = 'Failed', failureCode = 1, stepLimitMs } = {}) {
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, async () => {
      process.stderr.write(`\n${signal}: stopping\n`);
      await cleanup(stepLimitMs);
      process.exit(130);
    });
  }
  let exitCode;
  try {
    const code = await main();
    exitCode = typeof code === 'number' ? code : 0;
  } catch (error) {
    process.stderr.write(`\n${failure}: ${error.stack ?? error}\n`);
    exitCode = failureCode;
  } finally {
    await cleanup(stepLimitMs);
  }
  process.exit(exitCode);
}
