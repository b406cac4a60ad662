import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import app from '../src/app';
import { cookieFrom, get, isSignedIn, mailsTo, ORIGIN, randomAddress, signUpAndSignIn, STRONG_PASSWORD, uniqueName, waitForMail } from './helpers';
import { beforeEnv, codeCookieFrom, codeFromMail, fetchWith, linkToken } from './email-code-helpers';
import { confirmAddress } from './password-reset-helpers';
import { b64, type SoftAuthenticator } from './passkeys-authenticator';
import { addPasskey, postJson } from './passkeys-helpers';
import { accountWithTwoFactor, secondStep } from './two-factor-helpers';

// Sign-in with a code sent by email, over HTTP, the way a browser does it. Requests go
// through fetchWith (test/email-code-helpers.ts), which waits for the mail each request
// sends after its response: "no mail was sent" is then a fact, not a race.

const CODE_SUBJECT = 'is your Edge Accounts sign-in code';
// The subject of the notices that carry no code (unknown address, reset first).
const NOTICE_SUBJECT = 'Your Edge Accounts sign-in code';
const CHROME_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36';
const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0';

async function userIdOf(email: string): Promise<string> {
  return (await env.DB.prepare('select id from users where email = ?').bind(email).first<{ id: string }>())!.id;
}

async function setUserFlag(email: string, column: 'is_active' | 'must_reset_password', value: 0 | 1) {
  await env.DB.prepare(`update users set ${column} = ? where email = ?`).bind(value, email).run();
}

// A confirmed account made the default way (SIGN_UP_CONFIRMATION=before): the sign-up
// code confirms the address, so no D1 update is needed. It has a password too.
async function confirmedAccount() {
  const username = uniqueName('codein');
  const email = `${username}@example.com`;
  const asked = await fetchWith(beforeEnv, '/register', { fields: { username, email, password: STRONG_PASSWORD, passwordConfirm: STRONG_PASSWORD } });
  expect(asked.status).toBe(303);
  const { code } = await codeFromMail(email, 'sign-up code');
  const made = await fetchWith(beforeEnv, '/register/code', { cookie: codeCookieFrom(asked), fields: { code } });
  expect(made.status).toBe(303);
  return { username, email };
}

function requestCode(email: string, next?: string) {
  const path = next === undefined ? '/login/code' : `/login/code?next=${encodeURIComponent(next)}`;
  return fetchWith(env, path, { fields: { email } });
}

function enterCode(codeCookie: string, code: string) {
  return fetchWith(env, '/login/code/enter', { cookie: codeCookie, fields: { code } });
}

function sessionFrom(res: Response): string | undefined {
  return res.headers.getSetCookie().find((c) => /^(__Host-)?session=/.test(c))?.split(';')[0];
}

// What a request for a code shows whoever asks: compared across addresses.
function visibleAnswer(res: Response) {
  const names = res.headers.getSetCookie().map((c) => c.slice(0, c.indexOf('=')));
  return { status: res.status, location: res.headers.get('location'), cookies: names.sort() };
}

async function mailsSince(email: string, since: number) {
  return (await mailsTo(email)).filter((m) => m.sentAt >= since);
}

async function signInEvents(email: string): Promise<Record<string, unknown>[]> {
  const rows = await env.DB.prepare("select e.details from security_events e join users u on u.id = e.user_id where u.email = ? and e.type = 'sign_in' order by e.created_at")
    .bind(email)
    .all<{ details: string | null }>();
  return rows.results.map((r) => (r.details ? JSON.parse(r.details) : {}));
}

// Asks for a code and reads it from the mail: the browser's code cookie and the mail.
async function askForCode(email: string, next?: string) {
  const since = Date.now();
  const asked = await requestCode(email, next);
  expect(asked.status).toBe(303);
  expect(asked.headers.get('location')).toBe('/login/code/enter');
  const mail = await codeFromMail(email, CODE_SUBJECT, since);
  return { asked, codeCookie: codeCookieFrom(asked), ...mail };
}

describe('asking for a sign-in code', () => {
  it('the sign-in page links to it, keeping ?next=', async () => {
    const plain = await (await get('/login')).text();
    expect(plain).toContain('href="/login/code"');
    expect(plain).toContain('Email me a sign-in code');
    const withNext = await (await get('/login?next=%2Fprofile')).text();
    expect(withNext).toContain('href="/login/code?next=%2Fprofile"');
    // The request form keeps it too, in its action.
    const form = await get('/login/code?next=%2Fprofile');
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('action="/login/code?next=%2Fprofile"');
  });

  it('refuses a malformed address with the message and the typed value kept', async () => {
    const since = Date.now();
    const res = await fetchWith(env, '/login/code', { fields: { email: 'not-an-address' } });
    expect(res.status).toBe(422);
    expect(cookieFrom(res, 'email_code')).toBeUndefined();
    const html = await res.text();
    expect(html).toContain('Enter a valid email address, like name@example.com.');
    expect(html).toContain('value="not-an-address"');
    expect(await mailsSince('not-an-address', since)).toEqual([]);
  });
});

