import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { cookieFrom, get, isSignedIn, ORIGIN, signUpAndSignIn, STRONG_PASSWORD } from './helpers';
import { confirmAddress } from './password-reset-helpers';
import { b64, SoftAuthenticator, type Tweaks } from './passkeys-authenticator';
import { addPasskey, postJson } from './passkeys-helpers';
import { LOCAL_NAME, signInAtLocal } from './provider-helpers';
import { accountWithTwoFactor, passwordStep } from './two-factor-helpers';

// A passkey as the second step after a provider sign-in, over HTTP: the real local
// OpenID provider (started by the vitest global setup) is the first factor, a software
// authenticator answers what assets/static/passkeys.js asks the browser for.

async function userIdOf(email: string): Promise<string> {
  return (await env.DB.prepare('select id from users where email = ?').bind(email).first<{ id: string }>())!.id;
}

async function failuresOf(userId: string): Promise<number> {
  const row = await env.DB.prepare('select failures from login_failures where key = ?').bind(`user:${userId}`).first<{ failures: number }>();
  return row?.failures ?? 0;
}

// A password account with a passkey (and its address confirmed, so the provider links to it).
async function accountWithPasskey(account?: { email: string; cookie: string }) {
  const owner = account ?? (await signUpAndSignIn());
  const userId = await userIdOf(owner.email);
  const authenticator = await addPasskey(owner.cookie, userId);
  await confirmAddress(owner.email);
  return { ...owner, userId, authenticator };
}

// The provider as the first factor: the pending sign-in's cookie.
async function providerStep(email: string, next?: string) {
  const { res } = await signInAtLocal(email, next ? { query: `?next=${encodeURIComponent(next)}` } : {});
  expect(res.status).toBe(303);
  expect(res.headers.get('location')).toBe('/login/two-factor');
  return cookieFrom(res, 'pending_sign_in')!;
}

async function passkeyOptions(pending: string) {
  return postJson('/login/passkey/options', { secondStep: true }, pending);
}

// What the two-factor page's script posts to /login/passkey.
async function answerBody(authenticator: SoftAuthenticator, challenge: string, tweaks: Tweaks = {}) {
  const answer = await authenticator.assert({ challenge, rpId: 'localhost', origin: ORIGIN }, tweaks);
  return {
    secondStep: true,
    id: authenticator.id,
    clientDataJSON: b64(answer.clientDataJSON),
    authenticatorData: b64(answer.authenticatorData),
    signature: b64(answer.signature),
    userHandle: b64(answer.userHandle),
  };
}

async function challengeFor(pending: string): Promise<string> {
  const options = await passkeyOptions(pending);
  expect(options.status).toBe(200);
  return ((await options.json()) as { publicKey: { challenge: string } }).publicKey.challenge;
}

// "Use your passkey": the options, the authenticator's answer, the answer posted.
async function answerWith(authenticator: SoftAuthenticator, pending: string, tweaks: Tweaks = {}) {
  const body = await answerBody(authenticator, await challengeFor(pending), tweaks);
  return { res: await postJson('/login/passkey', body, pending), body };
}

function sessionFrom(res: Response): string | undefined {
  return res.headers.getSetCookie().find((c) => /^(__Host-)?session=/.test(c))?.split(';')[0];
}

