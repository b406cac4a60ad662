import { env, SELF } from 'cloudflare:test';
import { decodeBase64urlIgnorePadding } from '@oslojs/encoding';
import { describe, expect, it } from 'vitest';
import { passkeyThrottleKey } from '../src/auth/rate-limits';
import { accountWithTwoFactor } from './two-factor-helpers';
import { cookieFrom, get, mailsTo, ORIGIN, postForm, sessionCookieFrom, signUpAndSignIn, STRONG_PASSWORD, waitForMail } from './helpers';
import { b64, SoftAuthenticator, type Ceremony } from './passkeys-authenticator';
import { postJson } from './passkeys-helpers';

const cookies = (...parts: (string | undefined)[]) => parts.filter(Boolean).join('; ');

async function userIdOf(username: string): Promise<string> {
  return (await env.DB.prepare('select id from users where username = ?').bind(username).first<{ id: string }>())!.id;
}

async function events(userId: string, type: string) {
  const { results } = await env.DB.prepare('select details from security_events where user_id = ? and type = ?').bind(userId, type).all<{ details: string | null }>();
  return results.map((r) => JSON.parse(r.details ?? '{}') as Record<string, unknown>);
}

async function failuresOf(key: string) {
  return (await env.DB.prepare('select failures from login_failures where key = ?').bind(key).first<{ failures: number }>())?.failures;
}

async function passkeyRow(id: string) {
  return env.DB.prepare('select * from passkeys where id = ?').bind(id).first<{ user_id: string; name: string; sign_count: number; last_used_at: number | null; created_at: number }>();
}

// Options (password), the authenticator, then the answer: the passkey is on the account.
async function addPasskey(cookie: string, authenticator: SoftAuthenticator, name = 'My laptop') {
  const options = await postJson('/account/security/passkeys/options', { password: STRONG_PASSWORD }, cookie);
  expect(options.status).toBe(200);
  const { publicKey } = (await options.json()) as { publicKey: { challenge: string; rp: { id: string }; user: { id: string } } };
  const challengeCookie = cookieFrom(options, 'webauthn_register');
  expect(challengeCookie).toBeTruthy();
  const ceremony: Ceremony = { challenge: publicKey.challenge, rpId: publicKey.rp.id, origin: ORIGIN };
  const answer = await authenticator.register(ceremony);
  const body = { name, clientDataJSON: b64(answer.clientDataJSON), attestationObject: b64(answer.attestationObject), transports: ['internal', 'hybrid'] };
  const res = await postJson('/account/security/passkeys/register', body, cookies(cookie, challengeCookie));
  return { res, body, challengeCookie: challengeCookie!, publicKey };
}

async function accountWithPasskey(name?: string) {
  const account = await signUpAndSignIn();
  const userId = await userIdOf(account.username);
  const authenticator = await SoftAuthenticator.create({ userId });
  const { res } = await addPasskey(account.cookie, authenticator, name);
  expect(res.status).toBe(200);
  return { ...account, userId, authenticator, added: res };
}

// The sign-in page's script: options, then the authenticator's answer, ready to post.
async function prepareSignIn(authenticator: SoftAuthenticator, tweak?: (answer: Record<string, unknown>) => void) {
  const start = await postJson('/login/passkey/options', {});
  expect(start.status).toBe(200);
  const { publicKey } = (await start.json()) as { publicKey: { challenge: string; rpId: string; userVerification: string } };
  expect(publicKey.userVerification).toBe('required');
  const challengeCookie = cookieFrom(start, 'webauthn_sign_in');
  expect(challengeCookie).toBeTruthy();
  const answer = await authenticator.assert({ challenge: publicKey.challenge, rpId: publicKey.rpId, origin: ORIGIN });
  const body: Record<string, unknown> = {
    id: authenticator.id,
    clientDataJSON: b64(answer.clientDataJSON),
    authenticatorData: b64(answer.authenticatorData),
    signature: b64(answer.signature),
    userHandle: b64(answer.userHandle),
  };
  tweak?.(body);
  return { body, challengeCookie: challengeCookie! };
}

