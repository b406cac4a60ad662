import { env } from 'cloudflare:test';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { AccountDocument } from '../src/account/data-export';
import { recordIdentityConfirmation } from '../src/auth/identity-confirmation';
import { createSession } from '../src/auth/session';
import { createDb } from '../src/db/client';
import { describeEvent } from '../src/views/components/events-table';
import type { SecurityEvent } from '../src/users/security-events';
import { eventsOf, signUpStaff, staffAction, userIdOf } from './admin-helpers';
import { cookieFrom, get, postForm, signUpAndSignIn, STRONG_PASSWORD, uniqueName, waitForMail } from './helpers';

// Account → Sign-in methods over HTTP. Identities are inserted as rows: linking one for real
// goes through the provider's callback, which test/providers-*.test.ts cover.

const PAGE = '/account/sign-in-methods';

async function insertIdentity(userId: string, providerId = 'local', email: string | null = 'someone@provider.example') {
  const id = `id-${crypto.randomUUID()}`;
  await env.DB.prepare('insert into user_identities (id, user_id, provider_id, issuer, subject, email, email_verified, linked_at, last_used_at) values (?, ?, ?, ?, ?, ?, 1, ?, null)')
    .bind(id, userId, providerId, 'https://issuer.example', crypto.randomUUID(), email, Date.now())
    .run();
  return id;
}

async function identityExists(id: string): Promise<boolean> {
  return Boolean(await env.DB.prepare('select 1 as x from user_identities where id = ?').bind(id).first());
}

async function failuresOf(userId: string): Promise<number> {
  const row = await env.DB.prepare('select failures from login_failures where key = ?').bind(`user:${userId}`).first<{ failures: number }>();
  return row?.failures ?? 0;
}

async function signedInWithIdentity() {
  const account = await signUpAndSignIn();
  const id = await userIdOf(account.username);
  const identityId = await insertIdentity(id);
  return { ...account, id, identityId };
}

// An account made through a provider: no password ('!' like Django's unusable one), one identity.
async function providerOnlyAccount({ confirmed = true }: { confirmed?: boolean } = {}) {
  const id = crypto.randomUUID();
  const username = uniqueName('prov');
  const now = Date.now();
  await env.DB.batch([
    env.DB.prepare('insert into users (id, username, username_key, email, password_hash, date_joined, is_active, email_verified_at) values (?, ?, ?, ?, ?, ?, 1, ?)').bind(
      id,
      username,
      username.toLowerCase(),
      `${username}@example.com`,
      '!provider-only',
      now,
      confirmed ? now : null,
    ),
    env.DB.prepare('insert into profiles (user_id, updated_at) values (?, ?)').bind(id, now),
  ]);
  const identityId = await insertIdentity(id);
  const { token, session } = await createSession(env.SESSIONS, id);
  return { id, identityId, cookie: `session=${token}`, sessionId: session.id };
}

// As if the owner had just signed in with their provider again in this session (the real
// trip through the local provider is in test/identity-confirmation.test.ts).
async function confirmedIdentity(userId: string, sessionId: string) {
  await recordIdentityConfirmation(createDb(env.DB), userId, sessionId, { provider: 'local', providerName: 'Local OpenID (development)' });
}

const CONFIRM_HERE = '/account/confirm?next=%2Faccount%2Fsign-in-methods';

