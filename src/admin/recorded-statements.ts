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

export function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`Cannot write ${value} as SQL`);
    return String(value);
  }
  if (typeof value === 'bigint') return value.toString();
  // SQLite string literals have one escape: a doubled quote. NUL cannot be written.
  if (typeof value === 'string' && !value.includes('\0')) return `'${value.replaceAll("'", "''")}'`;
  throw new Error(`Cannot write a ${typeof value} as SQL`);
}

// The statement with each "?" outside quotes replaced by its parameter as a literal.
export function inlineParams({ sql, params }: RecordedStatement): string {
  let out = '';
  let quote: string | null = null;
  let next = 0;
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"' || ch === '`') {
      quote = ch;
    } else if (ch === '?') {
      if (next >= params.length) throw new Error('More placeholders than parameters');
      out += sqlLiteral(params[next++]);
      continue;
    }
    out += ch;
  }
  if (next !== params.length) throw new Error('More parameters than placeholders');
  return out;
}

export function renderSqlFile(statements: RecordedStatement[]): string {
  return statements.map((statement) => `${inlineParams(statement)};\n`).join('');
}
