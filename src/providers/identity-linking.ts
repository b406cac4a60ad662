import { eq, and } from 'drizzle-orm';
import type { Db } from '../db/client';
import { userIdentities, users } from '../db/schema';
import { USERNAME_MAX_LENGTH, USERNAME_PATTERN } from '../users/identity';
import type { ProviderClaims } from './provider-result';

// What a sign-in with a provider leads to (issue 15, section 3). An identity is (issuer,
// subject). An unknown identity is linked to an existing account by its address only when
// the provider says the address is verified AND the account's owner has confirmed it: else
// someone could sign up with another's address first and wait (a pre-hijacked account), or
// claim an address at a provider that never checked it.

export type ProviderSignInDecision =
  // A known identity: sign in as its account.
  | { kind: 'sign-in'; userId: string; identityId: string }
  // Both sides verified the address: link to that account, tell its owner, sign in.
  | { kind: 'auto-link'; userId: string }
  // Nobody uses the address: "choose your username", then create the account. The address
  // counts as confirmed only if the provider said verified.
  | { kind: 'new-account'; email: string; emailVerified: boolean; suggestedUsername: string }
  // An account has the address but one side has not verified it: "sign in to your account
  // first, then link this provider from Account -> Sign-in methods", and nothing more.
  | { kind: 'sign-in-first' }
  // An unknown identity and no address: nothing to create or link with.
  | { kind: 'email-missing' }
  // The account it would sign in to, or link to, is deactivated: the provider proved who
  // the person is, but staff closed the way in.
  | { kind: 'inactive' };

export interface LinkingFacts {
  // `active`: the account is not deactivated (read in the same round trip).
  identity: { identityId: string; userId: string; active: boolean } | null;
  accountWithAddress: { userId: string; emailConfirmed: boolean; active: boolean } | null;
}

export function decideProviderSignIn(claims: ProviderClaims, facts: LinkingFacts): ProviderSignInDecision {
  if (facts.identity) return facts.identity.active ? { kind: 'sign-in', userId: facts.identity.userId, identityId: facts.identity.identityId } : { kind: 'inactive' };
  if (!claims.email) return { kind: 'email-missing' };
  if (!facts.accountWithAddress) {
    return { kind: 'new-account', email: claims.email, emailVerified: claims.emailVerified, suggestedUsername: suggestUsername(claims) };
  }
  if (claims.emailVerified && facts.accountWithAddress.emailConfirmed) {
    return facts.accountWithAddress.active ? { kind: 'auto-link', userId: facts.accountWithAddress.userId } : { kind: 'inactive' };
  }
  return { kind: 'sign-in-first' };
}

// Both lookups in one D1 round trip.
export async function readLinkingFacts(db: Db, claims: ProviderClaims): Promise<LinkingFacts> {
  const identityQuery = db
    .select({ identityId: userIdentities.id, userId: userIdentities.userId, active: users.isActive })
    .from(userIdentities)
    .innerJoin(users, eq(users.id, userIdentities.userId))
    .where(and(eq(userIdentities.issuer, claims.issuer), eq(userIdentities.subject, claims.subject)));
  const accountQuery = db
    .select({ userId: users.id, emailVerifiedAt: users.emailVerifiedAt, active: users.isActive })
    .from(users)
    .where(eq(users.email, claims.email ?? ''));
  const [identities, accounts] = await db.batch([identityQuery, accountQuery]);
  const identity = identities[0] ?? null;
  const account = claims.email ? (accounts[0] ?? null) : null;
  return {
    identity,
    accountWithAddress: account ? { userId: account.userId, emailConfirmed: account.emailVerifiedAt !== null, active: account.active } : null,
  };
}

export async function resolveProviderSignIn(db: Db, claims: ProviderClaims): Promise<ProviderSignInDecision> {
  return decideProviderSignIn(claims, await readLinkingFacts(db, claims));
}

// A starting point for the "choose your username" form, valid for the sign-up rules
// (availability is checked when the form is sent). Never an address: usernames that look
// like one could shadow another account's address at sign-in.
export function suggestUsername(claims: Pick<ProviderClaims, 'preferredUsername' | 'email'>): string {
  const fromProvider = claims.preferredUsername?.split('@')[0];
  const fromAddress = claims.email?.split('@')[0];
  for (const candidate of [fromProvider, fromAddress]) {
    let cleaned = '';
    for (const c of (candidate ?? '').normalize('NFKC')) {
      if (c === '@' || !USERNAME_PATTERN.test(c)) continue;
      if (cleaned.length + c.length > USERNAME_MAX_LENGTH) break;
      cleaned += c;
    }
    if (cleaned) return cleaned;
  }
  return 'user';
}
