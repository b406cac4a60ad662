import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

// D1 through wrangler, for the Node CLIs (createsuperuser, the Django import): the same
// way locally (--local, the state `npm run dev` uses) and on production (--remote), with
// no account ids or tokens of our own.
export interface D1Target {
  remote: boolean;
  env?: string; // wrangler environment (production for --remote)
  persistTo?: string; // local state directory (wrangler --persist-to)
}

// wrangler reads wrangler.toml from the project root, wherever the CLI was started.
const ROOT = resolve(import.meta.dirname, '../..');
const WRANGLER = join(dirname(createRequire(import.meta.url).resolve('wrangler/package.json')), 'bin', 'wrangler.js');

export class WranglerError extends Error {
  override name = 'WranglerError';
  // stderr then stdout, as wrangler wrote them.
  readonly output: string;
  constructor(args: string[], code: number, output: string) {
    super(`wrangler ${args.slice(0, 3).join(' ')} failed (exit ${code}):\n${output.trim().slice(-2000)}`);
    this.output = output;
  }
}

export function describeTarget(target: D1Target): string {
  if (target.remote) return `production D1 (wrangler --remote${target.env ? ` --env ${target.env}` : ''})`;
  return target.persistTo ? `local D1 in ${target.persistTo}` : 'local D1 (.wrangler/state, the one `npm run dev` uses)';
}

function placement(target: D1Target): string[] {
  const env = target.env ? ['--env', target.env] : [];
  if (target.remote) return ['--remote', ...env];
  return ['--local', ...(target.persistTo ? ['--persist-to', resolve(target.persistTo)] : []), ...env];
}

// Resolves with stdout; rejects with a WranglerError carrying what wrangler said.
export function runWrangler(args: string[]): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [WRANGLER, ...args], {
      cwd: ROOT,
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => fail(new WranglerError(args, 1, String(error))));
    child.on('close', (code) => {
      const stdout = Buffer.concat(out).toString('utf8');
      if (code === 0) done(stdout);
      else fail(new WranglerError(args, code ?? 1, `${Buffer.concat(err).toString('utf8')}\n${stdout}`));
    });
  });
}

// Local state that does not exist yet holds no users (and a dry run must not create it).
export function hasLocalState(target: D1Target): boolean {
  return target.remote || existsSync(join(target.persistTo ? resolve(target.persistTo) : join(ROOT, '.wrangler/state'), 'v3', 'd1'));
}

export async function applyLocalMigrations(target: D1Target): Promise<void> {
  if (!target.remote) await runWrangler(['d1', 'migrations', 'apply', 'DB', ...placement(target)]);
}

export async function queryD1(target: D1Target, sql: string): Promise<Record<string, unknown>[]> {
  const output = await runWrangler(['d1', 'execute', 'DB', ...placement(target), '--json', '--command', sql]);
  const parsed = JSON.parse(output.slice(output.indexOf('['))) as { results: Record<string, unknown>[] }[];
  return parsed.flatMap((result) => result.results);
}

// Statements (already SQL text: scripts/lib/sql-literals.ts) as a file, which D1 applies
// in one transaction; the file is private to this user (it may carry password hashes).
export async function executeSqlFile(target: D1Target, sql: string): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'wrangler-d1-'));
  try {
    const file = join(dir, 'statements.sql');
    await writeFile(file, sql, { mode: 0o600 });
    await runWrangler(['d1', 'execute', 'DB', ...placement(target), '--yes', '--file', file]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// The same through --command: remotely the query API, which does not lock the database as
// a file import does; the caller keeps it under D1's 100 KB statement size and the
// command line's 128 KB argument limit.
export async function executeSqlCommand(target: D1Target, sql: string): Promise<void> {
  await runWrangler(['d1', 'execute', 'DB', ...placement(target), '--yes', '--command', sql]);
}

export async function putKv(target: D1Target, key: string, value: string): Promise<void> {
  await runWrangler(['kv', 'key', 'put', key, value, '--binding', 'SESSIONS', ...placement(target)]);
}
