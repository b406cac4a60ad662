import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { hasRecentIdentityConfirmation, recordIdentityConfirmation } from '../src/auth/identity-confirmation';
import { createDb } from '../src/db/client';
import { cookieFrom, get, postForm, sessionCookieFrom, STRONG_PASSWORD, uniqueName, signUpAndSignIn } from './helpers';
import { chooseUsername, LOCAL_NAME, signInAtLocal } from './provider-helpers';

// The step-up of an account made through a provider (it has no password): sign in with
// its provider again, in this session, within 10 minutes. Against the real local OpenID
// provider started by the vitest global setup.

async function providerAccount() {
  const login = uniqueName('pconf');
  const { res } = await signInAtLocal(login);
  const done = await chooseUsername(res, login);
  expect(done.status).toBe(303);
  const cookie = sessionCookieFrom(done);
  const user = (await env.DB.prepare('select id from users where username_key = ?').bind(login.toLowerCase()).first<{ id: string }>())!;
  return { login, cookie, id: user.id };
}

// "Confirm it is you": /account/confirm/local, the provider's screen as `login`, and back.
async function confirmAs(cookie: string, login: string, next: string) {
  const { res } = await signInAtLocal(login, { path: `/account/confirm/local?next=${encodeURIComponent(next)}`, cookie });
  return res;
}

async function userExists(id: string): Promise<boolean> {
  return Boolean(await env.DB.prepare('select 1 as x from users where id = ?').bind(id).first());
}

async function confirmations(id: string): Promise<number> {
  return (await env.DB.prepare("select count(*) as n from security_events where user_id = ? and type = 'identity_confirmed'").bind(id).first<{ n: number }>())!.n;
}

