import { eq } from 'drizzle-orm';
import { createOneTimeToken } from '../auth/one-time-tokens';
import { unusablePasswordHash } from '../auth/password-hash';
import { sendEmailVerification } from '../account/email-verification';
import { profiles, users, type UserRow } from '../db/schema';
import { absoluteUrl } from '../mail/links';
import { sendQuietly } from '../mail/mailer';
import { signInMethodAddedNotice } from '../mail/messages';
import type { ProviderClaims } from '../providers/provider-result';
import { findUserByIdentity, insertIdentityQuery, newIdentityRow, type LinkIdentityResult } from '../providers/user-identities';
import { normalizeEmail, normalizeUsername, usernameKey } from '../users/identity';
import { securityEvent } from '../users/security-events';
import { findTakenIdentity, isUniqueViolation, newUserId } from '../users/user-store';
import { continueSignIn, type SignInDeps, type SignInResult } from './continue-sign-in';

// What a provider's answer leads to once src/providers has decided (resolveProviderSignIn):
// sign in with a known identity, link one to an account, or create an account with one.
// Whatever happens, the sign-in itself goes through continueSignIn like every other method.

type Deps = SignInDeps;

export async function signInWithIdentity(
  deps: Deps,
  identity: { identityId: string; userId: string },
  claims: ProviderClaims,
  providerName: string,
  next: string | undefined,
  now = Date.now(),
): Promise<SignInResult> {
  // The identity's last use goes into the sign-in's own batch (one D1 round trip less).
  const identityUse = { identityId: identity.identityId, email: claims.email, emailVerified: claims.emailVerified };
  return continueSignIn(deps, { method: 'provider', providerName, userId: identity.userId, identityUse }, next, now);
}

// The identity and its event in one batch: an identity someone already has fails both.
// The owner is mailed with a "This wasn't me" link, whoever linked it.
export async function linkProviderIdentity(deps: Deps, userId: string, claims: ProviderClaims, providerName: string, now = Date.now()): Promise<LinkIdentityResult> {
  const row = newIdentityRow(userId, claims, now);
  try {
    await deps.db.batch([insertIdentityQuery(deps.db, row), securityEvent(deps.db, { type: 'provider_linked', userId, details: { provider: claims.providerId, providerName, issuer: claims.issuer } }, deps.context, now)]);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const owner = await findUserByIdentity(deps.db, claims.issuer, claims.subject);
    return { ok: false, reason: owner?.userId === userId ? 'linked-to-this-account' : 'linked-to-another-account' };
  }
  deps.waitUntil(mailSignInMethodAdded(deps, userId, providerName));
  return { ok: true, identity: row };
}

async function mailSignInMethodAdded(deps: Deps, userId: string, providerName: string): Promise<boolean> {
  try {
    const user = await deps.db.select({ email: users.email, username: users.username }).from(users).where(eq(users.id, userId)).get();
    if (!user) return false;
    const token = await createOneTimeToken(deps.db, { userId, purpose: 'not_me', keepEarlier: true });
    const link = absoluteUrl(deps.config, '/not-me', { token });
    return await sendQuietly(deps.mailer(), signInMethodAddedNotice(user.email, user.username, providerName, link));
  } catch (error) {
    console.error('Sign-in method notice failed:', error);
    return false;
  }
}

export type AutoLinkResult = SignInResult | { ok: false; reason: 'linked-to-another-account' };

// Both sides verified the address and the account is active (src/providers/identity-linking.ts):
// link, tell, sign in.
export async function autoLinkAndSignIn(deps: Deps, userId: string, claims: ProviderClaims, providerName: string, next: string | undefined, now = Date.now()): Promise<AutoLinkResult> {
  const linked = await linkProviderIdentity(deps, userId, claims, providerName, now);
  if (!linked.ok && linked.reason === 'linked-to-another-account') return { ok: false, reason: linked.reason };
  return continueSignIn(deps, { method: 'provider', providerName, userId }, next, now);
}

export type ProviderAccountResult =
  | { ok: true; user: UserRow }
  | { ok: false; reason: 'username-taken' | 'just-taken' }
  // The address found an owner since the provider's answer: sign in to it first.
  | { ok: false; reason: 'email-taken' };

// Django's mark for "no password": no password can match it, and verifyPassword answers
// false for it (src/auth/django-hashers.ts), like a wrong password.

// The username passed the sign-up form's rules; the taken and shadowing rules are sign-up's
// (findTakenIdentity). User, profile, identity and event in one batch: never an account
// without the identity it was made for. The address counts as confirmed only if the
// provider said it verified it; else the usual confirmation link goes out.
export async function createProviderAccount(deps: Deps, claims: ProviderClaims & { email: string }, username: string, providerName: string, now = Date.now()): Promise<ProviderAccountResult> {
  const taken = await findTakenIdentity(deps.db, username, claims.email);
  if (taken.emailTaken) return { ok: false, reason: 'email-taken' };
  if (taken.usernameTaken) return { ok: false, reason: 'username-taken' };
  const at = new Date(now);
  const user: UserRow = {
    id: newUserId(),
    username: normalizeUsername(username),
    usernameKey: usernameKey(username),
    email: normalizeEmail(claims.email),
    passwordHash: unusablePasswordHash(),
    isActive: true,
    emailVerifiedAt: claims.emailVerified ? at : null,
    dateJoined: at,
    lastLogin: at,
    sessionsValidAfter: 0,
    isStaff: false,
    isSuperuser: false,
    mustResetPassword: false,
    legacyId: null,
    language: deps.context.language ?? null,
    timeZone: deps.context.timeZone ?? null,
  };
  try {
    await deps.db.batch([
      deps.db.insert(users).values(user),
      deps.db.insert(profiles).values({ userId: user.id, avatarKey: null, avatarImportKey: null, updatedAt: at }),
      insertIdentityQuery(deps.db, newIdentityRow(user.id, claims, now)),
      securityEvent(deps.db, { type: 'signed_up', userId: user.id, details: { provider: claims.providerId, providerName } }, deps.context, now),
    ]);
  } catch (error) {
    // The name, the address or the identity was taken between the check and the insert.
    if (isUniqueViolation(error)) return { ok: false, reason: 'just-taken' };
    throw error;
  }
  if (!claims.emailVerified) await sendEmailVerification(deps.db, deps.mailer(), deps.config, user, now);
  return { ok: true, user };
}
