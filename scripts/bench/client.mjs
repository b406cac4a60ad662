// What the benchmark sends, as a browser would: same-origin form posts, the bench
// user's sign-up, and multipart bodies encoded up front.
import { excerpt } from './load.mjs';

export const PASSWORD = 'correct horse battery staple 42';

// A browser's same-origin form POST, as the app's CSRF check expects.
export function formHeaders(origin, cookie) {
  return {
    'content-type': 'application/x-www-form-urlencoded',
    origin,
    'sec-fetch-site': 'same-origin',
    ...(cookie ? { cookie } : {}),
  };
}

export function signInBody(user) {
  return new URLSearchParams({ login: user.username, password: PASSWORD }).toString();
}

// "name=value" of a cookie the response sets (plain over http, __Host- over https).
export function cookieFrom(response, name) {
  const header = response.headers.getSetCookie().find((c) => c.startsWith(`${name}=`) || c.startsWith(`__Host-${name}=`));
  return header?.split(';')[0];
}

export function sessionCookieFrom(response) {
  return cookieFrom(response, 'session');
}

export async function registerUser(url) {
  const username = `bench${Date.now().toString(36)}`;
  const email = `${username}@example.com`;
  const response = await fetch(`${url}/register`, {
    method: 'POST',
    redirect: 'manual',
    headers: formHeaders(url),
    body: new URLSearchParams({ username, email, password: PASSWORD, passwordConfirm: PASSWORD }),
  });
  const cookie = sessionCookieFrom(response);
  if (response.status !== 303 || !cookie) throw new Error(`sign-up answered ${response.status}: ${excerpt(await response.text())}`);
  return { username, email, cookie };
}

// Fails early, with the page's text, if the app cannot serve (e.g. a missing var).
export async function expectStatus(url, path, expected, init = {}) {
  const response = await fetch(`${url}${path}`, { redirect: 'manual', ...init });
  const text = await response.text();
  if (response.status !== expected) throw new Error(`${init.method ?? 'GET'} ${path} answered ${response.status}, expected ${expected}: ${excerpt(text)}`);
}

// The profile form with a picture, encoded here: Miniflare's fetch takes bytes more
// reliably than this Node's FormData.
export async function avatarForm(email, photo) {
  const form = new FormData();
  form.set('email', email);
  form.set('avatar', new Blob([photo], { type: 'image/jpeg' }), 'photo.jpg');
  const encoded = new Response(form);
  return { contentType: encoded.headers.get('content-type'), body: Buffer.from(await encoded.arrayBuffer()) };
}
