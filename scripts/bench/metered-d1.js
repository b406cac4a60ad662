// D1 for the benchmark's counting Worker: counts every query (a statement run, or a
// whole batch) as a read or a write, and routes it the way D1 read replication does,
// to wait the modelled time of the primary or of a nearby replica:
// - queries on the binding itself always go to the primary (no Sessions API, no replica);
// - in a session (`withSession`), writes go to the primary; reads go to the replica
//   when the scenario has one, except the first query of a 'first-primary' session and
//   any read after a write in the same session (the replica would have to wait for that
//   write to arrive, which costs at least as much as asking the primary).
// A bookmark is assumed already reached by the replica (replica lag is not modelled).
import { intercept, timed, waitFor } from './metered-bindings.js';

const WRITE_SQL = /^\s*(insert|update|delete|replace|create|drop|alter)\b/i;

export function isWriteSql(sql) {
  return WRITE_SQL.test(sql) || (/^\s*with\b/i.test(sql) && /\b(insert|update|delete|replace)\b/i.test(sql));
}

// What the statement log keeps of a query: its verb and its own table (not a subquery's),
// never values.
export function describeSql(sql) {
  let outer = sql;
  for (let inner = outer.replace(/\([^()]*\)/g, ''); inner !== outer; inner = outer.replace(/\([^()]*\)/g, '')) outer = inner;
  const verb = /^\s*(\w+)/.exec(outer)?.[1]?.toLowerCase() ?? '?';
  const table = /\b(?:from|into|update)\s+"?(\w+)"?/i.exec(outer)?.[1] ?? '?';
  return `${verb} ${table}`;
}

// The statement the app holds: bind() keeps the SQL text, runs go through `execute`.
class MeteredStatement {
  constructor(real, sql, execute) {
    this.real = real;
    this.sql = sql;
    this.execute = execute;
  }
  bind(...values) {
    return new MeteredStatement(this.real.bind(...values), this.sql, this.execute);
  }
  first(...args) {
    return this.execute(isWriteSql(this.sql), () => this.real.first(...args), describeSql(this.sql));
  }
  all(...args) {
    return this.execute(isWriteSql(this.sql), () => this.real.all(...args), describeSql(this.sql));
  }
  run(...args) {
    return this.execute(isWriteSql(this.sql), () => this.real.run(...args), describeSql(this.sql));
  }
  raw(...args) {
    return this.execute(isWriteSql(this.sql), () => this.real.raw(...args), describeSql(this.sql));
  }
}

// D1's batch() takes only its own statements.
const unwrap = (statement) => (statement instanceof MeteredStatement ? statement.real : statement);
const isWriteStatement = (statement) => statement instanceof MeteredStatement && isWriteSql(statement.sql);

// `route` is null for the binding itself (always the primary), or a session's state.
function createExecutor(meter, route) {
  return async (write, run, described) => {
    const { counts } = meter;
    counts.d1[write ? 'write' : 'read'] += 1;
    const hasReplica = meter.latency?.d1Replica != null;
    const toPrimary = !route || write || route.pinned || !hasReplica;
    // With a model set, where each query went ("select users @replica").
    counts.d1Log.push(meter.latency ? `${described} @${toPrimary ? 'primary' : 'replica'}` : described);
    if (route) {
      // After a write, this session's reads need the primary's state.
      route.pinned = write || (route.pinned && route.wrote);
      route.wrote ||= write;
    }
    counts.d1Route[toPrimary ? 'primary' : 'replica'] += 1;
    await waitFor(meter, toPrimary ? 'd1Primary' : 'd1Replica');
    return timed(meter, 'd1', run);
  };
}

// prepare() and batch() of the database or of a session, sharing one executor.
function queryMembers(target, meter, execute) {
  return {
    prepare: (sql) => new MeteredStatement(target.prepare(sql), sql, execute),
    batch: (statements) => {
      meter.counts.d1Calls.batch += 1;
      // One round trip; a batch holding any write runs on the primary.
      const described = `batch[${statements.map((s) => (s instanceof MeteredStatement ? describeSql(s.sql) : '?')).join(', ')}]`;
      return execute(statements.some(isWriteStatement), () => target.batch(statements.map(unwrap)), described);
    },
  };
}

export function wrapD1(db, meter) {
  const execute = createExecutor(meter, null);
  return intercept(db, {
    ...queryMembers(db, meter, execute),
    exec: (sql) => execute(true, () => db.exec(sql), describeSql(sql)),
    withSession: (constraint) => {
      meter.counts.d1Calls.withSession += 1;
      const session = db.withSession(constraint);
      // getBookmark() and anything else pass through to the real session.
      const route = { pinned: constraint === 'first-primary', wrote: false };
      return intercept(session, queryMembers(session, meter, createExecutor(meter, route)));
    },
  });
}
