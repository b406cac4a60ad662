import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import app from '../src/app';
import { expect } from 'vitest';
import { ORIGIN, randomAddress, sessionCookieFrom, uniqueName, waitForMail } from './helpers';

// The suite runs with SIGN_UP_CONFIRMATION=after (vitest.config.ts); the default, "before",
// runs through this env. One object, so the app validates its config once.
export const beforeEnv = { ...env, SIGN_UP_CONFIRMATION: 'before' } as Env;

// A browser's same-origin form POST (or a GET), to the app with the given env; the mail
// the request sends after its response has been handed over when this returns.
export async function fetchWith(
  workerEnv: Env,
  path: string,
  init: { method?: 'GET' | 'POST'; fields?: Record<string, string>; cookie?: string; ip?: string } = {},
): Promise<Response> {
  const method = init.method ?? (init.fields ? 'POST' : 'GET');
  const headers: Record<string, string> = { 'cf-connecting-ip': init.ip ?? randomAddress() };
  if (init.cookie) headers.cookie = init.cookie;
  if (method === 'POST') Object.assign(headers, { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN, 'sec-fetch-site': 'same-origin' });
  const ctx = createExecutionContext();
  const response = await app.fetch(
    new Request(`${ORIGIN}${path}`, { method, headers, redirect: 'manual', body: init.fields ? new URLSearchParams(init.fields).toString() : undefined }),
    workerEnv,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return response;
}

// "name=value" of the code cookie a response set (plain name: the test origin is http).
export function codeCookieFrom(response: Response): string {
  const header = response.headers.getSetCookie().find((c) => c.startsWith('email_code='));
  if (!header) throw new Error(`no email_code cookie in response (status ${response.status})`);
  return header.split(';')[0]!;
}

// The code in the newest mail with this subject ("ABCD-EFGH is your ... code").
export async function codeFromMail(to: string, subject: string, after = 0): Promise<{ code: string; link: string | undefined }> {
  const mail = await waitForMail(to, subject, { after });
  if (!mail.code) throw new Error(`mail "${mail.subject}" to ${to} carries no code`);
  return { code: mail.code, link: mail.link };
}

// The token from a mail's /email-link?token=... link.
export function linkToken(link: string | undefined): string {
  const token = link ? new URL(link).searchParams.get('token') : null;
  if (!token) throw new Error(`not an email link: ${link}`);
  return token;
}

// An account signed up without a password in the default "before" mode: both password
// fields empty, the sign-up code typed; it is signed in with its address confirmed.
export async function passwordlessAccount(prefix: string): Promise<{ username: string; email: string; session: string }> {
  const username = uniqueName(prefix);
  const email = `${username}@example.com`;
  const asked = await fetchWith(beforeEnv, '/register', { fields: { username, email, password: '', passwordConfirm: '' } });
  expect(asked.status).toBe(303);
  const { code } = await codeFromMail(email, 'sign-up code');
  const made = await fetchWith(beforeEnv, '/register/code', { cookie: codeCookieFrom(asked), fields: { code } });
  expect(made.status).toBe(303);
  return { username, email, session: sessionCookieFrom(made) };
}
