import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { get, postForm, sessionCookieFrom, signUp, uniqueName, waitForMail } from './helpers';
import { addPasskey, postJson, signInWithPasskey } from './passkeys-helpers';
import { confirmAddress, resetByEmail } from './password-reset-helpers';
import { chooseUsername, signInAtLocal } from './provider-helpers';
import { finishEnrolment, startEnrolment } from './two-factor-helpers';

// Hole 4, a pre-hijacked account: a squatter signs up with someone else's address before
// they do and adds a way in of their own. The owner later takes the account over with a
// password reset; the reset is the first proof of the address, so it removes every other
// way in.

const OWNER_PASSWORD = 'the owner chose this one 93';

async function userIdOf(email: string): Promise<string> {
  return (await env.DB.prepare('select id from users where email = ?').bind(email).first<{ id: string }>())!.id;
}

// Signed up with `email`, signed in, with a passkey and the authenticator app on.
async function accountWithWaysIn(email: string, passkeyName = 'Squatter key') {
  const signedUp = await signUp({ username: uniqueName('squatter'), email });
  const signedIn = sessionCookieFrom(signedUp.response);
  const userId = await userIdOf(email);
  const authenticator = await addPasskey(signedIn, userId, passkeyName);
  const { app } = await startEnrolment(signedIn);
  const done = await finishEnrolment(signedIn, await app.nextCode());
  expect(done.status).toBe(200);
  // Turning the app on gave the session a new token.
  return { ...signedUp, cookie: sessionCookieFrom(done), userId, authenticator };
}

async function identitiesOf(userId: string): Promise<number> {
  return (await env.DB.prepare('select count(*) as n from user_identities where user_id = ?').bind(userId).first<{ n: number }>())!.n;
}

async function rowsOf(table: 'passkeys' | 'totp_credentials' | 'recovery_codes', userId: string): Promise<number> {
  return (await env.DB.prepare(`select count(*) as n from ${table} where user_id = ?`).bind(userId).first<{ n: number }>())!.n;
}

describe('a password reset on an address never confirmed before', () => {
  it('removes the squatter\u2019s passkey, authenticator app and session, and the mail says nothing is left', async () => {
    const victim = `${uniqueName('victim')}@example.com`;
    const squatter = await accountWithWaysIn(victim);
    expect((await signInWithPasskey(squatter.authenticator)).status).toBe(200);

    const before = Date.now();
    const reset = await resetByEmail(victim, OWNER_PASSWORD);
    expect(reset.status).toBe(303);

    expect((await signInWithPasskey(squatter.authenticator)).status).toBe(401);
    expect((await get('/dashboard', squatter.cookie)).status).toBe(302);
    // The squatter's app is gone: the owner's password alone signs in.
    const signIn = await postForm('/login', { login: victim, password: OWNER_PASSWORD });
    expect(signIn.status).toBe(303);
    expect(signIn.headers.get('location')).not.toBe('/login/two-factor');
    expect((await get('/dashboard', sessionCookieFrom(signIn))).status).toBe(200);
    for (const table of ['passkeys', 'totp_credentials', 'recovery_codes'] as const) expect(await rowsOf(table, squatter.userId), table).toBe(0);

    const mail = await waitForMail(victim, 'password was changed', { after: before });
    expect(mail.text).toContain('a passkey and the authenticator app and its recovery codes');
    expect(mail.text).toContain('your account now has no passkeys, and two-factor sign-in is off');
    // Removed passkeys are counted, never named: the squatter chose the name.
    expect(mail.text).not.toContain('Squatter key');

    const user = await env.DB.prepare('select email_verified_at as v from users where id = ?').bind(squatter.userId).first<{ v: number | null }>();
    expect(user!.v).not.toBeNull();
    const event = await env.DB.prepare("select details from security_events where user_id = ? and type = 'password_reset'").bind(squatter.userId).first<{ details: string }>();
    expect(JSON.parse(event!.details)).toEqual({ addressConfirmed: true, removed: { passkeys: ['Squatter key'], twoFactor: true, providers: [] } });
  });
});

describe('a squatter who signed up through a provider that did not verify the address', () => {
  it('loses that provider at the owner\u2019s first reset: it no longer signs in, and the mail says what went', async () => {
    const victim = `${uniqueName('victim')}@example.com`;
    // The local provider vouches for the address without verifying it ("+unverified").
    const squatterLogin = `${victim}+unverified`;
    const { res } = await signInAtLocal(squatterLogin);
    const made = await chooseUsername(res, uniqueName('squatter'));
    expect(made.status).toBe(303);
    const userId = await userIdOf(victim);
    expect(await identitiesOf(userId)).toBe(1);

    const before = Date.now();
    expect((await resetByEmail(victim, OWNER_PASSWORD)).status).toBe(303);
    expect(await identitiesOf(userId)).toBe(0);
    const again = await signInAtLocal(squatterLogin);
    expect(again.res.headers.getSetCookie().some((c) => /^(__Host-)?session=[^;]/.test(c))).toBe(false);
    expect(await again.res.text()).toContain('Sign in to your account first');
    const mail = await waitForMail(victim, 'password was changed', { after: before });
    expect(mail.text).toContain('sign-in through local');
  });
});

describe('a password reset on a confirmed address', () => {
  it('keeps the owner\u2019s passkey and two-factor off, and the mail names what is left', async () => {
    const email = `${uniqueName('owner')}@example.com`;
    const signedUp = await signUp({ email });
    await confirmAddress(email);
    const cookie = sessionCookieFrom(signedUp.response);
    const authenticator = await addPasskey(cookie, await userIdOf(email), 'Work laptop');

    const before = Date.now();
    expect((await resetByEmail(email, OWNER_PASSWORD)).status).toBe(303);

    expect((await signInWithPasskey(authenticator)).status).toBe(200);
    const mail = await waitForMail(email, 'password was changed', { after: before });
    expect(mail.text).toContain('your account now has the passkey “Work laptop”, and two-factor sign-in is off');
    expect(mail.text).not.toContain('was removed');
  });

  it('keeps the authenticator app: the next sign-in still asks for a code', async () => {
    const email = `${uniqueName('owner')}@example.com`;
    const owner = await accountWithWaysIn(email, 'Phone');
    await confirmAddress(email);

    const before = Date.now();
    expect((await resetByEmail(email, OWNER_PASSWORD)).status).toBe(303);

    const signIn = await postForm('/login', { login: email, password: OWNER_PASSWORD });
    expect(signIn.headers.get('location')).toBe('/login/two-factor');
    expect((await signInWithPasskey(owner.authenticator)).status).toBe(200);
    const mail = await waitForMail(email, 'password was changed', { after: before });
    expect(mail.text).toContain('the passkey “Phone”, and two-factor sign-in is on');
  });
});