async function passkeySignIn(
  authenticator: SoftAuthenticator,
  options: { next?: string; tweak?: (answer: Record<string, unknown>) => void; userAgent?: string } = {},
) {
  const { body, challengeCookie } = await prepareSignIn(authenticator, options.tweak);
  const path = options.next === undefined ? '/login/passkey' : `/login/passkey?next=${encodeURIComponent(options.next)}`;
  const res = await postJson(path, body, challengeCookie, options.userAgent ? { 'user-agent': options.userAgent } : {});
  return { res, body, challengeCookie };
}

describe('adding a passkey', () => {
  it('stores it with its name, lists it, records the event and emails the owner', async () => {
    const { cookie, userId, email, authenticator, added } = await accountWithPasskey('Work laptop');
    expect(await added.json()).toEqual({ redirect: '/account/security/passkeys' });
    const row = await passkeyRow(authenticator.id);
    expect(row).toMatchObject({ user_id: userId, name: 'Work laptop', sign_count: 0, last_used_at: null });
    expect(await events(userId, 'passkey_added')).toEqual([{ name: 'Work laptop' }]);
    await waitForMail(email, 'A passkey was added');
    const page = await get('/account/security/passkeys', cookies(cookie, cookieFrom(added, 'flash')));
    const html = await page.text();
    expect(html).toContain('Passkey “Work laptop” added.');
    expect(html).toContain('<h2>Work laptop </h2>');
    expect(html).toMatch(/Last used<\/dt><dd>Never/);
  });

  it('asks the options only with the right password, which counts toward the lockout', async () => {
    const { cookie, username } = await signUpAndSignIn();
    const res = await postJson('/account/security/passkeys/options', { password: 'not my password' }, cookie);
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({ error: 'That password is wrong.', field: 'password' });
    expect(cookieFrom(res, 'webauthn_register')).toBeUndefined();
    const failures = await env.DB.prepare('select failures from login_failures where key = ?').bind(`user:${await userIdOf(username)}`).first<{ failures: number }>();
    expect(failures?.failures).toBe(1);
  });

  it('offers the user id as the handle, asks for a discoverable credential with user verification, and excludes the ones already added', async () => {
    const { cookie, userId, authenticator } = await accountWithPasskey();
    const res = await postJson('/account/security/passkeys/options', { password: STRONG_PASSWORD }, cookie);
    const { publicKey } = (await res.json()) as { publicKey: Record<string, unknown> & { user: { id: string }; excludeCredentials: { id: string }[] } };
    expect(new TextDecoder().decode(decodeBase64urlIgnorePadding(publicKey.user.id))).toBe(userId);
    expect(publicKey.authenticatorSelection).toEqual({ residentKey: 'required', requireResidentKey: true, userVerification: 'required' });
    expect(publicKey.rp).toEqual({ id: 'localhost', name: 'Edge Accounts' });
    expect(publicKey.excludeCredentials.map((c) => c.id)).toEqual([authenticator.id]);
  });

  it('refuses an answer from a browser that does not hold the challenge cookie', async () => {
    const { cookie } = await signUpAndSignIn();
    const authenticator = await SoftAuthenticator.create();
    const options = await postJson('/account/security/passkeys/options', { password: STRONG_PASSWORD }, cookie);
    const { publicKey } = (await options.json()) as { publicKey: { challenge: string } };
    const answer = await authenticator.register({ challenge: publicKey.challenge, rpId: 'localhost', origin: ORIGIN });
    const body = { name: 'Phone', clientDataJSON: b64(answer.clientDataJSON), attestationObject: b64(answer.attestationObject) };
    const elsewhere = await postJson('/account/security/passkeys/register', body, cookie);
    expect(elsewhere.status).toBe(400);
    expect(await passkeyRow(authenticator.id)).toBeNull();
    // The same answer from the browser that asked is fine.
    const here = await postJson('/account/security/passkeys/register', body, cookies(cookie, cookieFrom(options, 'webauthn_register')));
    expect(here.status).toBe(200);
  });

  it('uses a challenge once: the same answer posted again is refused', async () => {
    const { cookie } = await signUpAndSignIn();
    const authenticator = await SoftAuthenticator.create();
    const { res, body, challengeCookie } = await addPasskey(cookie, authenticator);
    expect(res.status).toBe(200);
    const again = await postJson('/account/security/passkeys/register', body, cookies(cookie, challengeCookie));
    expect(again.status).toBe(400);
    expect(await again.json()).toEqual({ error: 'That took too long. Please try again.' });
  });

  it('refuses an answer for another origin, and an empty name', async () => {
    const { cookie } = await signUpAndSignIn();
    const authenticator = await SoftAuthenticator.create();
    const options = await postJson('/account/security/passkeys/options', { password: STRONG_PASSWORD }, cookie);
    const { publicKey } = (await options.json()) as { publicKey: { challenge: string } };
    const answer = await authenticator.register({ challenge: publicKey.challenge, rpId: 'localhost', origin: 'https://evil.example' });
    const body = { name: 'Phone', clientDataJSON: b64(answer.clientDataJSON), attestationObject: b64(answer.attestationObject) };
    const res = await postJson('/account/security/passkeys/register', body, cookies(cookie, cookieFrom(options, 'webauthn_register')));
    expect(res.status).toBe(400);
    expect(await passkeyRow(authenticator.id)).toBeNull();
    const unnamed = await postJson('/account/security/passkeys/register', { ...body, name: '   ' }, cookie);
    expect(unnamed.status).toBe(422);
  });

  it('needs a signed-in user', async () => {
    const res = await postJson('/account/security/passkeys/options', { password: STRONG_PASSWORD });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toMatch(/^\/login\?next=/);
  });
});