describe('a passkey as the second step after a provider', () => {
  it('an account with a passkey and no app is offered it, and signs in with it, keeping ?next=', async () => {
    const { email, authenticator } = await accountWithPasskey();
    const pending = await providerStep(email, '/profile');

    const page = await (await get('/login/two-factor', pending)).text();
    expect(page).toContain('Use your passkey');
    expect(page).toContain(`${LOCAL_NAME} confirmed who you are.`);
    expect(page).toContain('data-passkey-second-step');
    expect(page).toContain('Using your passkey needs JavaScript');
    expect(page).not.toContain('name="code"');

    const options = await passkeyOptions(pending);
    const { publicKey } = (await options.json()) as { publicKey: { allowCredentials: unknown[]; userVerification: string } };
    // Only this account's passkey is asked for, and no cookie of its own is needed.
    expect(publicKey.allowCredentials).toEqual([{ type: 'public-key', id: authenticator.id, transports: ['internal'] }]);
    expect(publicKey.userVerification).toBe('required');
    expect(cookieFrom(options, 'webauthn_sign_in')).toBeUndefined();

    const { res } = await answerWith(authenticator, pending);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ redirect: '/profile' });
    const session = sessionFrom(res)!;
    expect(await isSignedIn(session)).toBe(true);
    expect(res.headers.getSetCookie().find((c) => c.startsWith('pending_sign_in='))).toMatch(/Max-Age=0/);
    expect(await (await get('/account/activity', session)).text()).toContain(`Signed in with ${LOCAL_NAME}`);
  });

  it('a passkey of another account is refused and counted like a wrong code; the owner\'s still works', async () => {
    const owner = await accountWithPasskey();
    const other = await accountWithPasskey();
    const pending = await providerStep(owner.email);

    const { res } = await answerWith(other.authenticator, pending);
    expect(res.status).toBe(401);
    expect(sessionFrom(res)).toBeUndefined();
    expect(await failuresOf(owner.userId)).toBe(1);
    const events = await env.DB.prepare("select details from security_events where user_id = ? and type = 'sign_in_second_factor_failed'").bind(owner.userId).all<{ details: string }>();
    expect(events.results.map((e) => JSON.parse(e.details))).toEqual([{ method: 'passkey' }]);
    // Nothing happened to the other account.
    expect(await failuresOf(other.userId)).toBe(0);

    const mine = await answerWith(owner.authenticator, pending);
    expect(mine.res.status).toBe(200);
    expect(await isSignedIn(sessionFrom(mine.res)!)).toBe(true);
    // A completed sign-in clears the count.
    expect(await failuresOf(owner.userId)).toBe(0);
  });

  it('a replayed answer is refused, and a used pending sign-in gets no new challenge', async () => {
    const { email, authenticator } = await accountWithPasskey();
    const pending = await providerStep(email);
    const { res, body } = await answerWith(authenticator, pending);
    expect(res.status).toBe(200);

    const replay = await postJson('/login/passkey', body, pending);
    expect(replay.status).toBe(400);
    expect(await replay.json()).toEqual({ error: 'Your sign-in timed out. Please sign in again.', redirect: '/login' });
    expect(sessionFrom(replay)).toBeUndefined();
    expect((await passkeyOptions(pending)).status).toBe(400);
    // The page itself sends the browser back to /login.
    expect((await get('/login/two-factor', pending)).headers.get('location')).toBe('/login');
  });

  it('an answer to a challenge already answered is refused, even from the right passkey', async () => {
    const owner = await accountWithPasskey();
    const other = await accountWithPasskey();
    const pending = await providerStep(owner.email);
    const challenge = await challengeFor(pending);
    expect((await postJson('/login/passkey', await answerBody(other.authenticator, challenge), pending)).status).toBe(401);
    // The wrong answer used the challenge up: the right passkey must ask for a new one.
    const late = await postJson('/login/passkey', await answerBody(owner.authenticator, challenge), pending);
    expect(late.status).toBe(400);
    expect(((await late.json()) as { error: string }).error).toBe('That took too long. Please try again.');
    expect(sessionFrom(late)).toBeUndefined();
  });

  it('a pending sign-in cookie is needed: without one there is no challenge and no sign-in', async () => {
    const { email, authenticator } = await accountWithPasskey();
    await providerStep(email);
    expect((await passkeyOptions('')).status).toBe(400);
    const res = await postJson('/login/passkey', await answerBody(authenticator, b64(crypto.getRandomValues(new Uint8Array(32)))));
    expect(res.status).toBe(400);
    expect(sessionFrom(res)).toBeUndefined();
  });

  it('wrong passkey answers lock the account like wrong codes do', async () => {
    const { email, userId, authenticator } = await accountWithPasskey();
    const pending = await providerStep(email);
    for (let i = 0; i < 10; i++) {
      const { res } = await answerWith(authenticator, pending, { origin: 'https://elsewhere.example' });
      expect(res.status).toBe(401);
    }
    expect(await failuresOf(userId)).toBe(10);
    const locked = await answerWith(authenticator, pending);
    expect(locked.res.status).toBe(429);
    expect(sessionFrom(locked.res)).toBeUndefined();
  });
});

describe('an account with both the app and a passkey', () => {
  it('gets both choices after a provider, and either completes the sign-in', async () => {
    const account = await accountWithTwoFactor();
    const { authenticator } = await accountWithPasskey(account);
    const pending = await providerStep(account.email);
    const page = await (await get('/login/two-factor', pending)).text();
    expect(page).toContain('Enter the code from your app');
    expect(page).toContain('name="code"');
    expect(page).toContain('Use your passkey');
    expect(page).toContain('needs JavaScript and a browser that supports passkeys: enter a code instead.');
    expect(page).toContain('Use a recovery code instead');

    const { res } = await answerWith(authenticator, pending);
    expect(res.status).toBe(200);
    expect(await isSignedIn(sessionFrom(res)!)).toBe(true);
  });

  it('after a password, the passkey may answer instead of the code, and the event names the passkey', async () => {
    const account = await accountWithTwoFactor();
    const { authenticator } = await accountWithPasskey(account);
    const { pending } = await passwordStep(account.username, STRONG_PASSWORD);
    expect(await (await get('/login/two-factor', pending)).text()).toContain('Your password was right.');
    const { res } = await answerWith(authenticator, pending);
    expect(res.status).toBe(200);
    const session = sessionFrom(res)!;
    const activity = await (await get('/account/activity', session)).text();
    expect(activity).toContain('Signed in with passkey');
  });
});

it('an account without a passkey is offered none, and gets no challenge', async () => {
  const account = await accountWithTwoFactor();
  const { pending } = await passwordStep(account.username);
  const page = await (await get('/login/two-factor', pending)).text();
  expect(page).not.toContain('data-passkey-second-step');
  expect(page).not.toContain('/static/passkeys.js');
  const options = await passkeyOptions(pending);
  expect(options.status).toBe(409);
  expect(cookieFrom(options, 'pending_sign_in')).toBeUndefined();
  // The options request did not end the pending sign-in.
  expect((await get('/login/two-factor', pending)).status).toBe(200);
});
