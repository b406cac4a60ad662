// Binding wrappers for the benchmark's counting Worker (never deployed). Each wrapper
// counts the calls it sees in `meter.counts` and, when `meter.latency` is set (the
// geography mode), waits the modelled network time of that call before making it.
// Waits are timers, not work: calls the app makes in parallel overlap, as they would.

const KV_READS = new Set(['get', 'getWithMetadata']);
// Writes and listings go to KV's central stores, never to a location's cache.
const KV_CENTRAL = new Set(['put', 'delete', 'list']);

export function emptyCounts() {
  return {
    kv: {},
    // D1 queries (one per statement run, one per batch) by kind, and where they went.
    d1: { read: 0, write: 0 },
    d1Route: { primary: 0, replica: 0 },
    d1Calls: { withSession: 0, batch: 0 },
    // Each query in order, as "select users" or "batch[update users, insert security_events]".
    d1Log: [],
    limiter: {},
    images: {},
    email: 0,
    fetch: 0,
    // Outbound fetches by method and the first two segments of the path.
    fetchTo: {},
    // Sum of the modelled waits (parallel calls overlap, so this can exceed the page time).
    waitedMs: 0,
    // Local time spent in the real calls by kind (kv, d1, images, fetch, email, limiter),
    // after any modelled wait: where a page's milliseconds go on this machine. Sums, so
    // calls in parallel count each. workerd's clock moves on I/O, which these calls are.
    localMs: {},
  };
}

export function createMeter() {
  return { counts: emptyCounts(), latency: null };
}

function bump(group, name) {
  group[name] = (group[name] ?? 0) + 1;
}

// Waits the modelled time for one call of this kind; nothing when no model is set.
// A timer, not work: each call waits on its own, so calls made together overlap.
export async function waitFor(meter, kind) {
  const ms = meter.latency?.[kind] ?? 0;
  if (ms <= 0) return;
  meter.counts.waitedMs += ms;
  await new Promise((resolve) => setTimeout(resolve, ms));
}

// Runs one real call, adding its local duration to counts.localMs[kind].
export async function timed(meter, kind, run) {
  const started = performance.now();
  try {
    return await run();
  } finally {
    const { localMs } = meter.counts;
    localMs[kind] = (localMs[kind] ?? 0) + (performance.now() - started);
  }
}

// Binding objects need `this` to be the real binding: unknown members are bound to it.
// Function.prototype.bind, because on a service binding (a Fetcher) `value.bind` would
// itself be a remote method.
export function intercept(target, overrides) {
  return new Proxy(target, {
    get(object, prop) {
      if (Object.hasOwn(overrides, prop)) return overrides[prop];
      const value = Reflect.get(object, prop);
      return typeof value === 'function' ? Function.prototype.bind.call(value, object) : value;
    },
  });
}

// KV's cacheTtl when a read names none (Cloudflare's docs: 60 s).
export const KV_DEFAULT_CACHE_TTL = 60;

// The cacheTtl a get() or getWithMetadata() asks for: its second argument is a type
// string or an options object.
export function readCacheTtl(options) {
  return typeof options === 'object' && options !== null && typeof options.cacheTtl === 'number' ? options.cacheTtl : KV_DEFAULT_CACHE_TTL;
}

// Which modelled wait a KV call pays. Writes and listings always cross to KV's central
// stores (kvWrite). A read is served from the location's cache (kvRead, "hot") when the
// copy the user's last read left there is still kept: its cacheTtl is longer than the
// time since then (latency.kvAwaySeconds; null: this location has never read the key).
// Otherwise it goes to the central stores (kvCold).
export function kvWaitKind(meter, method, args) {
  if (!KV_READS.has(method)) return 'kvWrite';
  const latency = meter.latency;
  if (latency?.kvCold == null) return 'kvRead';
  // Absent: the user was just here (0 s); null: nothing cached here yet.
  const away = 'kvAwaySeconds' in latency ? latency.kvAwaySeconds : 0;
  return away !== null && readCacheTtl(args[1]) > away ? 'kvRead' : 'kvCold';
}

export function wrapKv(kv, meter) {
  const overrides = {};
  for (const method of [...KV_READS, ...KV_CENTRAL]) {
    overrides[method] = async (...args) => {
      bump(meter.counts.kv, method);
      await waitFor(meter, kvWaitKind(meter, method, args));
      return timed(meter, 'kv', () => kv[method](...args));
    };
  }
  return intercept(kv, overrides);
}

// Rate limiters answer from the location running the Worker: counted, never delayed.
export function wrapLimiter(limiter, meter) {
  return intercept(limiter, {
    limit: (...args) => {
      bump(meter.counts.limiter, 'limit');
      return timed(meter, 'limiter', () => limiter.limit(...args));
    },
  });
}

// The send_email binding is a service binding: only send() is metered.
export function wrapEmail(email, meter) {
  return intercept(email, {
    send: async (...args) => {
      meter.counts.email += 1;
      await waitFor(meter, 'email');
      return timed(meter, 'email', () => email.send(...args));
    },
  });
}

// images.info() and each input().transform()...output() are one call to the Images service.
export function wrapImages(images, meter) {
  const call = async (name, run) => {
    bump(meter.counts.images, name);
    await waitFor(meter, 'images');
    return timed(meter, 'images', run);
  };
  const wrapBuilder = (builder) =>
    intercept(builder, {
      transform: (...args) => wrapBuilder(builder.transform(...args)),
      draw: (...args) => wrapBuilder(builder.draw(...args)),
      output: (...args) => call('output', () => builder.output(...args)),
    });
  return intercept(images, {
    info: (...args) => call('info', () => images.info(...args)),
    input: (...args) => wrapBuilder(images.input(...args)),
  });
}

// "POST /token", "PUT /edge-accounts-media/avatars": what a fetch went for, without ids.
function describeFetch(input, init) {
  const request = input instanceof Request ? input : null;
  const method = (init?.method ?? request?.method ?? 'GET').toUpperCase();
  const path = new URL(request ? request.url : String(input)).pathname.split('/').slice(0, 3).join('/');
  return `${method} ${path}`;
}

// Outbound fetch: S3, and a sign-in provider's endpoints.
export function wrapFetch(realFetch, meter) {
  return async (...args) => {
    meter.counts.fetch += 1;
    bump(meter.counts.fetchTo, describeFetch(...args));
    await waitFor(meter, 'fetch');
    return timed(meter, 'fetch', () => realFetch(...args));
  };
}
