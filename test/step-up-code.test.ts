import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { cookieFrom, isSignedIn, sessionCookieFrom, signUpAndSignIn, STRONG_PASSWORD } from './helpers';
import { codeCookieFrom, codeFromMail, fetchWith, passwordlessAccount } from './email-code-helpers';

// "Confirm it is you" with a code sent by email, for an account without a password
// (src/account/step-up-code.ts), over HTTP. Every request goes through fetchWith, which
// waits for the mail the request sends after its response.

const NEW_PASSWORD = 'amber harbour kettle 31';
const CODE_SUBJECT = 'is your Edge Accounts confirmation code';
const NEXT = '/account/password';
const CONFIRM_PAGE = `/account/confirm?next=${encodeURIComponent(NEXT)}`;
const SEND = `/account/confirm-code/send?next=${encodeURIComponent(NEXT)}`;
const ENTER = `/account/confirm-code?next=${encodeURIComponent(NEXT)}`;

async function userIdOf(email: string): Promise<string> {
  return (await env.DB.prepare('select id from users where email = ?').bind(email).first<{ id: string }>())!.id;
}

async function lockoutFailures(email: string): Promise<number> {
  const row = await env.DB.prepare('select failures from login_failures where key = ?').bind(`user:${await userIdOf(email)}`).first<{ failures: number }>();
  return row?.failures ?? 0;
}


function setPassword(session: string, password = NEW_PASSWORD) {
  return fetchWith(env, '/account/password', { cookie: session, fields: { password, passwordConfirm: password } });
}

// The password form of an account that has not confirmed: sent to /account/confirm.
async function expectAskedToConfirm(session: string) {
  const res = await setPassword(session);
  expect(res.status).toBe(303);
  expect(res.headers.get('location')).toBe(CONFIRM_PAGE);
}

// "Email me a code": the browser's code cookie, and the code from the mail.
async function sendCode(session: string, email: string) {
  const since = Date.now();
  const sent = await fetchWith(env, SEND, { cookie: session, fields: {} });
  expect(sent.status).toBe(303);
  expect(sent.headers.get('location')).toBe(ENTER);
  const { code } = await codeFromMail(email, CODE_SUBJECT, since);
  return { codeCookie: codeCookieFrom(sent), code };
}

function enterCode(cookies: string, code: string) {
  return fetchWith(env, ENTER, { cookie: cookies, fields: { code } });
}

// The one-time message the next page shows (its cookie: the message, encoded twice).
function flashOf(res: Response): string {
  const value = cookieFrom(res, 'flash')?.slice('flash='.length) ?? '';
  return decodeURIComponent(decodeURIComponent(value));
}

// Signs the same account in from another browser, with an emailed sign-in code.
async function anotherSession(email: string): Promise<string> {
  const since = Date.now();
  const asked = await fetchWith(env, '/login/code', { fields: { email } });
  expect(asked.status).toBe(303);
  const { code } = await codeFromMail(email, 'is your Edge Accounts sign-in code', since);
  const done = await fetchWith(env, '/login/code/enter', { cookie: codeCookieFrom(asked), fields: { code } });
  expect(done.status).toBe(303);
  return sessionCookieFrom(done);
}

