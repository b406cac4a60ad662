// `npm run import:django -- path/to/db.sqlite3 [options]` (see options.ts and the README,
// "Moving from the Django app"). Reads the Django users, reads what D1 already has, prints
// the report, and only then writes: pictures to the bucket, then the users' rows, in
// batches. Every write is keyed by the Django id, so running it again (after an
// interruption, or later to pick up changes) continues where it stopped.
import { newUserId } from '../../src/users/user-store';
import { FAILURE_FLOOR_KEY, failureFloorFor } from '../../src/import/failure-floor';
import { planImport, type PlannedUser } from '../../src/import/import-plan';
import { formatImportReport } from '../../src/import/import-report';
import { importStatements } from '../../src/import/import-statements';
import { escapeForTerminal } from '../../src/import/terminal-text';
import { IMPORTED_AVATAR_LIMITS } from '../../src/maintenance/imported-avatars';
import { openBucket, readBucketConfig } from './bucket';
import { USAGE, UsageError, parseOptions, type ImportOptions } from './options';
import { checkPictures, stagePictures, type PictureSource } from './pictures';
import { createProgress, formatDuration } from './progress';
import { readDjangoSource } from './read-source';
import { inlineStatement } from '../lib/sql-literals';
import { applyLocalMigrations, describeTarget, hasLocalState, putKv, type D1Target } from '../lib/wrangler-d1';
import { readTargetUsers, writeStatements } from './target-database';

// SQL per wrangler call: remotely under D1's 100 KB statement limit (and the 128 KB
// command-line argument limit); locally a file, so larger.
const BATCH_BYTES = { remote: 90_000, local: 1_000_000 };

function batchesOf(users: PlannedUser[], maxBytes: number, now: number): { users: PlannedUser[]; sql: string[] }[] {
  const batches: { users: PlannedUser[]; sql: string[] }[] = [];
  let current = { users: [] as PlannedUser[], sql: [] as string[], bytes: 0 };
  for (const user of users) {
    const sql = importStatements(user, now).map(inlineStatement);
    const bytes = sql.reduce((sum, s) => sum + Buffer.byteLength(s) + 1, 0);
    if (current.users.length && current.bytes + bytes > maxBytes) {
      batches.push(current);
      current = { users: [], sql: [], bytes: 0 };
    }
    current.users.push(user);
    current.sql.push(...sql);
    current.bytes += bytes;
  }
  if (current.users.length) batches.push(current);
  return batches;
}

async function run(options: ImportOptions): Promise<number> {
  // --env names the wrangler environment of --remote only (a local run uses the default state).
  const target: D1Target = { remote: options.remote, env: options.remote ? options.env : undefined, persistTo: options.persistTo };
  const source = readDjangoSource(options.source, { table: options.profileTable, column: options.profileColumn });
  const needsBucket = Boolean(options.mediaS3Prefix) || (!options.dryRun && Boolean(options.media));
  const bucket = needsBucket ? await openBucket(readBucketConfig(target.remote ? target.env : undefined)) : null;
  try {
    const pictureSource: PictureSource = options.media
      ? { kind: 'dir', root: options.media }
      : options.mediaS3Prefix
        ? { kind: 's3', prefix: options.mediaS3Prefix, store: bucket!.store }
        : { kind: 'none' };
    console.error(`Reading ${source.users.length} Django users, their pictures and ${describeTarget(target)}...`);
    const existing = hasLocalState(target) ? await readTargetUsers(target) : [];
    const pictures = await checkPictures(pictureSource, source.users.filter((u) => u.picture));
    const plan = planImport(source.users, existing, { rule: options.rule, newId: newUserId, pictures });
    const profile = source.profile ? `${source.profile.table}.${source.profile.column}` : null;
    console.log(formatImportReport(plan, { source: options.source, target: describeTarget(target), profile, emailAddresses: source.emailAddresses }));
    if (plan.needsDecision) return 2;
    if (options.dryRun) {
      console.log('\nDry run: nothing was written.');
      return 0;
    }

    // Local state gets the app's tables first (`npm run dev` would apply the same migrations).
    await applyLocalMigrations(target);
    const toWrite = plan.users.filter((user) => user.action === 'insert' || user.action === 'update');
    const progress = createProgress(toWrite.length, 'Writing users');
    const now = Date.now();
    for (const batch of batchesOf(toWrite, target.remote ? BATCH_BYTES.remote : BATCH_BYTES.local, now)) {
      // Originals first: a row never points to a picture that is not there yet.
      if (bucket) await stagePictures(pictureSource, bucket.store, batch.users);
      await writeStatements(target, batch.sql);
      progress.advance(batch.users.length);
    }
    const { seconds } = progress.finish();

    // While imported accounts have not set a password here, failed sign-ins are held to a
    // floor and mention the reset link (src/import/failure-floor.ts).
    const pending = plan.users.filter((u) => u.action === 'insert' || u.action === 'update' || u.action === 'unchanged');
    const floorMs = failureFloorFor(pending.filter((u) => !u.mustReset).map((u) => u.passwordHash));
    if (pending.length) await putKv(target, FAILURE_FLOOR_KEY, JSON.stringify({ floorMs, setAt: now }));

    const staged = plan.users.filter((u) => u.action !== 'skip' && u.picture.kind === 'stage').length;
    console.log(`\nWritten: ${toWrite.length} users in ${formatDuration(seconds)}.`);
    if (floorMs > 0) console.log(`Failed sign-ins are held to ${floorMs} ms while imported Django hashes remain (no timing difference between accounts).`);
    if (staged) {
      const runs = Math.ceil(staged / IMPORTED_AVATAR_LIMITS.perRun);
      console.log(`Pictures: ${staged} waiting; the hourly job processes ${IMPORTED_AVATAR_LIMITS.perRun} a run, so about ${runs} hour(s).` +
        (target.remote ? '' : ' Locally: with `npm run dev` running, open http://localhost:8787/cdn-cgi/handler/scheduled to run it now.'));
    }
    return 0;
  } finally {
    await bucket?.close();
  }
}

try {
  process.exitCode = await run(parseOptions(process.argv.slice(2)));
} catch (error) {
  if (error instanceof UsageError) {
    if (error.message) console.error(`${error.message}\n`);
    console.error(USAGE);
    process.exitCode = error.message ? 64 : 0;
  } else {
    // The message may quote the input (a date, a table name): shown, never obeyed by the terminal.
    console.error(escapeForTerminal(`\nImport stopped: ${error instanceof Error ? error.message : String(error)}`));
    console.error('Nothing written so far is lost or duplicated: run the same command again to continue.');
    process.exitCode = 1;
  }
}
