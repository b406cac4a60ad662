// SQL statements as Drizzle would send them to D1, kept instead of run, and written out
// as plain SQL for `wrangler d1 execute --file` (createsuperuser runs the app's own
// createUserWithProfile against it, then sends the statements to the local or remote
// database in one file, which wrangler applies in one transaction).

export interface RecordedStatement {
  sql: string;
  params: unknown[];
}

// A D1Database stand-in: prepare() and bind() build statements, batch() keeps them.
// Reads are not supported (nothing recorded has a result).
export function createStatementRecorder(): { d1: D1Database; statements: RecordedStatement[] } {
  const statements: RecordedStatement[] = [];
  const statement = (sql: string, params: unknown[]) => ({
    sql,
    params,
    bind: (...values: unknown[]) => statement(sql, values),
    run: async () => {
      statements.push({ sql, params });
      return { success: true, results: [], meta: {} };
    },
  });
  const d1 = {
    prepare: (sql: string) => statement(sql, []),
    batch: async (items: RecordedStatement[]) => {
      statements.push(...items.map(({ sql, params }) => ({ sql, params })));
      return items.map(() => ({ success: true, results: [], meta: {} }));
    },
  };
  return { d1: d1 as unknown as D1Database, statements };
}

// Written out as SQL by scripts/lib/sql-literals.ts (hex literals: wrangler rewrites text).
