import type { TargetUser } from '../../src/import/import-plan';
import { readTargetUsers as readRows } from '../../src/import/target-users';
import { WranglerError, executeSqlCommand, executeSqlFile, queryD1, type D1Target } from '../lib/wrangler-d1';

// The import's reads and writes of D1, through wrangler (scripts/lib/wrangler-d1.ts).

// The rows the plan needs (src/import/target-users.ts).
export function readTargetUsers(target: D1Target): Promise<TargetUser[]> {
  return readRows(async (sql) => {
    try {
      return await queryD1(target, sql);
    } catch (error) {
      // A local database without the app's tables yet (a dry run applies no migrations).
      if (!target.remote && error instanceof WranglerError && /no such table/.test(error.output)) return [];
      throw error;
    }
  });
}

// One batch of statements: locally a file; remotely --command, which does not lock the
// database as a file import does (batches stay under its size limits: cli.ts).
export async function writeStatements(target: D1Target, sql: string[]): Promise<void> {
  if (target.remote) await executeSqlCommand(target, sql.join('\n'));
  else await executeSqlFile(target, sql.join('\n'));
}
