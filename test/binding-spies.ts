import { env } from 'cloudflare:test';

// Bindings that report what the app does with them, for tests that call the app with
// their own env (fetchWith in test/email-code-helpers.ts). Everything else passes through.

type Batch = (statements: unknown[]) => Promise<unknown>;

// env with a D1 binding whose sessions' batch() goes through `wrap`.
export function envWithBatch(wrap: (batch: Batch) => Batch, base: Env = env): Env {
  const db = new Proxy(base.DB, {
    get(target, property) {
      if (property === 'withSession') {
        return (...args: unknown[]) => {
          const session = (target.withSession as (...a: unknown[]) => D1DatabaseSession)(...args);
          return new Proxy(session, {
            get(inner, name) {
              const value = Reflect.get(inner, name) as unknown;
              if (name === 'batch') return wrap((value as Batch).bind(inner));
              return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(inner) : value;
            },
          });
        };
      }
      const value = Reflect.get(target, property) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { ...base, DB: db } as Env;
}

// env whose D1 sessions report each query: its SQL, and how many were running when it began.
// `hold` may return a promise that a query waits for before it runs.
export function envCountingQueries(hold?: (sql: string) => Promise<unknown> | undefined): { workerEnv: Env; queries: { sql: string; running: number }[] } {
  const queries: { sql: string; running: number }[] = [];
  let running = 0;
  const track = (sql: string, run: () => Promise<unknown>) => {
    running += 1;
    queries.push({ sql, running });
    return Promise.resolve(hold?.(sql))
      .then(run)
      .finally(() => (running -= 1));
  };
  const statement = (inner: D1PreparedStatement, sql: string): D1PreparedStatement =>
    new Proxy(inner, {
      get(target, name) {
        const value = Reflect.get(target, name) as unknown;
        if (name === 'bind') return (...args: unknown[]) => statement((value as (...a: unknown[]) => D1PreparedStatement).apply(target, args), sql);
        if (name === 'all' || name === 'raw' || name === 'first' || name === 'run') return (...args: unknown[]) => track(sql, () => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args));
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  const workerEnv = envWithBatch((batch) => (statements) => track('batch', () => batch(statements)));
  const db = workerEnv.DB;
  const withSession = db.withSession.bind(db);
  const counted = new Proxy(db, {
    get(target, property) {
      if (property === 'withSession') {
        return (...args: unknown[]) => {
          const session = (withSession as (...a: unknown[]) => D1DatabaseSession)(...args);
          return new Proxy(session, {
            get(inner, name) {
              const value = Reflect.get(inner, name) as unknown;
              if (name === 'prepare') return (sql: string) => statement((value as (q: string) => D1PreparedStatement).call(inner, sql), sql);
              return value;
            },
          });
        };
      }
      return Reflect.get(target, property) as unknown;
    },
  });
  return { workerEnv: { ...workerEnv, DB: counted } as Env, queries };
}

// env whose KV binding reports each put of a session record (session:<id>).
export function envWithSessionPuts(base: Env, onPut: (key: string) => void): Env {
  const kv = new Proxy(base.SESSIONS, {
    get(target, property) {
      const value = Reflect.get(target, property) as unknown;
      if (property === 'put') {
        return (key: string, ...rest: unknown[]) => {
          if (key.startsWith('session:')) onPut(key);
          return (value as (...a: unknown[]) => Promise<void>).call(target, key, ...rest);
        };
      }
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { ...base, SESSIONS: kv } as Env;
}
