import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { cookieFrom, get, ORIGIN, postForm, sessionCookieFrom, signUpAndSignIn, STRONG_PASSWORD } from './helpers';
import { codeCookieFrom, codeFromMail, fetchWith, passwordlessAccount as passwordlessAccountOf } from './email-code-helpers';
import { b64, SoftAuthenticator, type Tweaks } from './passkeys-authenticator';
import { addPasskey, postJson, signInWithPasskey } from './passkeys-helpers';

// "Confirm it is you" with a passkey, for an account without a password
// (src/account/passkey-confirmation.ts), over HTTP: a software authenticator answers what
// assets/static/passkeys.js asks the browser for, and the answer is posted as the script
// posts it (a form).

const NEW_PASSWORD = 'amber harbour kettle 31';
const NEXT = '/account/password';
const CONFIRM_PAGE = `/account/confirm?next=${encodeURIComponent(NEXT)}`;
const OPTIONS = '/account/confirm-passkey/options';
const ANSWER = `/account/confirm-passkey?next=${encodeURIComponent(NEXT)}`;

async function userIdOf(email: string): Promise<string> {
  return (await env.DB.prepare('select id from users where email = ?').bind(email).first<{ id: string }>())!.id;
}

async function lockoutFailures(userId: string): Promise<number> {
  const row = await env.DB.prepare('select failures from login_failures where key = ?').bind(`user:${userId}`).first<{ failures: number }>();
  return row?.failures ?? 0;
}

async function confirmations(userId: string): Promise<Record<string, unknown>[]> {
  const rows = await env.DB.prepare("select details from security_events where user_id = ? and type = 'identity_confirmed'").bind(userId).all<{ details: string }>();
  return rows.results.map((row) => JSON.parse(row.details) as Record<string, unknown>);
}

// Signed up without a password (the default "before" mode), with its user id.
async function passwordlessAccount() {
  const account = await passwordlessAccountOf('pkconf');
  return { ...account, userId: await userIdOf(account.email) };
}

// Adding a passkey is itself a change that needs the step-up: an emailed code first.
async function addPasskeyWithoutPassword(session: string, email: string, userId: string, counts = false) {
  const since = Date.now();
  const sent = await fetchWith(env, `/account/confirm-code/send?next=${encodeURIComponent('/account/security/passkeys')}`, { cookie: session, fields: {} });
  const { code } = await codeFromMail(email, 'is your Edge Accounts confirmation code', since);
  const entered = await fetchWith(env, '/account/confirm-code', { cookie: `${session}; ${codeCookieFrom(sent)}`, fields: { code } });
  expect(entered.status).toBe(303);

  const authenticator = await SoftAuthenticator.create({ userId, counts });
  const options = await postJson('/account/security/passkeys/options', { password: '' }, session);
  expect(options.status).toBe(200);
  const { publicKey } = (await options.json()) as { publicKey: { challenge: string; rp: { id: string } } };
  const answer = await authenticator.register({ challenge: publicKey.challenge, rpId: publicKey.rp.id, origin: ORIGIN });
  const body = { name: 'Phone', clientDataJSON: b64(answer.clientDataJSON), attestationObject: b64(answer.attestationObject), transports: ['internal'] };
  const added = await postJson('/account/security/passkeys/register', body, `${session}; ${cookieFrom(options, 'webauthn_register')}`);
  expect(added.status).toBe(200);
  return authenticator;
}

// A passwordless account with a passkey, signed in afresh with it: a session that has not
// confirmed anything yet (the code above confirmed the first session only).
async function passwordlessWithPasskey(counts = false) {
  const account = await passwordlessAccount();
  const authenticator = await addPasskeyWithoutPassword(account.session, account.email, account.userId, counts);
  const signedIn = await signInWithPasskey(authenticator);
  expect(signedIn.status).toBe(200);
  return { ...account, authenticator, session: sessionCookieFrom(signedIn) };
}

function setPassword(session: string) {
  return fetchWith(env, '/account/password', { cookie: session, fields: { password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD } });
}

async function expectAskedToConfirm(session: string) {
  const res = await setPassword(session);
  expect(res.status).toBe(303);
  expect(res.headers.get('location')).toBe(CONFIRM_PAGE);
}

interface Options {
  challenge: string;
  rpId: string;
  userVerification: string;
  allowCredentials: { type: string; id: string; transports: string[] }[];
}

