import { env, SELF } from 'cloudflare:test';
import { inject } from 'vitest';
import { describe, expect, it } from 'vitest';
import { cookieFrom, get, mailsTo, ORIGIN, postForm, randomAddress, sessionCookieFrom, signUp, signUpAndSignIn, STRONG_PASSWORD, uniqueName, waitForMail } from './helpers';
import { loginAtLocalProvider } from './oidc-login';
import { callback, chooseUsername, LOCAL_NAME, signInAtLocal, startAt } from './provider-helpers';
import { confirmAddress } from './password-reset-helpers';
import { accountWithTwoFactor, secondStep } from './two-factor-helpers';

// Over HTTP against the real local OpenID provider (and the GitHub stand-in: GitHub itself
// cannot run here), started by the vitest global setup.

async function userRow(email: string) {
  return env.DB.prepare('select id, username, email_verified_at as verified, password_hash as hash from users where email = ?').bind(email).first<{ id: string; username: string; verified: number | null; hash: string }>();
}

async function identitiesOf(userId: string) {
  return (await env.DB.prepare('select issuer, subject, provider_id as provider from user_identities where user_id = ?').bind(userId).all<{ issuer: string; subject: string; provider: string }>()).results;
}

async function identityCount(subject: string) {
  return (await env.DB.prepare('select count(*) as n from user_identities where subject = ?').bind(subject).first<{ n: number }>())!.n;
}

async function eventTypes(userId: string) {
  return (await env.DB.prepare('select type from security_events where user_id = ?').bind(userId).all<{ type: string }>()).results.map((r) => r.type);
}

describe('the buttons', () => {
  it('the sign-in and sign-up pages offer every configured provider, keeping ?next=', async () => {
    const login = await (await get('/login?next=/profile')).text();
    expect(login).toContain(`Continue with ${LOCAL_NAME}`);
    expect(login).toContain('Continue with GitHub');
    expect(login).toContain('action="/oauth/local/start?next=%2Fprofile"');
    expect(await (await get('/register')).text()).toContain('action="/oauth/github/start"');
  });

  it('an unknown provider is a 404, at the start and at the callback', async () => {
    expect((await postForm('/oauth/nope/start', {})).status).toBe(404);
    expect((await get('/oauth/nope/callback?code=x&state=y')).status).toBe(404);
  });
});

describe('a new account through a provider', () => {
  it('asks for a username, creates the account with its identity and a confirmed address, and signs in', async () => {
    const login = uniqueName('pnew');
    const { res } = await signInAtLocal(login, { query: '?next=/profile' });
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('Choose your username');
    expect(page).toContain(`value="${login}"`);
    // Nothing exists until the username is chosen.
    expect(await userRow(`${login}@local.example`)).toBeNull();

    const done = await chooseUsername(res, `${login}x`);
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/profile');
    expect((await get('/dashboard', sessionCookieFrom(done))).status).toBe(200);
    const user = (await userRow(`${login}@local.example`))!;
    expect(user.username).toBe(`${login}x`);
    expect(user.verified).not.toBeNull();
    expect(await identitiesOf(user.id)).toEqual([{ issuer: inject('oidcIssuer'), subject: login, provider: 'local' }]);
    expect(await eventTypes(user.id)).toEqual(expect.arrayContaining(['signed_up', 'sign_in']));
    expect(await mailsTo(`${login}@local.example`)).toEqual([]);
    // No password opens it: answered like a wrong password.
    expect((await postForm('/login', { login: `${login}x`, password: '!' })).status).toBe(401);
    expect((await postForm('/login', { login: `${login}x`, password: STRONG_PASSWORD })).status).toBe(401);
    // Signing in again with the provider finds the same account.
    const again = await signInAtLocal(login);
    expect(again.res.status).toBe(303);
    expect((await get('/dashboard', sessionCookieFrom(again.res))).status).toBe(200);
  });

  it('activity says which provider signed in, and so does the sessions page, also after a second step', async () => {
    const { res } = await signInAtLocal(uniqueName('pact'));
    const session = sessionCookieFrom(await chooseUsername(res, uniqueName('pact')));
    expect(await (await get('/account/activity', session)).text()).toContain(`Signed in with ${LOCAL_NAME}`);
    expect(await (await get('/account/sessions', session)).text()).toContain(`with ${LOCAL_NAME}`);

    const { email, app } = await accountWithTwoFactor();
    await confirmAddress(email);
    const pending = cookieFrom((await signInAtLocal(email)).res, 'pending_sign_in')!;
    const done = sessionCookieFrom(await secondStep(pending, await app.nextCode()));
    expect(await (await get('/account/activity', done)).text()).toContain(`Signed in with ${LOCAL_NAME}`);
    expect(await (await get('/account/sessions', done)).text()).toContain(`with ${LOCAL_NAME}`);
    expect(await (await get('/account/sessions', done)).text()).toContain('with password');
  });

  it('with an address the provider did not verify: the confirmation mail is sent, the address stays unconfirmed', async () => {
    const login = uniqueName('punv');
    const { res } = await signInAtLocal(`${login}+unverified`);
    const done = await chooseUsername(res, login);
    expect(done.status).toBe(303);
    const user = (await userRow(`${login}@local.example`))!;
    expect(user.verified).toBeNull();
    await waitForMail(`${login}@local.example`, 'Confirm your email address');
  });

  it('keeps the sign-up rules: a taken username is refused, and an altered claims cookie is not accepted', async () => {
    const taken = await signUp();
    const login = uniqueName('ptaken');
    const { res } = await signInAtLocal(login);
    const pending = cookieFrom(res, 'provider_account')!;
    const refused = await postForm('/oauth/local/username', { username: taken.username.toUpperCase() }, { cookie: pending });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain('already exists');
    // Another account's address as a username would shadow it at sign-in.
    expect((await postForm('/oauth/local/username', { username: taken.email }, { cookie: pending })).status).toBe(422);
    const [name, value] = pending.split('=');
    const altered = `${name}=${value!.slice(0, 10)}${value![10] === 'A' ? 'B' : 'A'}${value!.slice(11)}`;
    expect((await postForm('/oauth/local/username', { username: login }, { cookie: altered })).status).toBe(400);
    expect(await userRow(`${login}@local.example`)).toBeNull();
  });

  it('works with the GitHub stand-in', async () => {
    const login = uniqueName('gh');
    const start = await startAt('github');
    expect(start.res.status).toBe(303);
    const authorize = new URL(start.location!);
    expect(authorize.href.startsWith(inject('githubStandIn'))).toBe(true);
    authorize.searchParams.set('login', login);
    const back = new URL((await fetch(authorize, { redirect: 'manual' })).headers.get('location')!);
    const res = await callback(back, start.flow);
    expect(res.status).toBe(200);
    const done = await postForm('/oauth/github/username', { username: login }, { cookie: cookieFrom(res, 'provider_account') });
    expect(done.status).toBe(303);
    const user = (await userRow(`${login}@users.github.example`))!;
    expect(user.verified).not.toBeNull();
    expect((await identitiesOf(user.id))[0]!.provider).toBe('github');
  });
});

