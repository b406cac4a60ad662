import { drizzle } from 'drizzle-orm/d1';

// No relational schema is passed: the app only uses the query builder, and building
// the relational config on every request was a tenth of the dashboard's CPU time.
// One instance per binding, reused across the requests an isolate serves (cron jobs
// and scripts; requests go through a D1 session, below).
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

export interface SessionDb {
  db: Db;
  // The newest bookmark this session has seen; null until it has run a query.
  bookmark(): string | null;
}

// A D1 Sessions API session: reads go to the nearest replica that is at least as fresh
// as `bookmark` (any replica without one), writes to the primary, and the session
// reads its own writes. drizzle-orm 0.45 has no session support of its own, but it only
// calls prepare() and batch(), which a session has with the same shapes.
export function createSessionDb(d1: D1Database, start: string): SessionDb {
  const session = d1.withSession(start);
  return { db: drizzle(session as unknown as D1Database), bookmark: () => session.getBookmark() };
}
