// Counting wrapper for the built app (benchmark only, never deployed).
// `npm run bench` copies this file and its two helpers next to the built index.js and
// serves it as a second Worker on the same local storage. It hands the app an env in
// which every KV, D1 (and D1 session), rate limiter, Images and email binding counts its
// calls, and global fetch counts outbound requests (S3, a sign-in provider).
// GET /__bench/counts returns the counters and resets them. PUT /__bench/latency sets
// the geography model (milliseconds per call kind, see scripts/bench/geo-scenarios.mjs;
// `null` turns it off): every call then first waits its modelled network time, and
// every request the user's round trip to the Worker (`request`; geo.mjs sets it to 0
// and adds that round trip to its measured times instead).
import app from './index.js';
import { createMeter, emptyCounts, wrapEmail, wrapFetch, wrapImages, wrapKv, wrapLimiter, waitFor } from './metered-bindings.js';
import { wrapD1 } from './metered-d1.js';

const meter = createMeter();

// A service binding (Fetcher) answers every property name with a remote method, so it
// is recognised first, by its tag.
const isFetcher = (b) => Object.prototype.toString.call(b) === '[object Fetcher]';
const isKv = (b) => b && typeof b.getWithMetadata === 'function' && typeof b.list === 'function';
const isD1 = (b) => b && typeof b.prepare === 'function' && typeof b.batch === 'function' && typeof b.exec === 'function';
const isLimiter = (b) => b && typeof b.limit === 'function' && typeof b.get !== 'function';
const isImages = (b) => b && typeof b.input === 'function' && typeof b.info === 'function';

function wrapBinding(binding) {
  // send_email is one; ASSETS is another, whose send() the app never calls.
  if (isFetcher(binding)) return wrapEmail(binding, meter);
  if (isKv(binding)) return wrapKv(binding, meter);
  if (isD1(binding)) return wrapD1(binding, meter);
  if (isLimiter(binding)) return wrapLimiter(binding, meter);
  if (isImages(binding)) return wrapImages(binding, meter);
  return binding;
}

// One wrapped env per real env object: the app caches its validated config per env,
// so a fresh wrapper on every request would change what is measured.
const wrappedEnvs = new WeakMap();
function wrapEnv(env) {
  let wrapped = wrappedEnvs.get(env);
  if (!wrapped) {
    wrapped = Object.fromEntries(Object.entries(env).map(([name, binding]) => [name, wrapBinding(binding)]));
    wrappedEnvs.set(env, wrapped);
  }
  return wrapped;
}

globalThis.fetch = wrapFetch(globalThis.fetch, meter);

const json = (value) => new Response(JSON.stringify(value), { headers: { 'content-type': 'application/json' } });

export default {
  async fetch(request, env, ctx) {
    const { pathname } = new URL(request.url);
    if (pathname === '/__bench/counts') {
      const counts = meter.counts;
      meter.counts = emptyCounts();
      return json(counts);
    }
    if (pathname === '/__bench/latency' && request.method === 'PUT') {
      meter.latency = await request.json();
      return json(meter.latency);
    }
    // The user's round trip to wherever the Worker runs, once per page.
    await waitFor(meter, 'request');
    return app.fetch(request, wrapEnv(env), ctx);
  },
};
