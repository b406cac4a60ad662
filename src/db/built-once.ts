import { fillPlaceholders, type Query } from 'drizzle-orm';
import type { Db } from './client';

// A query for the hottest path, built once per isolate instead of once per request.
// Drizzle checks the kind of every part of a query each time it builds one, and for the
// one query of a signed-in page that was the largest share of the page's CPU. `build`
// uses sql.placeholder()s for the values (the db it gets only builds, never runs); each
// call binds them and hands back a statement on the request's own D1 session (its
// replica and bookmark).
export function builtOnce<Values extends Record<string, unknown>>(build: (db: Db) => { toSQL(): Query }) {
  let query: Query | undefined;
  return (db: Db, values: Values): D1PreparedStatement => {
    query ??= build(db).toSQL();
    return db.$client.prepare(query.sql).bind(...fillPlaceholders(query.params, values));
  };
}