describe('confirming with an emailed code (account without a password)', () => {
  it('a first password is refused until a code confirms it is you; then it is set and signs in', async () => {
    const { username, email, session } = await passwordlessAccount('stepup');
    await expectAskedToConfirm(session);

    const page = await fetchWith(env, CONFIRM_PAGE, { cookie: session });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Email me a code');
    expect(html).toContain(`action="${SEND}"`);

    const { codeCookie, code } = await sendCode(session, email);
    const cookies = `${session}; ${codeCookie}`;
    const codePage = await fetchWith(env, ENTER, { cookie: cookies });
    expect(codePage.status).toBe(200);
    expect(await codePage.text()).toContain(email);

    const done = await enterCode(cookies, code);
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(NEXT);
    expect(flashOf(done)).toContain('Confirmed.');

    const set = await setPassword(session);
    expect(set.status).toBe(303);
    expect(set.headers.get('location')).toBe('/account');
    expect(flashOf(set)).toContain('set: you can now sign in with it too');

    const signIn = await fetchWith(env, '/login', { fields: { login: username, password: NEW_PASSWORD } });
    expect(signIn.status).toBe(303);
    expect(await isSignedIn(sessionCookieFrom(signIn))).toBe(true);
  });

  it('a wrong code is refused with the tries left and counts toward the lockout; the right one then works', async () => {
    const { email, session } = await passwordlessAccount('stepup');
    const { codeCookie, code } = await sendCode(session, email);
    const cookies = `${session}; ${codeCookie}`;

    const wrong = await enterCode(cookies, code === 'AAAA-AAAA' ? 'BBBB-BBBB' : 'AAAA-AAAA');
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('4 tries left');
    expect(await lockoutFailures(email)).toBe(1);
    await expectAskedToConfirm(session);

    const right = await enterCode(cookies, code);
    expect(right.status).toBe(303);
    expect(right.headers.get('location')).toBe(NEXT);
  });

  it('the cookie replayed after use confirms nothing more', async () => {
    const { email, session } = await passwordlessAccount('stepup');
    const { codeCookie, code } = await sendCode(session, email);
    const cookies = `${session}; ${codeCookie}`;
    expect((await enterCode(cookies, code)).headers.get('location')).toBe(NEXT);

    const replay = await enterCode(cookies, code);
    expect(replay.status).toBe(303);
    expect(replay.headers.get('location')).toBe('/account');
    expect(flashOf(replay)).toContain('That code has expired');
  });

  it('is bound to the browser that asked: the code typed in another session of the account fails, and the confirmation does not carry over', async () => {
    const { email, session } = await passwordlessAccount('stepup');
    // Signed in first: a sign-in code for the address would replace the step-up code.
    const other = await anotherSession(email);
    const { codeCookie, code } = await sendCode(session, email);

    // The same account's other browser, without the code cookie.
    const elsewhere = await enterCode(other, code);
    expect(elsewhere.status).toBe(303);
    expect(elsewhere.headers.get('location')).toBe('/account');
    expect(flashOf(elsewhere)).toContain('That code has expired');
    await expectAskedToConfirm(other);

    // Still works in the browser that asked; the other session stays unconfirmed.
    const here = await enterCode(`${session}; ${codeCookie}`, code);
    expect(here.status).toBe(303);
    expect(here.headers.get('location')).toBe(NEXT);
    await expectAskedToConfirm(other);
    const set = await setPassword(session);
    expect(set.status).toBe(303);
    expect(set.headers.get('location')).toBe('/account');
  });

  it('is bound to the account: another account\u2019s code or its browser cookie confirms nothing', async () => {
    const alice = await passwordlessAccount('stepup');
    const bob = await passwordlessAccount('stepup');
    const aliceCode = await sendCode(alice.session, alice.email);
    const bobCode = await sendCode(bob.session, bob.email);

    // Alice types Bob's code in her browser: wrong for her code.
    const crossed = await enterCode(`${alice.session}; ${aliceCode.codeCookie}`, bobCode.code);
    expect(crossed.status).toBe(401);
    await expectAskedToConfirm(alice.session);

    // Bob, signed in on the browser where Alice asked (her code cookie), types her code.
    const shared = await enterCode(`${bob.session}; ${aliceCode.codeCookie}`, aliceCode.code);
    expect(shared.status).toBe(303);
    expect(shared.headers.get('location')).toBe('/account');
    expect(flashOf(shared)).toContain('That code has expired');
    await expectAskedToConfirm(bob.session);
    await expectAskedToConfirm(alice.session);
  });
});

describe('an account with a password', () => {
  it('/account/confirm sends it back (the password is typed on the form itself)', async () => {
    const { cookie } = await signUpAndSignIn();
    const res = await fetchWith(env, CONFIRM_PAGE, { cookie });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(NEXT);
    // Changing the password still takes the current one.
    const withoutCurrent = await setPassword(cookie);
    expect(withoutCurrent.status).toBe(422);
    const changed = await fetchWith(env, '/account/password', { cookie, fields: { currentPassword: STRONG_PASSWORD, password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD } });
    expect(changed.status).toBe(303);
  });

  it('a code issued for another account fails at /account/confirm-code', async () => {
    const { cookie } = await signUpAndSignIn();
    const other = await passwordlessAccount('stepup');
    const issued = await sendCode(other.session, other.email);

    const res = await enterCode(`${cookie}; ${issued.codeCookie}`, issued.code);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/account');
    expect(flashOf(res)).toContain('That code has expired');
  });
});
