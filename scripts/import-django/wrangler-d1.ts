import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TargetUser } from '../../src/import/import-plan';
import { readTargetUsers as readRows } from '../../src/import/target-users';

// D1 through wrangler, the same way locally (--local, the state `npm run dev` uses) and
// on production (--remote): no account ids or tokens of our own.
export interface D1Target {
  remote: boolean;
  env?: string; // wrangler environment for --remote (production)
  persistTo?: string; // local state directory (wrangler --persist-to)
}

const WRANGLER = 'node_modules/.bin/wrangler';

export function describeTarget(target: D1Target): string {
  if (target.remote) return `production D1 (wrangler --remote${target.env ? ` --env ${target.env}` : ''})`;
  return target.persistTo ? `local D1 in ${target.persistTo}` : 'local D1 (.wrangler/state, the one `npm run dev` uses)';
}

function placement(target: D1Target): string[] {
  if (target.remote) return ['--remote', ...(target.env ? ['--env', target.env] : [])];
  return ['--local', ...(target.persistTo ? ['--persist-to', target.persistTo] : [])];
}

export function runWrangler(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(WRANGLER, args, { env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      const stdout = Buffer.concat(out).toString('utf8');
      if (code === 0) resolve(stdout);
      else reject(new Error(`wrangler ${args.slice(0, 3).join(' ')} failed (exit ${code}):\n${(Buffer.concat(err).toString('utf8') + stdout).trim().slice(-2000)}`));
    });
  });
}

// Local state that does not exist yet holds no users (and a dry run must not create it).
export function hasLocalState(target: D1Target): boolean {
  return target.remote || existsSync(join(target.persistTo ?? '.wrangler/state', 'v3', 'd1'));
}

export async function applyLocalMigrations(target: D1Target): Promise<void> {
  if (!target.remote) await runWrangler(['d1', 'migrations', 'apply', 'DB', ...placement(target)]);
}

async function query(target: D1Target, sql: string): Promise<Record<string, unknown>[]> {
  let output: string;
  try {
    output = await runWrangler(['d1', 'execute', 'DB', ...placement(target), '--json', '--command', sql]);
  } catch (error) {
    // A local database without the app's tables yet (a dry run applies no migrations).
    if (!target.remote && /no such table/.test(String(error))) return [];
    throw error;
  }
  const parsed = JSON.parse(output.slice(output.indexOf('['))) as { results: Record<string, unknown>[] }[];
  return parsed.flatMap((result) => result.results);
}

// The rows the plan needs (src/import/target-users.ts).
export function readTargetUsers(target: D1Target): Promise<TargetUser[]> {
  return readRows((sql) => query(target, sql));
}

// One batch of statements. Locally a file; remotely --command (the query API, which does
// not lock the database as a file import does), so batches stay under D1's 100 KB
// statement size and the command line's 128 KB argument limit.
export async function executeStatements(target: D1Target, sql: string[]): Promise<void> {
  if (target.remote) {
    await runWrangler(['d1', 'execute', 'DB', ...placement(target), '--yes', '--command', sql.join('\n')]);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'import-django-'));
  try {
    const file = join(dir, 'batch.sql');
    writeFileSync(file, sql.join('\n'));
    await runWrangler(['d1', 'execute', 'DB', ...placement(target), '--yes', '--file', file]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function putKv(target: D1Target, key: string, value: string): Promise<void> {
  await runWrangler(['kv', 'key', 'put', key, value, '--binding', 'SESSIONS', ...placement(target)]);
}