describe('an account without a password confirms it is you through its provider', () => {
  it('the delete form offers the confirmation instead of a password field, and a delete without one changes nothing', async () => {
    const { cookie, id } = await providerAccount();
    const page = await (await get('/account/delete', cookie)).text();
    expect(page).not.toContain('type="password"');
    expect(page).toContain('href="/account/confirm?next=%2Faccount%2Fdelete"');

    const refused = await postForm('/account/delete', {}, { cookie });
    expect(refused.status).toBe(303);
    expect(refused.headers.get('location')).toBe('/account/confirm?next=%2Faccount%2Fdelete');
    expect(await userExists(id)).toBe(true);

    const confirm = await (await get('/account/confirm?next=%2Faccount%2Fdelete', cookie)).text();
    expect(confirm).toContain(`Continue with ${LOCAL_NAME}`);
    expect(confirm).toContain('action="/account/confirm/local?next=%2Faccount%2Fdelete"');
  });

  it('after signing in with the provider again, the delete goes ahead', async () => {
    const { login, cookie, id } = await providerAccount();
    const back = await confirmAs(cookie, login, '/account/delete');
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe('/account/delete');
    expect(await confirmations(id)).toBe(1);
    const flash = cookieFrom(back, 'flash');
    expect(await (await get('/account/delete', `${cookie}; ${flash}`)).text()).toContain(`you confirmed it is you with ${LOCAL_NAME}`);
    expect(await (await get('/account/activity', cookie)).text()).toContain(`Confirmed it was you with ${LOCAL_NAME}`);

    const deleted = await postForm('/account/delete', {}, { cookie });
    expect(deleted.status).toBe(303);
    expect(deleted.headers.get('location')).toBe('/');
    expect(await userExists(id)).toBe(false);
  });

  it('asks the provider for a fresh sign-in (max_age), not a session it kept', async () => {
    const { cookie } = await providerAccount();
    const res = await postForm('/account/confirm/local?next=%2Faccount%2Fdelete', {}, { cookie });
    expect(res.status).toBe(303);
    expect(new URL(res.headers.get('location')!).searchParams.get('max_age')).toBe('300');
    // An ordinary sign-in does not ask for one.
    const signIn = await postForm('/oauth/local/start', {});
    expect(new URL(signIn.headers.get('location')!).searchParams.get('max_age')).toBeNull();
  });

  it('someone else’s identity at the provider confirms nothing', async () => {
    const { cookie, id } = await providerAccount();
    const back = await confirmAs(cookie, uniqueName('someoneelse'), '/account/delete');
    expect(back.status).toBe(403);
    expect(await back.text()).toContain('That is not the account linked here');
    expect(await confirmations(id)).toBe(0);
    expect((await postForm('/account/delete', {}, { cookie })).headers.get('location')).toMatch(/^\/account\/confirm/);
  });

  it('counts only in the session that confirmed', async () => {
    const { login, cookie, id } = await providerAccount();
    const other = sessionCookieFrom((await signInAtLocal(login)).res);
    await confirmAs(cookie, login, '/account/export');
    expect(await confirmations(id)).toBe(1);
    const refused = await postForm('/account/export', {}, { cookie: other });
    expect(refused.status).toBe(303);
    expect(refused.headers.get('location')).toBe('/account/confirm?next=%2Faccount%2Fexport');
    const allowed = await postForm('/account/export', {}, { cookie });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('content-type')).toBe('application/zip');
  });

  it('sets a first password, which then signs in', async () => {
    const { login, cookie } = await providerAccount();
    const page = await (await get('/account/password', cookie)).text();
    expect(page).toContain('Set a password');
    expect(page).not.toContain('name="currentPassword"');
    const fields = { password: STRONG_PASSWORD, passwordConfirm: STRONG_PASSWORD };
    expect((await postForm('/account/password', fields, { cookie })).headers.get('location')).toBe('/account/confirm?next=%2Faccount%2Fpassword');

    await confirmAs(cookie, login, '/account/password');
    const set = await postForm('/account/password', fields, { cookie });
    expect(set.status).toBe(303);
    const signedIn = await postForm('/login', { login, password: STRONG_PASSWORD });
    expect(signedIn.status).toBe(303);
    // From now on it has a password, and the password is what the forms ask for.
    const methods = await (await get('/account/sign-in-methods', sessionCookieFrom(signedIn))).text();
    expect(methods).toContain('Set.');
    expect(await (await get('/account/delete', sessionCookieFrom(signedIn))).text()).toContain('type="password"');
  });

  it('links another provider, and turns on the authenticator app, after confirming', async () => {
    const { login, cookie } = await providerAccount();
    expect((await postForm('/account/sign-in-methods/github/link', {}, { cookie })).headers.get('location')).toBe(
      '/account/confirm?next=%2Faccount%2Fsign-in-methods',
    );
    expect((await postForm('/account/security/totp', {}, { cookie })).headers.get('location')).toBe('/account/confirm?next=%2Faccount%2Fsecurity');
    await confirmAs(cookie, login, '/account/sign-in-methods');
    const link = await postForm('/account/sign-in-methods/github/link', {}, { cookie });
    expect(link.status).toBe(303);
    expect(link.headers.get('location')).not.toMatch(/^\/account/);
    const totp = await postForm('/account/security/totp', {}, { cookie });
    expect(totp.headers.get('location')).toBe('/account/security/totp/setup');
  });
});

describe('accounts with a password', () => {
  it('an empty password is asked for again and is not counted as a guess', async () => {
    const { username, cookie } = await signUpAndSignIn();
    const res = await postForm('/account/delete', { password: '' }, { cookie });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('Enter your password.');
    const { id } = (await env.DB.prepare('select id from users where username = ?').bind(username).first<{ id: string }>())!;
    expect(await env.DB.prepare('select failures from login_failures where key = ?').bind(`user:${id}`).first()).toBeNull();
  });

  it('/account/confirm sends them back: they type the password on the page itself', async () => {
    const { cookie } = await signUpAndSignIn();
    const res = await get('/account/confirm?next=%2Faccount%2Fdelete', cookie);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/account/delete');
  });
});

describe('the confirmation window', () => {
  it('lasts 10 minutes, for the session it was made in', async () => {
    const db = createDb(env.DB);
    const { username } = await signUpAndSignIn();
    const { id: userId } = (await env.DB.prepare('select id from users where username = ?').bind(username).first<{ id: string }>())!;
    const at = Date.now();
    await recordIdentityConfirmation(db, userId, 'session-a', { provider: 'local', providerName: LOCAL_NAME }, {}, at);
    expect(await hasRecentIdentityConfirmation(db, userId, 'session-a', at + 9 * 60_000)).toBe(true);
    expect(await hasRecentIdentityConfirmation(db, userId, 'session-a', at + 11 * 60_000)).toBe(false);
    expect(await hasRecentIdentityConfirmation(db, userId, 'session-b', at + 60_000)).toBe(false);
  });
});
