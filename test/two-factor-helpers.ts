import { expect } from 'vitest';
import { TOTP_PERIOD_SECONDS, generateTotpCode, parseTotpKey, totpStep } from '../src/mfa/totp';
import { cookieFrom, get, postForm, sessionCookieFrom, signUpAndSignIn, STRONG_PASSWORD } from './helpers';

const STEP_MS = TOTP_PERIOD_SECONDS * 1000;

// An authenticator app in a test: it reads the key from the setup page and hands out
// codes the server will accept, each from a later time step than the last (a code is
// accepted once, and only from a step after the last one used), at most one step ahead.
export class TestAuthenticator {
  private lastStep = -Infinity;
  constructor(readonly key: Uint8Array) {}

  async nextCode(): Promise<string> {
    // Stay clear of a step boundary, so "now" is the same step for the server.
    const intoStep = Date.now() % STEP_MS;
    if (intoStep > STEP_MS - 4000) await new Promise((resolve) => setTimeout(resolve, STEP_MS - intoStep + 50));
    const now = Date.now();
    const step = Math.max(totpStep(now) - 1, this.lastStep + 1);
    if (step > totpStep(now) + 1) {
      await new Promise((resolve) => setTimeout(resolve, STEP_MS - (now % STEP_MS) + 50));
      return this.nextCode();
    }
    this.lastStep = step;
    return generateTotpCode(this.key, step * STEP_MS);
  }

  // A valid code for the current time the server has already seen (or will refuse).
  codeFor(step: number): string {
    return generateTotpCode(this.key, step * STEP_MS);
  }
}

export function keyFromSetupPage(html: string): Uint8Array {
  const match = /<code id="totp-key">([A-Z2-7 ]+)<\/code>/.exec(html);
  if (!match) throw new Error('no setup key on the page');
  return parseTotpKey(match[1]!);
}

export function recoveryCodesFrom(html: string): string[] {
  return [...html.matchAll(/<li><code>([a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4})<\/code><\/li>/g)].map((m) => m[1]!);
}

// Starting asks for the password; the key is then shown to this session only.
export async function startEnrolment(cookie: string, password = STRONG_PASSWORD) {
  const started = await postForm('/account/security/totp', { password }, { cookie });
  expect(started.status).toBe(303);
  expect(started.headers.get('location')).toBe('/account/security/totp/setup');
  const page = await get('/account/security/totp/setup', cookie);
  expect(page.status).toBe(200);
  const html = await page.text();
  return { html, app: new TestAuthenticator(keyFromSetupPage(html)) };
}

export async function finishEnrolment(cookie: string, code: string) {
  return postForm('/account/security/totp/setup', { code }, { cookie });
}

// A signed-in account with the authenticator app on. Turning it on gives the session a
// new token (every other session ends): `cookie` is the new one.
export async function accountWithTwoFactor() {
  const account = await signUpAndSignIn();
  const { app } = await startEnrolment(account.cookie);
  const done = await finishEnrolment(account.cookie, await app.nextCode());
  expect(done.status).toBe(200);
  const recoveryCodes = recoveryCodesFrom(await done.text());
  expect(recoveryCodes).toHaveLength(10);
  return { ...account, cookie: sessionCookieFrom(done), app, recoveryCodes };
}

// The password step: no session, only the pending sign-in cookie for the second step.
export async function passwordStep(login: string, password = STRONG_PASSWORD, path = '/login') {
  const res = await postForm(path, { login, password });
  expect(res.status).toBe(303);
  expect(res.headers.get('location')).toBe('/login/two-factor');
  expect(res.headers.getSetCookie().some((c) => /^(__Host-)?session=/.test(c))).toBe(false);
  const pending = cookieFrom(res, 'pending_sign_in');
  expect(pending).toBeTruthy();
  return { res, pending: pending! };
}

export async function secondStep(pending: string, code: string, method: 'totp' | 'recovery_code' = 'totp') {
  return postForm('/login/two-factor', { method, code }, { cookie: pending });
}

export async function signInWithCode(login: string, app: TestAuthenticator): Promise<string> {
  const { pending } = await passwordStep(login);
  const res = await secondStep(pending, await app.nextCode());
  expect(res.status).toBe(303);
  return sessionCookieFrom(res);
}