describe('signing in with an emailed code', () => {
  it('a confirmed account gets a code; entering it signs in, records the method and shows it in the activity', async () => {
    const { email } = await confirmedAccount();
    const { codeCookie, code } = await askForCode(email);
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);

    const page = await fetchWith(env, '/login/code/enter', { cookie: codeCookie });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(email);

    const done = await enterCode(codeCookie, code);
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/dashboard');
    const session = sessionFrom(done)!;
    expect(await isSignedIn(session)).toBe(true);
    // The code cookie is cleared once it has served.
    expect(done.headers.getSetCookie().find((c) => c.startsWith('email_code='))).toMatch(/Max-Age=0/);

    expect((await signInEvents(email)).at(-1)).toMatchObject({ method: 'email_code' });
    const activity = await get('/account/activity', session);
    expect(activity.status).toBe(200);
    expect(await activity.text()).toContain('Signed in with emailed code');
  });

  it('goes to the ?next= path given when the code was asked for, and never off the site', async () => {
    const { email } = await confirmedAccount();
    const first = await askForCode(email, '/profile');
    const done = await enterCode(first.codeCookie, first.code);
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/profile');

    const offSite = await askForCode(email, 'https://evil.example/');
    const landed = await enterCode(offSite.codeCookie, offSite.code);
    expect(landed.status).toBe(303);
    expect(landed.headers.get('location')).toBe('/dashboard');
  });

  it('a wrong code is refused with the tries left, and the right one still works after it', async () => {
    const { email } = await confirmedAccount();
    const { codeCookie, code } = await askForCode(email);
    const wrong = await enterCode(codeCookie, code === 'AAAA-AAAA' ? 'BBBB-BBBB' : 'AAAA-AAAA');
    expect(wrong.status).toBe(401);
    expect(sessionFrom(wrong)).toBeUndefined();
    expect(await wrong.text()).toContain('4 tries left');
    const right = await enterCode(codeCookie, code);
    expect(right.status).toBe(303);
    expect(await isSignedIn(sessionFrom(right)!)).toBe(true);
  });
});

describe('addresses a code must not sign in to', () => {
  // The never-confirmed account: signed up in the "after" mode (the suite's), whose
  // confirmation link is never used.
  it('unknown, deactivated, must-reset and unconfirmed addresses get the same answer as a live one; only the mails differ, and none carries a working code', async () => {
    const live = await confirmedAccount();
    const deactivated = await confirmedAccount();
    await setUserFlag(deactivated.email, 'is_active', 0);
    const mustReset = await confirmedAccount();
    await setUserFlag(mustReset.email, 'must_reset_password', 1);
    const unconfirmed = await signUpAndSignIn();
    // Its confirmation mail may go out after the sign-up's response: let it land first.
    await waitForMail(unconfirmed.email, 'Confirm your email address');
    const unknown = `nobody-${uniqueName()}@example.com`;

    const since = Date.now();
    const liveAnswer = await requestCode(live.email);
    const others = {
      unknown: await requestCode(unknown),
      deactivated: await requestCode(deactivated.email),
      mustReset: await requestCode(mustReset.email),
      unconfirmed: await requestCode(unconfirmed.email),
    };
    expect(visibleAnswer(liveAnswer)).toMatchObject({ status: 303, location: '/login/code/enter' });
    expect(visibleAnswer(liveAnswer).cookies).toContain('email_code');
    for (const [which, res] of Object.entries(others)) expect(visibleAnswer(res), which).toEqual(visibleAnswer(liveAnswer));

    // The code page, and a code typed into it, behave the same too.
    const liveWrong = await enterCode(codeCookieFrom(liveAnswer), 'AAAA-AAAA');
    expect(liveWrong.status).toBe(401);
    for (const res of Object.values(others)) {
      const cookie = codeCookieFrom(res);
      const page = await fetchWith(env, '/login/code/enter', { cookie });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Enter your sign-in code');
      const typed = await enterCode(cookie, 'AAAA-AAAA');
      expect(typed.status).toBe(liveWrong.status);
      expect(sessionFrom(typed)).toBeUndefined();
      expect(await typed.text()).toContain('4 tries left');
    }

    // Unknown: a notice that no account uses the address, with a sign-up link, no code.
    const [noAccount, ...moreUnknown] = await mailsSince(unknown, since);
    expect(moreUnknown).toEqual([]);
    expect(noAccount!.subject).toBe(NOTICE_SUBJECT);
    expect(noAccount!.text).toContain('no Edge Accounts account uses this address');
    expect(noAccount!.link).toBe(`${ORIGIN}/register`);
    expect(noAccount!.code).toBeUndefined();

    // Deactivated: nothing at all (the response waited for the after-response work).
    expect(await mailsSince(deactivated.email, since)).toEqual([]);

    // Must reset, never confirmed: a reset link instead of a code.
    for (const email of [mustReset.email, unconfirmed.email]) {
      const mails = await mailsSince(email, since);
      expect(mails).toHaveLength(1);
      expect(mails[0]!.subject).toBe(NOTICE_SUBJECT);
      expect(mails[0]!.link).toBe(`${ORIGIN}/password-reset`);
      expect(mails[0]!.code).toBeUndefined();
      expect(mails[0]!.text).not.toMatch(/[A-Z2-9]{4}-[A-Z2-9]{4}/);
    }
  });

  it('a code sent before the account was deactivated no longer signs in', async () => {
    const { email } = await confirmedAccount();
    const { codeCookie, code } = await askForCode(email);
    await setUserFlag(email, 'is_active', 0);
    const res = await enterCode(codeCookie, code);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login');
    expect(sessionFrom(res)).toBeUndefined();
    expect(cookieFrom(res, 'pending_sign_in')).toBeUndefined();
    expect(await signInEvents(email)).toEqual([]);
  });

  it('a code sent before the account was told to reset its password no longer signs in', async () => {
    const { email } = await confirmedAccount();
    const { codeCookie, code } = await askForCode(email);
    await setUserFlag(email, 'must_reset_password', 1);
    const res = await enterCode(codeCookie, code);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login');
    expect(sessionFrom(res)).toBeUndefined();
  });
});

