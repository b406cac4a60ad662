// Counting wrapper for the built app (benchmark only, never deployed).
// `npm run bench` copies this file next to the built index.js and serves it as a second
// Worker on the same local D1 and KV. It hands the app an env in which every KV and D1
// binding counts its calls (rate limiters too), and global fetch counts outbound requests (S3). The counters
// are read, and reset, at GET /__bench/counts.
import app from './index.js';

const KV_METHODS = new Set(['get', 'getWithMetadata', 'put', 'list', 'delete']);
const D1_METHODS = new Set(['prepare', 'batch', 'exec']);
const LIMITER_METHODS = new Set(['limit']);

let counts = emptyCounts();

function emptyCounts() {
  return { kv: {}, d1: {}, limiter: {}, d1BatchedStatements: 0, fetch: 0 };
}

function bump(group, name) {
  group[name] = (group[name] ?? 0) + 1;
}

// Binding objects need `this` to be the real binding, so calls go through apply/bind.
function counted(binding, methods, group, onCall) {
  return new Proxy(binding, {
    get(target, prop) {
      const value = Reflect.get(target, prop);
      if (typeof value !== 'function') return value;
      if (!methods.has(prop)) return value.bind(target);
      return (...args) => {
        bump(group, prop);
        onCall?.(prop, args);
        return value.apply(target, args);
      };
    },
  });
}

const isKv = (b) => b && typeof b.getWithMetadata === 'function' && typeof b.list === 'function';
const isD1 = (b) => b && typeof b.prepare === 'function' && typeof b.batch === 'function' && typeof b.exec === 'function';
const isLimiter = (b) => b && typeof b.limit === 'function' && typeof b.get !== 'function';

// One wrapped env per real env object: the app caches its validated config per env,
// so a fresh proxy on every request would change what is measured.
const wrappedEnvs = new WeakMap();
function wrapEnv(env) {
  let wrapped = wrappedEnvs.get(env);
  if (wrapped) return wrapped;
  wrapped = {};
  for (const [name, binding] of Object.entries(env)) {
    if (isKv(binding)) wrapped[name] = counted(binding, KV_METHODS, counts.kv);
    else if (isD1(binding)) {
      wrapped[name] = counted(binding, D1_METHODS, counts.d1, (method, args) => {
        // Statements inside a batch were prepared one by one but run in one round trip.
        if (method === 'batch') counts.d1BatchedStatements += args[0]?.length ?? 0;
      });
    } else if (isLimiter(binding)) wrapped[name] = counted(binding, LIMITER_METHODS, counts.limiter);
    else wrapped[name] = binding;
  }
  wrappedEnvs.set(env, wrapped);
  return wrapped;
}

// Counters are objects captured by the proxies: reset them in place.
function resetCounts() {
  for (const key of Object.keys(counts.kv)) delete counts.kv[key];
  for (const key of Object.keys(counts.d1)) delete counts.d1[key];
  for (const key of Object.keys(counts.limiter)) delete counts.limiter[key];
  counts.d1BatchedStatements = 0;
  counts.fetch = 0;
}

const realFetch = globalThis.fetch;
globalThis.fetch = (...args) => {
  counts.fetch += 1;
  return realFetch(...args);
};

export default {
  async fetch(request, env, ctx) {
    if (new URL(request.url).pathname === '/__bench/counts') {
      const body = JSON.stringify(counts);
      resetCounts();
      return new Response(body, { headers: { 'content-type': 'application/json' } });
    }
    return app.fetch(request, wrapEnv(env), ctx);
  },
};
