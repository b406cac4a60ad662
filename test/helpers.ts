import { env, SELF } from 'cloudflare:test';
import { parseSessionCookie } from '../src/auth/session';
import { listDevMail, type StoredMail } from '../src/mail/mailer';

export const ORIGIN = 'http://localhost:8787';

let counter = 0;
export function uniqueName(prefix = 'user'): string {
  counter += 1;
  return `${prefix}${Date.now().toString(36)}${counter}`;
}

// Each request from its own client address, so per-address limits only trip in the
// tests that aim for them.
export function randomAddress(): string {
  const b = crypto.getRandomValues(new Uint8Array(3));
  return `10.${b[0]}.${b[1]}.${b[2]}`;
}

// A browser's same-origin form POST: the Origin and Sec-Fetch-Site headers it sends.
export function postForm(path: string, fields: Record<string, string>, init: { cookie?: string; headers?: Record<string, string> } = {}) {
  return SELF.fetch(`${ORIGIN}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      origin: ORIGIN,
      'sec-fetch-site': 'same-origin',
      'cf-connecting-ip': randomAddress(),
      ...(init.cookie ? { cookie: init.cookie } : {}),
      ...init.headers,
    },
    body: new URLSearchParams(fields).toString(),
  });
}

export function get(path: string, cookie?: string) {
  return SELF.fetch(`${ORIGIN}${path}`, { redirect: 'manual', headers: cookie ? { cookie } : {} });
}

// "name=value" of the session cookie a response set, ready for a Cookie header.
export function sessionCookieFrom(response: Response): string {
  const header = response.headers.getSetCookie().find((c) => /^(__Host-)?session=/.test(c));
  if (!header) throw new Error(`no session cookie in response (status ${response.status})`);
  return header.split(';')[0]!;
}

// The session id in a "session=..." cookie (src/auth/session.ts, parseSessionCookie).
export function sessionIdOf(cookie: string): string {
  const parsed = parseSessionCookie(cookie.slice(cookie.indexOf('=') + 1));
  if (!parsed) throw new Error(`not a session cookie: ${cookie}`);
  return parsed.id;
}

export const STRONG_PASSWORD = 'correct horse battery staple 42';

export async function signUp(fields: Partial<Record<'username' | 'email' | 'password' | 'passwordConfirm', string>> = {}) {
  const username = fields.username ?? uniqueName();
  const email = fields.email ?? `${username}@example.com`;
  const password = fields.password ?? STRONG_PASSWORD;
  const response = await postForm('/register', {
    username,
    email,
    password,
    passwordConfirm: fields.passwordConfirm ?? password,
  });
  return { response, username, email, password };
}

export async function signUpAndSignIn() {
  const result = await signUp();
  if (result.response.status !== 303) throw new Error(`sign-up failed: ${result.response.status} ${await result.response.text()}`);
  return { ...result, cookie: sessionCookieFrom(result.response) };
}

// What the app handed to the EMAIL binding, from the development mailbox it keeps
// (DEV_MAILBOX is on in the local config). Some mail is sent after the response.
export async function waitForMail(to: string, subject: string, options: { after?: number } = {}): Promise<StoredMail> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const found = (await listDevMail(env.SESSIONS, 1000)).find(
      (m) => m.to === to && m.subject.includes(subject) && m.sentAt >= (options.after ?? 0),
    );
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no mail "${subject}" to ${to}`);
}

// Work the app does after its response (waitUntil): true once `done` says so, within about
// two seconds, else the test fails with `what`.
export async function eventually(what: string, done: () => Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (await done()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`still not so after 2 s: ${what}`);
}

export async function mailsTo(to: string): Promise<StoredMail[]> {
  return (await listDevMail(env.SESSIONS, 1000)).filter((m) => m.to === to);
}

export function cookieFrom(response: Response, name: string): string | undefined {
  return response.headers.getSetCookie().find((c) => c.startsWith(`${name}=`))?.split(';')[0];
}

// Whether a session cookie still opens a signed-in page.
export async function isSignedIn(cookie: string): Promise<boolean> {
  return (await get('/dashboard', cookie)).status === 200;
}