describe('a code is the first factor only', () => {
  it('an account with an authenticator app is asked for its code next, and signs in with method email_code', async () => {
    const account = await accountWithTwoFactor();
    // Signed up in the suite's "after" mode: the address is confirmed through the link
    // of its confirmation mail (test/password-reset-helpers.ts), over HTTP.
    await confirmAddress(account.email);
    const { codeCookie, code } = await askForCode(account.email, '/profile');

    const first = await enterCode(codeCookie, code);
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/login/two-factor');
    expect(sessionFrom(first)).toBeUndefined();
    const pending = cookieFrom(first, 'pending_sign_in')!;
    expect(pending).toBeTruthy();
    expect(await signInEvents(account.email)).toEqual([]);

    const page = await get('/login/two-factor', pending);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('The emailed code was right.');

    const done = await secondStep(pending, await account.app.nextCode());
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/profile');
    const session = sessionFrom(done)!;
    expect(await isSignedIn(session)).toBe(true);
    expect((await signInEvents(account.email)).at(-1)).toMatchObject({ method: 'email_code' });
    expect(await (await get('/account/activity', session)).text()).toContain('Signed in with emailed code');
  });

  it('an account with a passkey is asked for it next, and signs in with it', async () => {
    const account = await signUpAndSignIn();
    const authenticator = await addPasskey(account.cookie, await userIdOf(account.email));
    await confirmAddress(account.email);
    const { codeCookie, code } = await askForCode(account.email);

    const first = await enterCode(codeCookie, code);
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/login/two-factor');
    expect(sessionFrom(first)).toBeUndefined();
    const pending = cookieFrom(first, 'pending_sign_in')!;
    expect(await (await get('/login/two-factor', pending)).text()).toContain('Use your passkey');

    const res = await passkeySecondStep(authenticator, pending);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ redirect: '/dashboard' });
    expect(await isSignedIn(sessionFrom(res)!)).toBe(true);
    expect((await signInEvents(account.email)).at(-1)).toMatchObject({ method: 'email_code' });
  });
});

// What the two-factor page's script does with a passkey: options, the answer, posted.
async function passkeySecondStep(authenticator: SoftAuthenticator, pending: string) {
  const options = await postJson('/login/passkey/options', { secondStep: true }, pending);
  expect(options.status).toBe(200);
  const { publicKey } = (await options.json()) as { publicKey: { challenge: string } };
  const answer = await authenticator.assert({ challenge: publicKey.challenge, rpId: 'localhost', origin: ORIGIN });
  const body = {
    secondStep: true,
    id: authenticator.id,
    clientDataJSON: b64(answer.clientDataJSON),
    authenticatorData: b64(answer.authenticatorData),
    signature: b64(answer.signature),
    userHandle: b64(answer.userHandle),
  };
  return postJson('/login/passkey', body, pending);
}

