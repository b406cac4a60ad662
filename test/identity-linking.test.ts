import { env } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createDb } from '../src/db/client';
import { passkeys, users } from '../src/db/schema';
import { decideProviderSignIn, resolveProviderSignIn, suggestUsername, type LinkingFacts } from '../src/providers/identity-linking';
import type { ProviderClaims } from '../src/providers/provider-result';
import { countSignInMethods, findUserByIdentity, linkIdentity, listIdentities, touchIdentity, unlinkIdentity } from '../src/providers/user-identities';
import { createUserWithProfile } from '../src/users/user-store';
import { USERNAME_MAX_LENGTH, USERNAME_PATTERN } from '../src/users/identity';
import { uniqueName } from './helpers';

const db = createDb(env.DB);

function claimsFor(overrides: Partial<ProviderClaims> = {}): ProviderClaims {
  const subject = uniqueName('sub');
  return { providerId: 'local', issuer: 'http://127.0.0.1:9400', subject, email: `${subject}@example.com`, emailVerified: true, preferredUsername: subject, name: null, ...overrides };
}

async function makeUser(options: { email?: string; confirmed?: boolean; passwordHash?: string } = {}) {
  const username = uniqueName();
  const user = await createUserWithProfile(db, { username, email: options.email ?? `${username}@example.com`, passwordHash: options.passwordHash ?? '$argon2id$placeholder' });
  if (options.confirmed) await db.update(users).set({ emailVerifiedAt: new Date() }).where(eq(users.id, user.id)).run();
  return user;
}

describe('the linking decision (issue 15, section 3)', () => {
  const verified = claimsFor({ email: 'a@example.com', emailVerified: true });
  const unverified = claimsFor({ email: 'a@example.com', emailVerified: false });
  const known: LinkingFacts = { identity: { identityId: 'i1', userId: 'u1', active: true }, accountWithAddress: { userId: 'u2', emailConfirmed: true, active: true } };
  const confirmedAccount: LinkingFacts = { identity: null, accountWithAddress: { userId: 'u2', emailConfirmed: true, active: true } };
  const unconfirmedAccount: LinkingFacts = { identity: null, accountWithAddress: { userId: 'u2', emailConfirmed: false, active: true } };
  const knownDeactivated: LinkingFacts = { identity: { identityId: 'i1', userId: 'u1', active: false }, accountWithAddress: null };
  const confirmedDeactivated: LinkingFacts = { identity: null, accountWithAddress: { userId: 'u2', emailConfirmed: true, active: false } };
  const nobody: LinkingFacts = { identity: null, accountWithAddress: null };

  it.each([
    ['a known identity signs in as its account, whatever the address', verified, known, { kind: 'sign-in', userId: 'u1', identityId: 'i1' }],
    ['a known identity signs in even without an address', claimsFor({ email: null, emailVerified: false }), known, { kind: 'sign-in', userId: 'u1', identityId: 'i1' }],
    ['an unknown identity with an unused address makes a new account, confirmed', verified, nobody, { kind: 'new-account', email: 'a@example.com', emailVerified: true }],
    ['an unknown identity with an unused unverified address makes a new account, unconfirmed', unverified, nobody, { kind: 'new-account', email: 'a@example.com', emailVerified: false }],
    ['both sides verified: link automatically', verified, confirmedAccount, { kind: 'auto-link', userId: 'u2' }],
    ['provider verified, account not confirmed: sign in first', verified, unconfirmedAccount, { kind: 'sign-in-first' }],
    ['provider not verified, account confirmed: sign in first', unverified, confirmedAccount, { kind: 'sign-in-first' }],
    ['neither verified: sign in first', unverified, unconfirmedAccount, { kind: 'sign-in-first' }],
    ['an unknown identity without an address: email missing', claimsFor({ email: null, emailVerified: false }), nobody, { kind: 'email-missing' }],
    ['a known identity of a deactivated account: no sign-in', verified, knownDeactivated, { kind: 'inactive' }],
    ['both sides verified, but the account is deactivated: no link', verified, confirmedDeactivated, { kind: 'inactive' }],
  ] as const)('%s', (_name, claims, facts, expected) => {
    expect(decideProviderSignIn(claims, facts)).toMatchObject(expected);
  });

  it('reads the facts from D1: identity first, then the address', async () => {
    const confirmed = await makeUser({ confirmed: true });
    const unconfirmed = await makeUser();
    const linkedClaims = claimsFor();
    await linkIdentity(db, unconfirmed.id, linkedClaims);

    expect(await resolveProviderSignIn(db, linkedClaims)).toMatchObject({ kind: 'sign-in', userId: unconfirmed.id });
    expect(await resolveProviderSignIn(db, claimsFor({ email: confirmed.email }))).toEqual({ kind: 'auto-link', userId: confirmed.id });
    expect(await resolveProviderSignIn(db, claimsFor({ email: unconfirmed.email }))).toEqual({ kind: 'sign-in-first' });
    expect(await resolveProviderSignIn(db, claimsFor({ email: confirmed.email, emailVerified: false }))).toEqual({ kind: 'sign-in-first' });
    expect(await resolveProviderSignIn(db, claimsFor({ email: 'nobody-uses-this@example.com', preferredUsername: 'New Person' }))).toEqual({
      kind: 'new-account',
      email: 'nobody-uses-this@example.com',
      emailVerified: true,
      suggestedUsername: 'NewPerson',
    });
  });

  it('matches an identity by issuer and subject, never by the address alone', async () => {
    const owner = await makeUser({ confirmed: true });
    const claims = claimsFor({ email: owner.email });
    await linkIdentity(db, owner.id, claims);
    // Same subject at another issuer: another person.
    expect(await resolveProviderSignIn(db, { ...claims, issuer: 'https://other.example', emailVerified: false })).toEqual({ kind: 'sign-in-first' });
  });
});

