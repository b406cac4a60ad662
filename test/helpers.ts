import { SELF } from 'cloudflare:test';

export const ORIGIN = 'http://localhost:8787';

let counter = 0;
export function uniqueName(prefix = 'user'): string {
  counter += 1;
  return `${prefix}${Date.now().toString(36)}${counter}`;
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
