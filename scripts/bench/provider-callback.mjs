// The cost of one sign-in with a provider's callback (GET /oauth/local/callback): the real
// local OpenID Connect provider of `npm run dev` (oidc-provider, in this Node process) on a
// free port, one account made through it, then returning sign-ins. Each needs a fresh
// authorization code, so each run drives the provider's login screen first (as the tests
// do, test/oidc-login.ts); only the callback itself is counted and timed.
import { loginAtLocalProvider } from '../../test/oidc-login.ts';
import { LOCAL_OIDC_CLIENT, startLocalOidcProvider } from '../lib/local-oidc-provider.mjs';
import { cookieFrom, expectStatus, formHeaders, sessionCookieFrom, signInBody } from './client.mjs';
import { countCalls } from './count-calls.mjs';
import { workerdPid } from './cpu.mjs';
import { excerpt, idleCpu, percentile, timeRequest } from './load.mjs';

const PROVIDER = 'local';
const CALLBACK = `/oauth/${PROVIDER}/callback`;
const WARM_UPS = 3;

// The provider, and the vars that make the app use it (the same client as wrangler.toml).
export async function startBenchProvider(appPort) {
  const provider = await startLocalOidcProvider({
    client: { ...LOCAL_OIDC_CLIENT, redirectUris: [`http://127.0.0.1:${appPort}${CALLBACK}`] },
    quiet: true,
  });
  const vars = {
    SIGN_IN_PROVIDERS: PROVIDER,
    OIDC_LOCAL_ISSUER: provider.issuer,
    OIDC_LOCAL_CLIENT_ID: LOCAL_OIDC_CLIENT.clientId,
    OIDC_LOCAL_CLIENT_SECRET: LOCAL_OIDC_CLIENT.clientSecret,
  };
  return { provider, vars };
}

// "Continue with Local OpenID" on the app, then the provider's login screen: the callback
// the provider sends the browser back to, and the flow cookie that goes with it.
async function leaveForProvider(origin, login) {
  const start = await fetch(`${origin}/oauth/${PROVIDER}/start`, { method: 'POST', redirect: 'manual', headers: formHeaders(origin), body: '' });
  const text = await start.text();
  const location = start.headers.get('location');
  const flow = cookieFrom(start, 'provider_flow');
  if (start.status !== 303 || !location || !flow) throw new Error(`POST /oauth/${PROVIDER}/start answered ${start.status}: ${excerpt(text)}`);
  const back = await loginAtLocalProvider(location, login);
  if (back.searchParams.has('error')) throw new Error(`the provider answered ${back.searchParams.get('error')}: ${back.searchParams.get('error_description')}`);
  return { path: `${back.pathname}${back.search}`, cookie: flow };
}

// The first sign-in with a new identity: "choose your username", then the account.
async function signUpWithProvider(origin, login) {
  const back = await leaveForProvider(origin, login);
  const first = await fetch(`${origin}${back.path}`, { redirect: 'manual', headers: { cookie: back.cookie } });
  const page = await first.text();
  const pending = cookieFrom(first, 'provider_account');
  if (first.status !== 200 || !pending) throw new Error(`the first callback answered ${first.status} (expected the username page): ${excerpt(page)}`);
  const done = await fetch(`${origin}/oauth/${PROVIDER}/username`, { method: 'POST', redirect: 'manual', headers: formHeaders(origin, pending), body: new URLSearchParams({ username: login }).toString() });
  const cookie = sessionCookieFrom(done);
  if (done.status !== 303 || !cookie) throw new Error(`choosing the username answered ${done.status}: ${excerpt(await done.text())}`);
  await expectStatus(origin, '/dashboard', 200, { headers: { cookie } });
}

// One returning callback on the app, over HTTP like the load runs.
async function timeCallback(origin, pid, login) {
  const back = await leaveForProvider(origin, login);
  const timed = await timeRequest(pid, `${origin}${back.path}`, { headers: { cookie: back.cookie } });
  if (timed.response.status !== 303 || !sessionCookieFrom(timed.response)) throw new Error(`a returning callback answered ${timed.response.status}: ${excerpt(timed.text)}`);
  return timed;
}

// The same measure of a password sign-in (POST /login, its Argon2 check included), to compare.
async function timePasswordSignIn(origin, pid, user) {
  const timed = await timeRequest(pid, `${origin}/login`, { method: 'POST', headers: formHeaders(origin), body: signInBody(user) });
  if (timed.response.status !== 303) throw new Error(`POST /login answered ${timed.response.status}: ${excerpt(timed.text)}`);
  return timed;
}

async function sample(runs, timeOne) {
  for (let i = 0; i < WARM_UPS; i++) await timeOne();
  const samples = [];
  for (let i = 0; i < runs; i++) samples.push(await timeOne());
  const p50 = (key) => percentile(samples.map((s) => s[key]), 50);
  return { cpuToResponseP50: p50('cpuToResponse'), cpuWithAfterWorkP50: p50('cpuWithAfterWork'), cpuMax: Math.max(...samples.map((s) => s.cpuWithAfterWork)), wallP50: p50('wallMs') };
}

// `user`: the bench's password account, for the comparison.
export async function measureProviderCallback(app, user, runs) {
  const login = `benchp${Date.now().toString(36)}`;
  await signUpWithProvider(app.url, login);
  console.log(`  signed up ${login} through the local provider (${login}@local.example, verified)`);

  // The counting twin is its own isolate: its first callback has nothing cached.
  const count = async (name) => {
    const back = await leaveForProvider(app.url, login);
    return countCalls(app.counting, app.url, { name, path: back.path, headers: { cookie: back.cookie }, expected: 303 });
  };
  const cold = await count(`GET ${CALLBACK} (first in isolate)`);
  const warm = await count(`GET ${CALLBACK} (returning)`);
  console.log(`    its D1 queries: ${warm.d1Log.join('; ')}`);

  const pid = workerdPid(new URL(app.url).port);
  if (!pid) throw new Error('the app workerd process was not found: no CPU time per callback');
  const idle = [];
  for (let i = 0; i < 5; i++) idle.push(await idleCpu(pid));
  const callback = await sample(runs, () => timeCallback(app.url, pid, login));
  const passwordSignIn = await sample(runs, () => timePasswordSignIn(app.url, pid, user));
  const result = { runs, calls: { cold, warm }, ...callback, idleP50: percentile(idle, 50), passwordSignIn };
  const line = (s) => `workerd CPU p50 ${s.cpuToResponseP50.toFixed(2)} ms to the response, ${s.cpuWithAfterWorkP50.toFixed(2)} ms with after-response work (max ${s.cpuMax.toFixed(2)}); wall p50 ${s.wallP50.toFixed(1)} ms`;
  console.log(`  ${runs} returning callbacks: ${line(callback)}; idle ${result.idleP50.toFixed(2)} ms per window`);
  console.log(`  ${runs} POST /login (password) the same way: ${line(passwordSignIn)}`);
  return result;
}
