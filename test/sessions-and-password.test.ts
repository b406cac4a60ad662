import { describe, expect, it } from 'vitest';
import { describeUserAgent } from '../src/auth/user-agent';
import { get, postForm, sessionCookieFrom, sessionIdOf, signUpAndSignIn, STRONG_PASSWORD, waitForMail } from './helpers';

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0';
const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1';
const NEW_PASSWORD = 'amber harbour kettle 31';

async function signInAgain(username: string, userAgent: string) {
  const res = await postForm('/login', { login: username, password: STRONG_PASSWORD }, { headers: { 'user-agent': userAgent } });
  expect(res.status).toBe(303);
  return sessionCookieFrom(res);
}

describe('sessions page', () => {
  it('lists every signed-in device, marks this one, and names browsers', async () => {
    const { cookie, username } = await signUpAndSignIn();
    await signInAgain(username, FIREFOX);
    await signInAgain(username, IPHONE);
    const html = await (await get('/account/sessions', cookie)).text();
    expect(html.match(/<tr>/g)?.length).toBe(4); // header + 3 sessions
    expect(html).toContain('Firefox on Linux');
    expect(html).toContain('Safari on iOS');
    expect(html).toContain('This device');
    expect(html).toContain('Sign out all other sessions (2)');
  });

  it('signs out one chosen session', async () => {
    const { cookie, username } = await signUpAndSignIn();
    const other = await signInAgain(username, FIREFOX);
    const res = await postForm(`/account/sessions/${sessionIdOf(other)}/revoke`, {}, { cookie });
    expect(res.status).toBe(303);
    expect((await get('/dashboard', other)).status).toBe(302);
    expect((await get('/dashboard', cookie)).status).toBe(200);
  });

  it('signs out all others and keeps this one', async () => {
    const { cookie, username } = await signUpAndSignIn();
    const a = await signInAgain(username, FIREFOX);
    const b = await signInAgain(username, IPHONE);
    const res = await postForm('/account/sessions/revoke-others', {}, { cookie });
    expect(res.status).toBe(303);
    expect((await get('/dashboard', a)).status).toBe(302);
    expect((await get('/dashboard', b)).status).toBe(302);
    // This device carries on with a fresh token; the old one ended with the others.
    const renewed = sessionCookieFrom(res);
    expect(renewed).not.toBe(cookie);
    expect((await get('/dashboard', renewed)).status).toBe(200);
    expect((await get('/dashboard', cookie)).status).toBe(302);
  });

  it('cannot sign out another user\u2019s session', async () => {
    const victim = await signUpAndSignIn();
    const attacker = await signUpAndSignIn();
    await postForm(`/account/sessions/${sessionIdOf(victim.cookie)}/revoke`, {}, { cookie: attacker.cookie });
    expect((await get('/dashboard', victim.cookie)).status).toBe(200);
  });

  it('requires sign-in', async () => {
    expect((await get('/account/sessions')).status).toBe(302);
  });
});

describe('changing the password', () => {
  it('keeps this session and signs out the others', async () => {
    const { cookie, username } = await signUpAndSignIn();
    const other = await signInAgain(username, FIREFOX);
    const res = await postForm('/account/password', { currentPassword: STRONG_PASSWORD, password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD }, { cookie });
    expect(res.status).toBe(303);
    const renewed = sessionCookieFrom(res);
    expect((await get('/dashboard', renewed)).status).toBe(200);
    expect((await get('/dashboard', cookie)).status).toBe(302);
    expect((await get('/dashboard', other)).status).toBe(302);
    expect((await postForm('/login', { login: username, password: NEW_PASSWORD })).status).toBe(303);
    expect((await postForm('/login', { login: username, password: STRONG_PASSWORD })).status).toBe(401);
  });

  it('tells the owner by email, with a way to take the account back', async () => {
    const { cookie, email } = await signUpAndSignIn();
    await postForm('/account/password', { currentPassword: STRONG_PASSWORD, password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD }, { cookie });
    const notice = await waitForMail(email, 'password was changed');
    expect(notice.link).toBe('http://localhost:8787/password-reset');
  });

  it('needs the current password', async () => {
    const { cookie } = await signUpAndSignIn();
    const res = await postForm('/account/password', { currentPassword: 'not it at all', password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD }, { cookie });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('Your current password is wrong.');
  });

  it('applies the sign-up password rules', async () => {
    const { cookie } = await signUpAndSignIn();
    const res = await postForm('/account/password', { currentPassword: STRONG_PASSWORD, password: '12345678', passwordConfirm: '1234567' }, { cookie });
    const html = await res.text();
    expect(res.status).toBe(422);
    expect(html).toContain('cannot be entirely numeric');
    expect(html).toContain('The two passwords do not match.');
  });
});

describe('describeUserAgent', () => {
  it.each([
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36', 'Chrome on Windows'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15', 'Safari on macOS'],
    ['Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36 Edg/140.0', 'Edge on Windows'],
    ['Mozilla/5.0 (Linux; Android 15) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Mobile Safari/537.36', 'Chrome on Android'],
    [FIREFOX, 'Firefox on Linux'],
    [undefined, 'Unknown device'],
  ])('%s', (ua, expected) => {
    expect(describeUserAgent(ua)).toBe(expected);
  });
});