describe('the link in the mail', () => {
  it('GET only shows a button; POST signs in the browser that presses it, once; then neither the link nor the code works', async () => {
    const { email } = await confirmedAccount();
    const { codeCookie, code, link } = await askForCode(email, '/profile');
    const token = linkToken(link);
    expect(link).toBe(`${ORIGIN}/email-link?token=${encodeURIComponent(token)}`);

    // A mail scanner opening the link twice signs nobody in and spends nothing.
    for (let i = 0; i < 2; i++) {
      const opened = await fetchWith(env, `/email-link?token=${encodeURIComponent(token)}`);
      expect(opened.status).toBe(200);
      expect(opened.headers.getSetCookie()).toEqual([]);
      const html = await opened.text();
      expect(html).toContain('Sign me in');
      expect(html).toContain(email);
    }
    expect(await signInEvents(email)).toEqual([]);

    // Another browser: no code cookie, no session.
    const pressed = await fetchWith(env, '/email-link', { fields: { token } });
    expect(pressed.status).toBe(303);
    expect(pressed.headers.get('location')).toBe('/profile');
    expect(await isSignedIn(sessionFrom(pressed)!)).toBe(true);
    expect((await signInEvents(email)).at(-1)).toMatchObject({ method: 'email_code' });

    const again = await fetchWith(env, '/email-link', { fields: { token } });
    expect(again.status).toBe(400);
    expect(sessionFrom(again)).toBeUndefined();
    const reopened = await fetchWith(env, `/email-link?token=${encodeURIComponent(token)}`);
    expect(reopened.status).toBe(400);
    expect(await reopened.text()).toContain('This link no longer works');

    // The code of the same mail, in the browser that asked: spent with the link.
    const typed = await enterCode(codeCookie, code);
    expect(sessionFrom(typed)).toBeUndefined();
    expect(typed.headers.get('location')).toBe('/login');
    expect(await signInEvents(email)).toHaveLength(1);
  });

  it('a link whose code was already typed no longer works', async () => {
    const { email } = await confirmedAccount();
    const { codeCookie, code, link } = await askForCode(email);
    expect((await enterCode(codeCookie, code)).status).toBe(303);
    const pressed = await fetchWith(env, '/email-link', { fields: { token: linkToken(link) } });
    expect(pressed.status).toBe(400);
    expect(sessionFrom(pressed)).toBeUndefined();
  });
});

// The "New sign-in" alert (src/auth/sign-in-alerts.ts), triggered as test/not-me.test.ts
// does: a sign-in from a country and browser the account has not used lately. Requests
// carry request.cf and a User-Agent, and the after-response work is awaited, so a missing
// alert is a fact.
async function fromPlace(path: string, place: { country: string; city: string; userAgent: string }, init: { fields: Record<string, string>; cookie?: string }) {
  const headers: Record<string, string> = {
    'cf-connecting-ip': randomAddress(),
    'user-agent': place.userAgent,
    'content-type': 'application/x-www-form-urlencoded',
    origin: ORIGIN,
    'sec-fetch-site': 'same-origin',
    ...(init.cookie ? { cookie: init.cookie } : {}),
  };
  const ctx = createExecutionContext();
  const request = new Request(`${ORIGIN}${path}`, {
    method: 'POST',
    headers,
    redirect: 'manual',
    body: new URLSearchParams(init.fields).toString(),
    cf: { country: place.country, city: place.city },
  } as RequestInit);
  const response = await app.fetch(request, env, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

describe('the new-location alert', () => {
  const LYON = { country: 'FR', city: 'Lyon', userAgent: CHROME_WINDOWS };
  const SAO_PAULO = { country: 'BR', city: 'São Paulo', userAgent: FIREFOX_LINUX };

  async function codeSignInFrom(email: string, place: typeof LYON) {
    const since = Date.now();
    const asked = await fromPlace('/login/code', place, { fields: { email } });
    expect(asked.status).toBe(303);
    const { code } = await codeFromMail(email, CODE_SUBJECT, since);
    const done = await fromPlace('/login/code/enter', place, { fields: { code }, cookie: codeCookieFrom(asked) });
    expect(done.status).toBe(303);
    expect(sessionFrom(done)).toBeTruthy();
  }

  const alertsSince = async (email: string, since: number) => (await mailsSince(email, since)).filter((m) => m.subject.includes('New sign-in'));

  it('is sent after a code sign-in from a new place, not from a familiar one', async () => {
    const { username, email } = await confirmedAccount();
    // The first sign-in (a password, from Lyon) is the account's history; it alerts nobody.
    const start = Date.now();
    expect((await fromPlace('/login', LYON, { fields: { login: username, password: STRONG_PASSWORD } })).status).toBe(303);
    await codeSignInFrom(email, LYON);
    expect(await alertsSince(email, start)).toEqual([]);

    const before = Date.now();
    await codeSignInFrom(email, SAO_PAULO);
    const alerts = await alertsSince(email, before);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.text).toContain('São Paulo, BR');
    expect(alerts[0]!.text).toContain('Firefox');
    expect((await signInEvents(email)).map((d) => d.method)).toEqual(['password', 'email_code', 'email_code']);
  });
});