describe('renaming and removing a passkey', () => {
  it('renames it', async () => {
    const { cookie, authenticator } = await accountWithPasskey('Old name');
    const res = await postForm(`/account/security/passkeys/${authenticator.id}/rename`, { name: '  Phone   in my pocket ' }, { cookie });
    expect(res.status).toBe(303);
    expect((await passkeyRow(authenticator.id))!.name).toBe('Phone in my pocket');
  });

  it('keeps the old name when the new one is empty or too long, and says why', async () => {
    const { cookie, authenticator } = await accountWithPasskey('Kept');
    for (const name of ['', 'x'.repeat(61)]) {
      const res = await postForm(`/account/security/passkeys/${authenticator.id}/rename`, { name }, { cookie });
      expect(res.status).toBe(422);
      expect(await res.text()).toContain('Give the passkey a name of at most 60 characters.');
    }
    expect((await passkeyRow(authenticator.id))!.name).toBe('Kept');
  });

  it('cannot touch another account’s passkey', async () => {
    const owner = await accountWithPasskey('Not yours');
    const other = await signUpAndSignIn();
    expect((await postForm(`/account/security/passkeys/${owner.authenticator.id}/rename`, { name: 'Mine now' }, { cookie: other.cookie })).status).toBe(404);
    expect((await get(`/account/security/passkeys/${owner.authenticator.id}/remove`, other.cookie)).status).toBe(404);
    expect((await postForm(`/account/security/passkeys/${owner.authenticator.id}/remove`, { password: STRONG_PASSWORD }, { cookie: other.cookie })).status).toBe(404);
    expect((await passkeyRow(owner.authenticator.id))!.name).toBe('Not yours');
  });

  it('removes it only with the password, records the event and emails the owner', async () => {
    const { cookie, userId, email, authenticator } = await accountWithPasskey('To remove');
    const confirm = await get(`/account/security/passkeys/${authenticator.id}/remove`, cookie);
    expect(confirm.status).toBe(200);
    expect(await confirm.text()).toContain('Remove “To remove”');
    const wrong = await postForm(`/account/security/passkeys/${authenticator.id}/remove`, { password: 'wrong password' }, { cookie });
    expect(wrong.status).toBe(422);
    expect(await wrong.text()).toContain('That password is wrong.');
    expect(await passkeyRow(authenticator.id)).not.toBeNull();
    const res = await postForm(`/account/security/passkeys/${authenticator.id}/remove`, { password: STRONG_PASSWORD }, { cookie });
    expect(res.status).toBe(303);
    expect(await passkeyRow(authenticator.id)).toBeNull();
    expect(await events(userId, 'passkey_removed')).toEqual([{ name: 'To remove' }]);
    await waitForMail(email, 'A passkey was removed');
    // And it no longer signs in.
    expect((await passkeySignIn(authenticator)).res.status).toBe(401);
  });
});

