// The soak's traffic: `connections` loops, each taking a weighted kind of request and a
// free account for it (an account is used by one loop at a time, as one person in one
// browser; the accounts' sessions carry over between loops).
import { avatarForm } from '../bench/client.mjs';
import { PASSWORD, cookieFrom, formHeaders, sessionCookieFrom, totpCode, usableTotpStep } from './accounts.mjs';
import { call } from './recorder.mjs';

export const WEIGHTS = { page: 55, signIn: 12, profileSave: 8, avatarUpload: 10, signOut: 10 };
// Optional (SOAK_DOUBLE_SUBMIT=1): the profile form with the same picture sent twice at
// once, as a double click or two tabs would; off by default, not part of issue 18's mix.
export const DOUBLE_SUBMIT_WEIGHT = 3;
export const PAGES = ['/dashboard', '/profile', '/account/sessions', '/account/activity'];
// Sign-ins stop adding sessions to an account past this many (it signs one out instead).
const MAX_SESSIONS = 3;

const isRedirectTo = (response, prefix) => response.headers.get('location')?.startsWith(prefix);
// A signed-out cookie must get the sign-in page's redirect, nothing else.
export const refused = (status, response) => status === 302 && isRedirectTo(response, '/login');

// Takes a free account that passes `fits`, at random; null if there is none right now.
function lease(accounts, random, fits) {
  const free = accounts.filter((a) => !a.busy && fits(a));
  if (!free.length) return null;
  const account = random.pick(free);
  account.busy = true;
  return account;
}

export function createTraffic({ url, accounts, random, recorder, photos, weights = WEIGHTS }) {
  const signedOut = [];
  const req = (kind, path, init, expect, account) => call(recorder, kind, `${url}${path}`, init, expect, account.username);

  async function page(account) {
    const cookie = random.pick(account.sessions);
    const path = random.pick(PAGES);
    await req('page', path, { headers: { cookie } }, (s) => s === 200, account);
  }

  async function signIn(account) {
    const body = new URLSearchParams({ login: account.username, password: PASSWORD });
    const first = await req(account.totpKey ? 'signIn.password' : 'signIn', '/login', { method: 'POST', headers: formHeaders(url), body }, (s, r) =>
      s === 303 && isRedirectTo(r, account.totpKey ? '/login/two-factor' : '/dashboard'),
    account);
    if (!first.ok) return;
    if (!account.totpKey) return account.sessions.push(sessionCookieFrom(first.response));
    const pending = cookieFrom(first.response, 'pending_sign_in');
    const code = totpCode(account, usableTotpStep(account));
    const second = await req('signIn.totp', '/login/two-factor', { method: 'POST', headers: formHeaders(url, pending), body: new URLSearchParams({ method: 'totp', code }) }, (s, r) =>
      s === 303 && Boolean(sessionCookieFrom(r)),
    account);
    if (second.ok) account.sessions.push(sessionCookieFrom(second.response));
  }

  async function profileSave(account) {
    const body = new URLSearchParams({ email: account.email });
    await req('profileSave', '/profile', { method: 'POST', headers: formHeaders(url, random.pick(account.sessions)), body }, (s, r) => s === 303 && isRedirectTo(r, '/dashboard'), account);
  }

  // Alternating photos: each upload is a real change (keys are content hashes).
  async function avatarUpload(account, copies = 1) {
    const photo = photos[account.uploadsTried++ % photos.length];
    const { contentType, body } = await avatarForm(account.email, photo);
    const headers = { cookie: random.pick(account.sessions), origin: url, 'sec-fetch-site': 'same-origin', 'content-type': contentType };
    const kind = copies > 1 ? 'avatarDoubleSubmit' : 'avatarUpload';
    const send = () => req(kind, '/profile', { method: 'POST', headers, body }, (s, r) => s === 303 && isRedirectTo(r, '/dashboard'), account);
    const sentAt = new Date().toISOString().slice(11, 23);
    const results = await Promise.all(Array.from({ length: copies }, send));
    for (const result of results) if (result.ok && !result.friendly) account.uploadsSaved++;
    // For the report, should this account's picture go missing.
    const answers = results.map((r) => (r.response ? `${r.response.status}${r.friendly ? ' (not saved)' : ''}` : 'network error'));
    account.uploadLog.push(`${sentAt} ${kind} photo ${photos.indexOf(photo)}: ${answers.join(' + ')}`);
  }
  const doubleSubmit = (account) => avatarUpload(account, 2);

  // Signs out one session, then checks at once that its cookie is refused.
  async function signOut(account) {
    const cookie = account.sessions.shift();
    const result = await req('signOut', '/logout', { method: 'POST', headers: formHeaders(url, cookie) }, (s, r) => s === 303 && r.headers.get('location') === '/', account);
    if (!result.ok) return account.sessions.push(cookie);
    signedOut.push({ cookie, username: account.username, at: Date.now() });
    await checkRefused({ cookie, username: account.username }, 'signedOut.check');
  }

  async function checkRefused(entry, kind) {
    const result = await call(recorder, kind, `${url}/dashboard`, { headers: { cookie: entry.cookie } }, refused, `${entry.username}, signed out`);
    if (!result.ok && result.response) recorder.problem('stillSignedIn', { request: `GET /dashboard (${entry.username}, signed out)`, status: result.response.status, answer: result.response.headers.get('location') ?? '' });
    return result.ok;
  }

  // The kind asked for, or what the account's state allows instead.
  function choose(kind) {
    const now = Date.now();
    const canSignIn = (a) => a.sessions.length < MAX_SESSIONS && (!a.totpKey || usableTotpStep(a, now) !== null);
    if (kind === 'signIn') {
      const account = lease(accounts, random, canSignIn);
      return account && [signIn, account];
    }
    if (kind === 'signOut') {
      const account = lease(accounts, random, (a) => a.sessions.length > 1) ?? lease(accounts, random, (a) => a.sessions.length === 1);
      return account && [signOut, account];
    }
    const run = { page, profileSave, avatarUpload, doubleSubmit }[kind];
    const account = lease(accounts, random, (a) => a.sessions.length > 0);
    if (account) return [run, account];
    // Nobody is signed in and free: sign someone in.
    const other = lease(accounts, random, canSignIn);
    return other && [signIn, other];
  }

  async function loop(until) {
    while (Date.now() < until) {
      const chosen = choose(random.weighted(weights));
      if (!chosen) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        continue;
      }
      const [run, account] = chosen;
      try {
        await run(account);
      } finally {
        account.busy = false;
      }
    }
  }

  return {
    signedOut,
    checkRefused,
    run: (connections, until) => Promise.all(Array.from({ length: connections }, () => loop(until))),
  };
}
