import { drizzle } from 'drizzle-orm/d1';

// No relational schema is passed: the app only uses the query builder, and building
// the relational config on every request was a tenth of the dashboard's CPU time.
// One instance per binding, reused across the requests an isolate serves.
const instances = new WeakMap<D1Database, ReturnType<typeof drizzle>>();

export function createDb(d1: D1Database) {
  let db = instances.get(d1);
  if (!db) {
    db = drizzle(d1);
    instances.set(d1, db);
  }
  return db;
}

export type Db = ReturnType<typeof createDb>;