describe('signing in with a passkey', () => {
  it('signs in with the passkey alone: a session, the event with its method, the last use stored', async () => {
    const { userId, username, authenticator } = await accountWithPasskey();
    const { res } = await passkeySignIn(authenticator);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ redirect: '/dashboard' });
    const session = sessionCookieFrom(res);
    const dashboard = await get('/dashboard', session);
    expect(dashboard.status).toBe(200);
    expect(await dashboard.text()).toContain(username);
    expect(await events(userId, 'sign_in')).toContainEqual({ method: 'passkey' });
    expect((await passkeyRow(authenticator.id))!.last_used_at).toBeGreaterThan(0);
    // The challenge cookie is cleared.
    expect(res.headers.getSetCookie().some((c) => /^webauthn_sign_in=;/.test(c))).toBe(true);
  });

  it('goes to ?next= when it is a path on this site, like the password sign-in', async () => {
    const { authenticator } = await accountWithPasskey();
    const back = await passkeySignIn(authenticator, { next: '/account/security?tab=1' });
    expect(await back.res.json()).toEqual({ redirect: '/account/security?tab=1' });
    const away = await passkeySignIn(authenticator, { next: '//evil.example/' });
    expect(await away.res.json()).toEqual({ redirect: '/dashboard' });
  });

  it('counts as two factors: no code is asked for when the authenticator app is on', async () => {
    const account = await accountWithTwoFactor();
    const userId = await userIdOf(account.username);
    const authenticator = await SoftAuthenticator.create({ userId });
    expect((await addPasskey(account.cookie, authenticator)).res.status).toBe(200);
    const { res } = await passkeySignIn(authenticator);
    expect(res.status).toBe(200);
    expect((await get('/dashboard', sessionCookieFrom(res))).status).toBe(200);
  });

  it('tells the owner of a sign-in from a browser the account has not used ("was this you?")', async () => {
    const { email, authenticator } = await accountWithPasskey();
    const chrome = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36';
    const firefox = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0';
    expect((await passkeySignIn(authenticator, { userAgent: chrome })).res.status).toBe(200);
    const before = Date.now();
    expect((await passkeySignIn(authenticator, { userAgent: firefox })).res.status).toBe(200);
    const alert = await waitForMail(email, 'New sign-in', { after: before });
    expect(alert.text).toContain('Firefox on Windows');
  });

  it('stores a counting authenticator’s counter and refuses one that did not go up', async () => {
    const account = await signUpAndSignIn();
    const authenticator = await SoftAuthenticator.create({ userId: await userIdOf(account.username), counts: true });
    expect((await addPasskey(account.cookie, authenticator)).res.status).toBe(200);
    expect((await passkeySignIn(authenticator)).res.status).toBe(200);
    const stored = (await passkeyRow(authenticator.id))!.sign_count;
    expect(stored).toBe(authenticator.counter);
    authenticator.counter -= 1; // a clone, one step behind
    const { res } = await passkeySignIn(authenticator);
    expect(res.status).toBe(401);
    expect((await passkeyRow(authenticator.id))!.sign_count).toBe(stored);
  });

  it('answers a wrong signature and an unknown passkey the same way, and counts both as failed sign-ins', async () => {
    const { userId, authenticator } = await accountWithPasskey();
    const impostor = await SoftAuthenticator.create();
    const forged = await passkeySignIn(impostor, { tweak: (body) => (body.id = authenticator.id) });
    const unknown = await passkeySignIn(impostor, { tweak: (body) => (body.userHandle = null) });
    expect(forged.res.status).toBe(401);
    expect(unknown.res.status).toBe(401);
    expect(await forged.res.json()).toEqual(await unknown.res.json());
    expect(forged.res.headers.getSetCookie().some((c) => /^session=[^;]/.test(c))).toBe(false);
    // Each counted under the credential id presented, as a typed login is: not the account's.
    expect(await failuresOf(passkeyThrottleKey(authenticator.id))).toBe(1);
    expect(await failuresOf(passkeyThrottleKey(impostor.id))).toBe(1);
    expect(await failuresOf(`user:${userId}`)).toBeUndefined();
  });

  it('refuses a user handle that is not the passkey owner’s', async () => {
    const { authenticator } = await accountWithPasskey();
    const { res } = await passkeySignIn(authenticator, { tweak: (body) => (body.userHandle = b64(new TextEncoder().encode('someone-else'))) });
    expect(res.status).toBe(401);
  });

  it('uses a challenge only from the browser that asked for it, and only once', async () => {
    const { authenticator } = await accountWithPasskey();
    const { body, challengeCookie } = await prepareSignIn(authenticator);
    const elsewhere = await postJson('/login/passkey', body);
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.headers.getSetCookie().some((c) => /^session=[^;]/.test(c))).toBe(false);
    const here = await postJson('/login/passkey', body, challengeCookie);
    expect(here.status).toBe(200);
    const replay = await postJson('/login/passkey', body, challengeCookie);
    expect(replay.status).toBe(400);
    expect(await replay.json()).toEqual({ error: 'That took too long. Please try again.' });
  });

  it('refuses an account that must reset its password first ("this wasn’t me")', async () => {
    const { userId, authenticator } = await accountWithPasskey();
    await env.DB.prepare('update users set must_reset_password = 1 where id = ?').bind(userId).run();
    const { res } = await passkeySignIn(authenticator);
    expect(res.status).toBe(403);
    expect(res.headers.getSetCookie().some((c) => /^session=[^;]/.test(c))).toBe(false);
  });

  it('refuses a deactivated account like a wrong passkey', async () => {
    const { userId, authenticator } = await accountWithPasskey();
    await env.DB.prepare('update users set is_active = 0 where id = ?').bind(userId).run();
    expect((await passkeySignIn(authenticator)).res.status).toBe(401);
    // Counted like a wrong one, so it locks like a wrong one.
    expect(await failuresOf(passkeyThrottleKey(authenticator.id))).toBe(1);
  });
});