describe('an address an account already uses', () => {
  it('links automatically when both sides verified it, mails the owner a "This wasn\'t me" link, and signs in', async () => {
    const { username, email } = await signUp({ email: `${uniqueName('plink')}@local.example` });
    await confirmAddress(email);
    const since = Date.now();
    const { res } = await signInAtLocal(email);
    expect(res.status).toBe(303);
    expect((await get('/dashboard', sessionCookieFrom(res))).status).toBe(200);
    const user = (await userRow(email))!;
    expect(user.username).toBe(username);
    expect(await identitiesOf(user.id)).toHaveLength(1);
    expect(await eventTypes(user.id)).toContain('provider_linked');
    const mail = await waitForMail(email, 'A sign-in method was added', { after: since });
    expect(mail.text).toContain(LOCAL_NAME);
    expect(new URL(mail.link!).pathname).toBe('/not-me');
    expect((await get(`/not-me?token=${new URL(mail.link!).searchParams.get('token')}`)).status).toBe(200);
  });

  it('links nothing when the provider did not verify it: "sign in first"', async () => {
    const { email } = await signUp({ email: `${uniqueName('pref')}@local.example` });
    await confirmAddress(email);
    const { res } = await signInAtLocal(`${email}+unverified`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('An account already uses this address. Sign in to it first, then link');
    expect(res.headers.getSetCookie().some((c) => c.startsWith('session='))).toBe(false);
    expect(await identityCount(email)).toBe(0);
  });

  it('links nothing when the account never confirmed it: "sign in first"', async () => {
    const { email } = await signUp({ email: `${uniqueName('pref')}@local.example` });
    const { res } = await signInAtLocal(email);
    expect(await res.text()).toContain('Sign in to it first');
    expect(await identityCount(email)).toBe(0);
  });
});

describe('linking from Account → Sign-in methods (the callback side)', () => {
  // The start is the sign-in methods page's (password confirmed there); the return is here.
  async function linkAtLocal(cookie: string, login: string) {
    const start = await postForm('/account/sign-in-methods/local/link', { password: STRONG_PASSWORD }, { cookie });
    expect(start.status).toBe(303);
    const back = await loginAtLocalProvider(start.headers.get('location')!, login);
    return { back, flow: cookieFrom(start, 'provider_flow')! };
  }

  it('links the identity to the signed-in account, records it, mails the owner, and goes back to the page', async () => {
    const account = await signUpAndSignIn();
    const login = uniqueName('lk');
    const since = Date.now();
    const { back, flow } = await linkAtLocal(account.cookie, login);
    const res = await callback(back, `${account.cookie}; ${flow}`);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/account/sign-in-methods');
    const user = (await userRow(account.email))!;
    expect(await identitiesOf(user.id)).toEqual([{ issuer: inject('oidcIssuer'), subject: login, provider: 'local' }]);
    expect(await eventTypes(user.id)).toContain('provider_linked');
    await waitForMail(account.email, 'A sign-in method was added', { after: since });
  });

  it('refuses an identity another account already has, and a return in another account\'s session', async () => {
    const login = uniqueName('lk2');
    const first = await signInAtLocal(login);
    expect((await chooseUsername(first.res, login)).status).toBe(303);
    const account = await signUpAndSignIn();
    const taken = await linkAtLocal(account.cookie, login);
    const refused = await callback(taken.back, `${account.cookie}; ${taken.flow}`);
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain('Already linked to another account');

    const other = await signUpAndSignIn();
    const mine = await linkAtLocal(account.cookie, uniqueName('lk3'));
    const wrong = await callback(mine.back, `${other.cookie}; ${mine.flow}`);
    expect(wrong.status).toBe(403);
    expect(await identitiesOf((await userRow(other.email))!.id)).toEqual([]);
    expect(await identitiesOf((await userRow(account.email))!.id)).toEqual([]);
  });
});

describe('a second step after a provider', () => {
  it('an account with the authenticator app gets /login/two-factor, and signs in with a code', async () => {
    const { email, app } = await accountWithTwoFactor();
    await confirmAddress(email);
    const { res } = await signInAtLocal(email);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login/two-factor');
    expect(res.headers.getSetCookie().some((c) => c.startsWith('session='))).toBe(false);
    const pending = cookieFrom(res, 'pending_sign_in')!;
    expect(await (await get('/login/two-factor', pending)).text()).toContain('Enter the code from your app');
    const done = await secondStep(pending, await app.nextCode());
    expect(done.status).toBe(303);
    expect((await get('/dashboard', sessionCookieFrom(done))).status).toBe(200);
  });

  it('an account with a passkey but no app is offered the passkey (test/passkey-second-step.test.ts signs in with it), and no code is accepted', async () => {
    const login = uniqueName('ppk');
    const first = await signInAtLocal(login);
    expect((await chooseUsername(first.res, login)).status).toBe(303);
    const user = (await userRow(`${login}@local.example`))!;
    // A stored passkey row stands in for a registration (that needs a browser's authenticator).
    await env.DB.prepare('insert into passkeys (id, user_id, name, algorithm, public_key, created_at) values (?, ?, ?, -7, ?, ?)')
      .bind(`pk-${login}`, user.id, 'Laptop', 'AAAA', Date.now())
      .run();
    const { res } = await signInAtLocal(login);
    expect(res.headers.get('location')).toBe('/login/two-factor');
    const pending = cookieFrom(res, 'pending_sign_in')!;
    const page = await (await get('/login/two-factor', pending)).text();
    expect(page).toContain('Use your passkey');
    expect(page).toContain('data-passkey-second-step');
    expect(page).toContain('Using your passkey needs JavaScript');
    expect(page).not.toContain('name="code"');
    const refused = await secondStep(pending, '123456');
    expect(refused.status).toBe(400);
    expect(refused.headers.getSetCookie().some((c) => c.startsWith('session='))).toBe(false);
  });
});

describe('refusals: a page that says what to do, never a 500', () => {
  it('cancelled at the provider', async () => {
    const { res } = await signInAtLocal(uniqueName('pc'), { action: 'cancel' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Sign-in cancelled');
    expect(res.headers.getSetCookie().find((c) => c.startsWith('provider_flow='))).toMatch(/Max-Age=0/);
  });

  it('a callback that belongs to another trip (state mismatch)', async () => {
    const login = uniqueName('pm');
    const mine = await startAt('local');
    const theirs = await startAt('local');
    const back = await loginAtLocalProvider(theirs.location!, login);
    const res = await callback(back, mine.flow);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('did not start here');
    expect(await identityCount(login)).toBe(0);
  });

  it('no flow cookie any more (expired)', async () => {
    const start = await startAt('local');
    const back = await loginAtLocalProvider(start.location!, uniqueName('pe'));
    const res = await callback(back);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('took too long');
  });

  it('a replayed code', async () => {
    const login = uniqueName('pr');
    const first = await signInAtLocal(login);
    expect(first.res.status).toBe(200);
    const replay = await callback(first.back, first.flow);
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain('not valid');
  });

  it('returns from a provider are limited per client address', async () => {
    const address = randomAddress();
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      statuses.push((await SELF.fetch(`${ORIGIN}/oauth/local/callback?code=x&state=y`, { redirect: 'manual', headers: { 'cf-connecting-ip': address } })).status);
    }
    expect(statuses.slice(0, 20).every((status) => status === 400)).toBe(true);
    expect(statuses[20]).toBe(429);
  });

  it('a deactivated account is not signed in to', async () => {
    const login = uniqueName('pd');
    const first = await signInAtLocal(login);
    expect((await chooseUsername(first.res, login)).status).toBe(303);
    await env.DB.prepare('update users set is_active = 0 where email = ?').bind(`${login}@local.example`).run();
    const { res } = await signInAtLocal(login);
    expect(res.status).toBe(403);
    expect(res.headers.getSetCookie().some((c) => c.startsWith('session='))).toBe(false);
  });

  it('no address from the provider', async () => {
    const { res } = await signInAtLocal(`${uniqueName('pn')}+noemail`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('did not give us an email address');
  });
});