describe('username suggestions', () => {
  it.each([
    [{ preferredUsername: 'alice', email: 'x@example.com' }, 'alice'],
    [{ preferredUsername: 'alice@contoso.com', email: 'x@example.com' }, 'alice'],
    [{ preferredUsername: 'Zoë Smith!', email: null }, 'ZoëSmith'],
    [{ preferredUsername: null, email: 'j.doe+news@example.com' }, 'j.doe+news'],
    [{ preferredUsername: '!!!', email: 'b_c@example.com' }, 'b_c'],
    [{ preferredUsername: null, email: null }, 'user'],
  ])('%o -> %s', (claims, expected) => {
    expect(suggestUsername(claims)).toBe(expected);
  });

  it('keeps a suggestion within the sign-up rules', () => {
    const long = suggestUsername({ preferredUsername: '😀'.repeat(200), email: null });
    const suggestion = suggestUsername({ preferredUsername: 'x'.repeat(400), email: null });
    expect(suggestion).toHaveLength(USERNAME_MAX_LENGTH);
    expect(USERNAME_PATTERN.test(suggestion)).toBe(true);
    expect(long).toBe('user');
  });
});

describe('stored identities', () => {
  it('links, finds, lists, touches and unlinks', async () => {
    const user = await makeUser();
    const claims = claimsFor({ providerId: 'github', issuer: 'https://github.com', subject: '12345' + uniqueName('') });
    const linked = await linkIdentity(db, user.id, claims, 1_000);
    if (!linked.ok) throw new Error(linked.reason);

    expect(await findUserByIdentity(db, claims.issuer, claims.subject)).toEqual({ identityId: linked.identity.id, userId: user.id });
    await touchIdentity(db, linked.identity.id, { email: 'new@example.com', emailVerified: false }, 2_000);
    expect(await listIdentities(db, user.id)).toEqual([
      { id: linked.identity.id, userId: user.id, providerId: 'github', issuer: 'https://github.com', subject: claims.subject, email: 'new@example.com', emailVerified: false, linkedAt: 1_000, lastUsedAt: 2_000 },
    ]);
    expect(await unlinkIdentity(db, 'someone-else', linked.identity.id)).toBeNull();
    expect((await unlinkIdentity(db, user.id, linked.identity.id))?.id).toBe(linked.identity.id);
    expect(await findUserByIdentity(db, claims.issuer, claims.subject)).toBeNull();
  });

  it('refuses to link an identity twice, and says to whom it belongs', async () => {
    const first = await makeUser();
    const second = await makeUser();
    const claims = claimsFor();
    await linkIdentity(db, first.id, claims);
    expect(await linkIdentity(db, first.id, claims)).toEqual({ ok: false, reason: 'linked-to-this-account' });
    expect(await linkIdentity(db, second.id, claims)).toEqual({ ok: false, reason: 'linked-to-another-account' });
  });

  it('deletes the identities with the account', async () => {
    const user = await makeUser();
    const claims = claimsFor();
    await linkIdentity(db, user.id, claims);
    await db.delete(users).where(eq(users.id, user.id)).run();
    expect(await findUserByIdentity(db, claims.issuer, claims.subject)).toBeNull();
  });

  it('counts the ways to sign in: password, emailed codes (a confirmed address), passkeys and identities', async () => {
    const withPassword = await makeUser();
    const passwordless = await makeUser({ passwordHash: '' });
    const confirmed = await makeUser({ passwordHash: '', confirmed: true });
    await linkIdentity(db, passwordless.id, claimsFor());
    await db.insert(passkeys).values({ id: uniqueName('pk'), userId: passwordless.id, name: 'Laptop', algorithm: -7, publicKey: 'x', createdAt: 0 }).run();

    expect(await countSignInMethods(db, withPassword.id)).toEqual({ password: true, emailCodes: false, passkeys: 0, identities: 0, total: 1 });
    expect(await countSignInMethods(db, passwordless.id)).toEqual({ password: false, emailCodes: false, passkeys: 1, identities: 1, total: 2 });
    expect(await countSignInMethods(db, confirmed.id)).toEqual({ password: false, emailCodes: true, passkeys: 0, identities: 0, total: 1 });
    expect((await countSignInMethods(db, 'no-such-user')).total).toBe(0);
  });
});
