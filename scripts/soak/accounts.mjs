// The soak's accounts, made and used through the app's own pages as a browser would:
// sign-up, the authenticator-app enrolment (as test/two-factor-helpers.ts does it over
// HTTP), sign-in with or without the second step, sign-out.
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { generateHOTP } from '@oslojs/otp';
import { PASSWORD, cookieFrom, formHeaders, sessionCookieFrom } from '../bench/client.mjs';
import { excerpt } from '../bench/load.mjs';

// As src/mfa/totp.ts: 30-second steps, 6 digits, one step either side of now accepted,
// and each step at most once per account (only steps after the last one used).
const STEP_MS = 30_000;

export function totpStepNow(now = Date.now()) {
  return Math.floor(now / STEP_MS);
}

// A step this account may still use: the current one or the next (both stay inside the
// server's window for at least 30 s, whatever the queueing), after the last one used.
// null: wait for the next step.
export function usableTotpStep(account, now = Date.now()) {
  const current = totpStepNow(now);
  for (const step of [current, current + 1]) if (step > account.lastTotpStep) return step;
  return null;
}

export function totpCode(account, step) {
  account.lastTotpStep = step;
  return generateHOTP(account.totpKey, BigInt(step), 6);
}

async function post(url, path, fields, cookie) {
  return fetch(`${url}${path}`, { method: 'POST', redirect: 'manual', headers: formHeaders(url, cookie), body: new URLSearchParams(fields) });
}

async function failWith(what, response) {
  return new Error(`${what} answered ${response.status} (${response.headers.get('location') ?? 'no Location'}): ${excerpt(await response.text(), 300)}`);
}

// A new account signed in once (SIGN_UP_CONFIRMATION=after: the account exists at once).
export async function registerAccount(url, username) {
  const email = `${username}@example.com`;
  const response = await post(url, '/register', { username, email, password: PASSWORD, passwordConfirm: PASSWORD });
  const cookie = sessionCookieFrom(response);
  if (response.status !== 303 || !cookie) throw await failWith(`sign-up of ${username}`, response);
  await response.body?.cancel();
  return { username, email, totpKey: null, lastTotpStep: -Infinity, sessions: [cookie], busy: false, uploadsTried: 0, uploadsSaved: 0, uploadLog: [] };
}

// Turns the authenticator app on through the security pages. The app gives the session a
// new token and ends every other one: the account's only session is the new cookie.
export async function enrolTotp(url, account) {
  const [cookie] = account.sessions;
  const started = await post(url, '/account/security/totp', { password: PASSWORD }, cookie);
  if (started.status !== 303 || started.headers.get('location') !== '/account/security/totp/setup') throw await failWith(`starting the app for ${account.username}`, started);
  await started.body?.cancel();
  const page = await fetch(`${url}/account/security/totp/setup`, { headers: { cookie }, redirect: 'manual' });
  const html = await page.text();
  const key = /<code id="totp-key">([A-Z2-7 ]+)<\/code>/.exec(html)?.[1];
  if (page.status !== 200 || !key) throw new Error(`the setup page for ${account.username} answered ${page.status} with no key: ${excerpt(html, 300)}`);
  account.totpKey = decodeBase32IgnorePadding(key.replace(/\s+/g, ''));
  const done = await post(url, '/account/security/totp/setup', { code: totpCode(account, usableTotpStep(account)) }, cookie);
  const newCookie = sessionCookieFrom(done);
  if (done.status !== 200 || !newCookie) throw await failWith(`finishing the app for ${account.username}`, done);
  await done.body?.cancel();
  account.sessions = [newCookie];
  return { signedOut: cookie };
}

export { cookieFrom, formHeaders, sessionCookieFrom, PASSWORD };