describe('the JSON endpoints', () => {
  it('refuse a cross-site request (CSRF), JSON or not', async () => {
    const res = await postJson('/login/passkey/options', {}, undefined, { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' });
    expect(res.status).toBe(403);
  });

  it('answer a body that is not theirs with the 400 page', async () => {
    for (const path of ['/login/passkey/options', '/login/passkey']) {
      const res = await postJson(path, { login: 'someone', password: 'x' });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    }
    const broken = await SELF.fetch(`${ORIGIN}/login/passkey`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN, 'sec-fetch-site': 'same-origin' },
      body: '{"id": ',
    });
    expect(broken.status).toBe(400);
  });

  it('are the only ones that take JSON: other forms still refuse it', async () => {
    const { cookie, authenticator } = await accountWithPasskey();
    const res = await postJson(`/account/security/passkeys/${authenticator.id}/rename`, { name: 'JSON' }, cookie);
    expect(res.status).toBe(400);
    expect((await passkeyRow(authenticator.id))!.name).toBe('My laptop');
  });
});

describe('pages', () => {
  it('the sign-in page offers passkeys to the script and to autofill, and loads the script as a module', async () => {
    const html = await (await get('/login')).text();
    expect(html).toContain('autocomplete="username webauthn"');
    expect(html).toMatch(/<div class="passkey-sign-in" data-passkey-sign-in="true" hidden="" data-msg-generic="[^"]+"/);
    expect(html).toContain('<script type="module" src="/static/passkeys.js"></script>');
  });

  it('the security page links to the passkeys page', async () => {
    const { cookie } = await signUpAndSignIn();
    expect(await (await get('/account/security', cookie)).text()).toContain('href="/account/security/passkeys"');
  });

  it('no mail goes out when adding fails', async () => {
    const { cookie, email } = await signUpAndSignIn();
    await postJson('/account/security/passkeys/options', { password: 'wrong' }, cookie);
    expect((await mailsTo(email)).some((m) => m.subject.includes('passkey'))).toBe(false);
  });
});
