// Values written into SQL text for `wrangler d1 execute` (the import's batches and
// createsuperuser's file). Wrangler edits that text before D1 sees it: it deletes the first
// "BEGIN TRANSACTION;" and "COMMIT;" wherever they are, inside string literals too, and
// refuses a file in which "BEGIN TRANSACTION" remains. So no text taken from the input may
// reach the SQL: a string is written as its UTF-8 bytes in hex, cast back to text, which
// stores the bytes exactly (NUL included) and leaves nothing for wrangler to rewrite.
export interface ParameterizedStatement {
  sql: string;
  params: unknown[];
}

const encoder = new TextEncoder();

function hexOf(text: string): string {
  let hex = '';
  for (const byte of encoder.encode(text)) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

export function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`Cannot write ${value} as SQL`);
    return String(value);
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') {
    // A lone surrogate has no UTF-8 form: it would be stored as U+FFFD, not as given.
    if (!value.isWellFormed()) throw new Error('Cannot write a string with a lone surrogate as SQL');
    return `CAST(X'${hexOf(value)}' AS TEXT)`;
  }
  throw new Error(`Cannot write a ${typeof value} as SQL`);
}

// The statement with each "?" outside quotes replaced by its parameter as a literal.
export function inlineParams({ sql, params }: ParameterizedStatement): string {
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

// One line of SQL text, ending with ";" (the values are hex, so no line break is in one).
export function inlineStatement(statement: ParameterizedStatement): string {
  return `${inlineParams(statement).replace(/\s*\n\s*/g, ' ').trim()};`;
}

// One statement a line, as `wrangler d1 execute --file` (or --command) takes them.
export function renderSqlFile(statements: ParameterizedStatement[]): string {
  return statements.map((statement) => `${inlineStatement(statement)}\n`).join('');
}