// "Use a passkey": the script's first request (a form post with no fields).
async function askForOptions(session: string): Promise<Options> {
  const res = await postForm(OPTIONS, {}, { cookie: session });
  expect(res.status).toBe(200);
  return ((await res.json()) as { publicKey: Options }).publicKey;
}

// What the script posts: the authenticator's answer, base64url, as form fields.
async function answerFields(authenticator: SoftAuthenticator, challenge: string, tweaks: Tweaks = {}) {
  const answer = await authenticator.assert({ challenge, rpId: 'localhost', origin: ORIGIN }, tweaks);
  return {
    id: authenticator.id,
    clientDataJSON: b64(answer.clientDataJSON),
    authenticatorData: b64(answer.authenticatorData),
    signature: b64(answer.signature),
    userHandle: b64(answer.userHandle),
  };
}

async function answerWith(authenticator: SoftAuthenticator, session: string, challenge?: string, tweaks: Tweaks = {}) {
  const fields = await answerFields(authenticator, challenge ?? (await askForOptions(session)).challenge, tweaks);
  return postForm(ANSWER, fields, { cookie: session });
}

function flashOf(res: Response): string {
  return decodeURIComponent(decodeURIComponent(cookieFrom(res, 'flash')?.slice('flash='.length) ?? ''));
}

describe('confirming with a passkey (account without a password)', () => {
  it('the page offers the passkey, which confirms it is you; then a password can be set', async () => {
    const { username, userId, authenticator, session } = await passwordlessWithPasskey();
    await expectAskedToConfirm(session);

    const page = await get(CONFIRM_PAGE, session);
    expect(page.status).toBe(200);
    const html = await page.text();
    // Shown by the script only where passkeys work; the code by email stays for the rest.
    expect(html).toContain('Use a passkey');
    expect(html).toMatch(/<div class="passkey-sign-in" data-passkey-confirm="[^"]*" data-options-url="\/account\/confirm-passkey\/options" data-answer-url="\/account\/confirm-passkey\?next=%2Faccount%2Fpassword" hidden/);
    expect(html).toContain('<script type="module" src="/static/passkeys.js"></script>');
    expect(html).toContain('Email me a code');

    const options = await askForOptions(session);
    // Only this account's passkey is asked for, with the person verified.
    expect(options.allowCredentials).toEqual([{ type: 'public-key', id: authenticator.id, transports: ['internal'] }]);
    expect(options.userVerification).toBe('required');
    expect(options.rpId).toBe('localhost');

    const res = await answerWith(authenticator, session, options.challenge);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ redirect: NEXT });
    expect(flashOf(res)).toContain('Confirmed.');
    expect(await confirmations(userId)).toEqual([
      // The code that allowed adding the passkey, in the first session.
      expect.objectContaining({ provider: 'email' }),
      expect.objectContaining({ provider: 'passkey', providerName: 'a passkey' }),
    ]);
    expect(await (await get('/account/activity', session)).text()).toContain('Confirmed it was you with a passkey');

    const set = await setPassword(session);
    expect(set.status).toBe(303);
    expect(set.headers.get('location')).toBe('/account');
    const signIn = await postForm('/login', { login: username, password: NEW_PASSWORD });
    expect(signIn.status).toBe(303);
    expect(signIn.headers.get('location')).not.toContain('two-factor');
  });

  it('counts for this session only: another session of the account is still asked', async () => {
    const { authenticator, session } = await passwordlessWithPasskey();
    const other = sessionCookieFrom(await signInWithPasskey(authenticator));
    expect((await answerWith(authenticator, session)).status).toBe(200);
    await expectAskedToConfirm(other);
  });

  it('another account’s passkey is refused and counts toward the lockout; the challenge is spent', async () => {
    const owner = await passwordlessWithPasskey();
    const stranger = await signUpAndSignIn();
    const strangerId = await userIdOf(stranger.email);
    const strangerKey = await addPasskey(stranger.cookie, strangerId);

    const { challenge } = await askForOptions(owner.session);
    const wrong = await postForm(ANSWER, await answerFields(strangerKey, challenge), { cookie: owner.session });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: 'That passkey did not work. Use a passkey on this account, or another way to confirm it is you.' });
    expect(await lockoutFailures(owner.userId)).toBe(1);
    expect(await lockoutFailures(strangerId)).toBe(0);
    expect(await confirmations(owner.userId)).toHaveLength(1);
    await expectAskedToConfirm(owner.session);

    // The wrong answer used the challenge up: the right passkey must ask again.
    const late = await answerWith(owner.authenticator, owner.session, challenge);
    expect(late.status).toBe(400);
    expect(await late.json()).toEqual({ error: 'That took too long. Please try again.' });
    expect(await lockoutFailures(owner.userId)).toBe(1);

    expect((await answerWith(owner.authenticator, owner.session)).status).toBe(200);
    expect((await setPassword(owner.session)).headers.get('location')).toBe('/account');
  });

  it('an answer with no challenge asked in this session confirms nothing', async () => {
    const owner = await passwordlessWithPasskey();
    const other = sessionCookieFrom(await signInWithPasskey(owner.authenticator));
    // The challenge belongs to the session that asked for it.
    const { challenge } = await askForOptions(owner.session);
    const elsewhere = await answerWith(owner.authenticator, other, challenge);
    expect(elsewhere.status).toBe(400);
    await expectAskedToConfirm(other);
    // Still there for the session that asked.
    expect((await answerWith(owner.authenticator, owner.session, challenge)).status).toBe(200);
  });

  it('a counter that did not go up is refused, as at sign-in', async () => {
    const { userId, authenticator, session } = await passwordlessWithPasskey(true);
    const res = await answerWith(authenticator, session, undefined, { counter: authenticator.counter });
    expect(res.status).toBe(401);
    expect(await lockoutFailures(userId)).toBe(1);
    await expectAskedToConfirm(session);
  });

  it('once the account is locked, even its own passkey is refused', async () => {
    const { userId, authenticator, session } = await passwordlessWithPasskey();
    await env.DB.prepare('insert into login_failures (key, failures, window_start, locked_until) values (?, 10, ?, ?)')
      .bind(`user:${userId}`, Date.now(), Date.now() + 15 * 60 * 1000)
      .run();
    const res = await answerWith(authenticator, session);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBeTruthy();
    // Only the emailed code that allowed adding the passkey, in the first session.
    expect(await confirmations(userId)).toEqual([expect.objectContaining({ provider: 'email' })]);
  });
});