describe('Account → Sign-in methods', () => {
  it('lists the password, the passkeys, each linked provider and a link form for the others', async () => {
    const { cookie } = await signedInWithIdentity();
    const html = await (await get(PAGE, cookie)).text();
    expect(html).toContain('Set.');
    expect(html).toContain('href="/account/security/passkeys"');
    expect(html).toContain('someone@provider.example');
    expect(html).toMatch(/Unlink<span class="visually-hidden"> Local/);
    expect(html).toContain('action="/account/sign-in-methods/github/link"');
    expect(html).toMatch(/Link GitHub/);
    expect(html).not.toContain('action="/account/sign-in-methods/local/link"');
  });

  it('is linked from the account page and needs a signed-in user', async () => {
    const { cookie } = await signUpAndSignIn();
    expect(await (await get('/account', cookie)).text()).toContain('href="/account/sign-in-methods"');
    const anonymous = await get(PAGE);
    expect(anonymous.status).toBe(302);
  });

  it('linking refuses a wrong password (counted toward the lockout), then goes to the provider with a Lax flow cookie', async () => {
    const { username, cookie } = await signUpAndSignIn();
    const id = await userIdOf(username);
    const wrong = await postForm(`${PAGE}/local/link`, { password: 'not the password at all' }, { cookie });
    expect(wrong.status).toBe(422);
    expect(await wrong.text()).toContain('That password is wrong.');
    expect(await failuresOf(id)).toBe(1);

    const res = await postForm(`${PAGE}/local/link`, { password: STRONG_PASSWORD }, { cookie });
    expect(res.status).toBe(303);
    const location = new URL(res.headers.get('location')!);
    expect(location.searchParams.get('client_id')).toBe('edge-accounts-dev');
    expect(location.searchParams.get('redirect_uri')).toBe('http://localhost:8787/oauth/local/callback');
    expect(location.searchParams.get('state')).toBeTruthy();
    const flow = res.headers.getSetCookie().find((c) => c.startsWith('provider_flow='))!;
    expect(flow).toMatch(/HttpOnly/i);
    expect(flow).toMatch(/SameSite=Lax/i);
    expect(cookieFrom(res, 'provider_flow')).toBeDefined();
  });

  it('linking an unknown provider is a 404', async () => {
    const { cookie } = await signUpAndSignIn();
    expect((await postForm(`${PAGE}/nope/link`, { password: STRONG_PASSWORD }, { cookie })).status).toBe(404);
  });

  it('an account without a password links only after signing in with its provider again', async () => {
    const { id, cookie, sessionId } = await providerOnlyAccount();
    expect(await (await get(PAGE, cookie)).text()).toContain(`href="${CONFIRM_HERE}"`);
    const res = await postForm(`${PAGE}/github/link`, {}, { cookie });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(CONFIRM_HERE);
    await confirmedIdentity(id, sessionId);
    const link = await postForm(`${PAGE}/github/link`, {}, { cookie });
    expect(link.status).toBe(303);
    expect(cookieFrom(link, 'provider_flow')).toBeDefined();
  });

  it('unlinking needs the password, then removes the identity, records it and mails the owner', async () => {
    const { id, email, cookie, identityId } = await signedInWithIdentity();
    const wrong = await postForm(`${PAGE}/${identityId}/unlink`, { password: 'not the password at all' }, { cookie });
    expect(wrong.status).toBe(422);
    expect(await identityExists(identityId)).toBe(true);

    const since = Date.now();
    const res = await postForm(`${PAGE}/${identityId}/unlink`, { password: STRONG_PASSWORD }, { cookie });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(PAGE);
    expect(await identityExists(identityId)).toBe(false);
    expect((await eventsOf(id, 'provider_unlinked')).length).toBe(1);
    const mail = await waitForMail(email, 'Local OpenID (development) was unlinked from your account', { after: since });
    expect(mail.text).toContain('/account/sign-in-methods');
    const page = await get(PAGE, `${cookie}; ${cookieFrom(res, 'flash') ?? ''}`);
    expect(await page.text()).toContain('was unlinked');
    expect(await (await get('/account/activity', cookie)).text()).toContain('Sign-in with Local OpenID (development) unlinked');
  });

  it('someone else’s identity cannot be unlinked', async () => {
    const owner = await signedInWithIdentity();
    const { cookie } = await signUpAndSignIn();
    expect((await postForm(`${PAGE}/${owner.identityId}/unlink`, { password: STRONG_PASSWORD }, { cookie })).status).toBe(404);
    expect(await identityExists(owner.identityId)).toBe(true);
  });

  // An unconfirmed address: emailed codes do not sign in, the provider is the only way in.
  it('the last way to sign in cannot be unlinked', async () => {
    const { id, identityId, cookie, sessionId } = await providerOnlyAccount({ confirmed: false });
    const page = await (await get(PAGE, cookie)).text();
    expect(page).toContain('No password');
    await confirmedIdentity(id, sessionId);
    const res = await postForm(`${PAGE}/${identityId}/unlink`, {}, { cookie });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('This is the only way left to sign in to your account.');
    expect(await identityExists(identityId)).toBe(true);
    expect(await eventsOf(id, 'provider_unlinked')).toEqual([]);
  });

  it('with a confirmed address, emailed codes count as a way in: the only provider can go', async () => {
    const { id, identityId, cookie, sessionId } = await providerOnlyAccount();
    expect(await (await get(PAGE, cookie)).text()).toContain('“Email me a sign-in code” sends a code to');
    await confirmedIdentity(id, sessionId);
    const res = await postForm(`${PAGE}/${identityId}/unlink`, {}, { cookie });
    expect(res.status).toBe(303);
    expect(await identityExists(identityId)).toBe(false);
  });

  it('a provider-only account with two providers unlinks one after confirming it is you, not before', async () => {
    const { id, identityId, cookie, sessionId } = await providerOnlyAccount();
    await insertIdentity(id, 'github');
    const refused = await postForm(`${PAGE}/${identityId}/unlink`, {}, { cookie });
    expect(refused.headers.get('location')).toBe(CONFIRM_HERE);
    expect(await identityExists(identityId)).toBe(true);
    await confirmedIdentity(id, sessionId);
    const res = await postForm(`${PAGE}/${identityId}/unlink`, {}, { cookie });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(PAGE);
    expect(await identityExists(identityId)).toBe(false);
  });

  it('the data export lists linked identities, without tokens', async () => {
    const { cookie, identityId } = await signedInWithIdentity();
    const res = await postForm('/account/export', { password: STRONG_PASSWORD }, { cookie });
    expect(res.status).toBe(200);
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    const doc = JSON.parse(new TextDecoder().decode(files['account.json'])) as AccountDocument;
    expect(doc.formatVersion).toBe(1);
    expect(doc.signInProviders).toHaveLength(1);
    const [identity] = doc.signInProviders;
    expect(identity).toMatchObject({ provider: 'local', issuer: 'https://issuer.example', email: 'someone@provider.example', emailVerified: true, lastUsedAt: null });
    expect(Object.keys(identity!).sort()).toEqual(['email', 'emailVerified', 'issuer', 'lastUsedAt', 'linkedAt', 'provider', 'subject']);
    expect(JSON.stringify(doc)).not.toContain(identityId);
  });

  it('deleting the account deletes its identities', async () => {
    const { cookie, identityId } = await signedInWithIdentity();
    const res = await postForm('/account/delete', { password: STRONG_PASSWORD }, { cookie });
    expect(res.status).toBe(303);
    expect(await identityExists(identityId)).toBe(false);
  });

  it('the staff page of a user lists their linked providers', async () => {
    const { id } = await signedInWithIdentity();
    const staff = await signUpStaff();
    const html = await (await get(`/admin/users/${id}`, staff.cookie)).text();
    expect(html).toContain('Sign-in providers');
    expect(html).toContain('someone@provider.example (https://issuer.example)');
  });

  it('staff can unlink a provider in sudo mode, audited, and the owner is told', async () => {
    const { id, email, identityId } = await signedInWithIdentity();
    const staff = await signUpStaff();
    const withoutSudo = await staffAction(staff.cookie, id, 'unlink-provider', { identityId }, { sudo: false });
    expect(await withoutSudo.text()).toContain('name="identityId"');
    expect(await identityExists(identityId)).toBe(true);

    const since = Date.now();
    const res = await staffAction(staff.cookie, id, 'unlink-provider', { identityId });
    expect(res.status).toBe(303);
    expect(await identityExists(identityId)).toBe(false);
    const [event] = await eventsOf(id, 'staff_unlinked_provider');
    expect(event?.actor_id).toBe(staff.id);
    await waitForMail(email, 'was unlinked from your account', { after: since });
  });

  it('staff unlinking an identity of another account is a 404', async () => {
    const owner = await signedInWithIdentity();
    const other = await signUpAndSignIn();
    const staff = await signUpStaff();
    const res = await staffAction(staff.cookie, await userIdOf(other.username), 'unlink-provider', { identityId: owner.identityId });
    expect(res.status).toBe(404);
    expect(await identityExists(owner.identityId)).toBe(true);
  });
});

describe('activity labels for providers', () => {
  const event = (type: string, details: Record<string, unknown>) => ({ type, details, userId: 'u', actorId: 'u' }) as unknown as SecurityEvent;

  it('names the provider of a sign-in, a link and an unlink', () => {
    expect(describeEvent(event('sign_in', { method: 'provider', providerName: 'GitHub' }))).toBe('Signed in with GitHub');
    expect(describeEvent(event('sign_in', { method: 'provider', provider: 'local' }))).toBe('Signed in with local');
    expect(describeEvent(event('sign_in', { method: 'provider' }))).toBe('Signed in with a sign-in provider');
    expect(describeEvent(event('provider_linked', { providerName: 'GitHub' }))).toBe('Sign-in with GitHub linked');
    expect(describeEvent(event('provider_unlinked', { providerName: 'GitHub' }))).toBe('Sign-in with GitHub unlinked');
  });
});