describe('where the passkey is not offered', () => {
  it('an account without a passkey gets no passkey button, options or script', async () => {
    const { session } = await passwordlessAccount();
    const html = await (await get(CONFIRM_PAGE, session)).text();
    expect(html).toContain('Email me a code');
    expect(html).not.toContain('Use a passkey');
    expect(html).not.toContain('data-passkey-confirm');
    expect(html).not.toContain('/static/passkeys.js');

    const options = await postForm(OPTIONS, {}, { cookie: session });
    expect(options.status).toBe(409);
    expect(await options.json()).toEqual({ error: 'Your account has no passkey. Use another way to confirm it is you.' });
  });

  it('an account with a password is unaffected: no challenge, no confirmation, the password still asked', async () => {
    const { email, cookie } = await signUpAndSignIn();
    const userId = await userIdOf(email);
    const authenticator = await addPasskey(cookie, userId);

    const page = await get(CONFIRM_PAGE, cookie);
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe(NEXT);
    const options = await postForm(OPTIONS, {}, { cookie });
    expect(options.status).toBe(409);
    expect(await options.json()).toEqual({ error: 'Your account has a password: type it on the form instead.' });
    // Even an answer to a challenge from elsewhere (the sign-in's) confirms nothing.
    const signInOptions = await postJson('/login/passkey/options', {});
    const { publicKey } = (await signInOptions.json()) as { publicKey: { challenge: string } };
    const answer = await postForm(ANSWER, await answerFields(authenticator, publicKey.challenge), { cookie });
    expect(answer.status).toBe(409);
    expect(await confirmations(userId)).toEqual([]);
    expect(await lockoutFailures(userId)).toBe(0);

    const withoutCurrent = await setPassword(cookie);
    expect(withoutCurrent.status).toBe(422);
    const changed = await fetchWith(env, '/account/password', {
      cookie,
      fields: { currentPassword: STRONG_PASSWORD, password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD },
    });
    expect(changed.status).toBe(303);
  });

  it('signed out: the endpoints send to the sign-in page', async () => {
    const options = await postForm(OPTIONS, {});
    expect(options.status).toBe(302);
    expect(options.headers.get('location')).toMatch(/^\/login\?next=/);
    const answer = await postForm(ANSWER, {});
    expect(answer.status).toBe(302);
  });
});
