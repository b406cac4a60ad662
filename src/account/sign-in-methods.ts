import { and, eq } from 'drizzle-orm';
import { confirmIdentity, type IdentityConfirmation, type IdentityProof } from '../auth/password-confirmation';
import type { Db } from '../db/client';
import { userIdentities, type UserIdentityRow, type UserRow } from '../db/schema';
import type { ProviderDeps, ProviderStartResult } from '../providers/provider-result';
import type { ProviderSettings } from '../providers/provider-settings';
import { startProviderSignIn } from '../providers/provider-sign-in';
import { countSignInMethods, listIdentities } from '../providers/user-identities';
import { securityEvent, type RequestContext } from '../users/security-events';

// Account → Sign-in methods: every way into the account on one page, and unlinking a
// provider, which must never leave the account with no way in.

export interface LinkedProvider {
  identity: UserIdentityRow;
  // The provider's label; the id when the deployment no longer offers it.
  name: string;
}

export interface SignInMethodsOverview {
  password: boolean;
  emailCodes: boolean;
  passkeys: number;
  linked: LinkedProvider[];
  // Offered by this deployment and not linked yet.
  linkable: Pick<ProviderSettings, 'id' | 'name'>[];
}

export function providerName(providers: readonly ProviderSettings[], providerId: string): string {
  return providers.find((p) => p.id === providerId)?.name ?? providerId;
}

export async function loadSignInMethods(db: Db, userId: string, providers: readonly ProviderSettings[]): Promise<SignInMethodsOverview> {
  const [counts, identities] = await Promise.all([countSignInMethods(db, userId), listIdentities(db, userId)]);
  const linkedIds = new Set(identities.map((identity) => identity.providerId));
  return {
    password: counts.password,
    emailCodes: counts.emailCodes,
    passkeys: counts.passkeys,
    linked: identities.map((identity) => ({ identity, name: providerName(providers, identity.providerId) })),
    linkable: providers.filter((p) => !linkedIds.has(p.id)).map(({ id, name }) => ({ id, name })),
  };
}

export type UnlinkProviderResult =
  | { ok: true; identity: UserIdentityRow }
  | { ok: false; reason: 'not-found' | 'last-method' }
  | Exclude<IdentityConfirmation, { ok: true }>;

// The step-up first (confirmIdentity: the password, or a provider sign-in again for an
// account without one), so a stolen session cannot take a way in away. The last way to
// sign in stays: an account nobody can open is worse than one provider too many.
export async function unlinkProvider(
  db: Db,
  user: Pick<UserRow, 'id' | 'passwordHash'>,
  identityId: string,
  proof: IdentityProof,
  providers: readonly ProviderSettings[],
  context: RequestContext = {},
  now = Date.now(),
): Promise<UnlinkProviderResult> {
  const identity = (await listIdentities(db, user.id)).find((row) => row.id === identityId);
  if (!identity) return { ok: false, reason: 'not-found' };
  const confirmed = await confirmIdentity(db, user, proof, now);
  if (!confirmed.ok) return confirmed;
  const methods = await countSignInMethods(db, user.id);
  if (methods.total <= 1) return { ok: false, reason: 'last-method' };
  await db.batch([
    db.delete(userIdentities).where(and(eq(userIdentities.id, identity.id), eq(userIdentities.userId, user.id))),
    securityEvent(db, { type: 'provider_unlinked', userId: user.id, details: { provider: identity.providerId, providerName: providerName(providers, identity.providerId), issuer: identity.issuer } }, context, now),
  ]);
  return { ok: true, identity };
}

export const SIGN_IN_METHODS_PATH = '/account/sign-in-methods';

export type StartLinkResult =
  | ProviderStartResult
  | Exclude<IdentityConfirmation, { ok: true }>;

// Linking adds a way in, so it takes the step-up first: the password, or for an account
// made through a provider, a sign-in with that provider again (confirmIdentity).
export async function startProviderLink(
  db: Db,
  settings: ProviderSettings,
  deps: ProviderDeps,
  user: Pick<UserRow, 'id' | 'passwordHash'>,
  proof: IdentityProof,
  now = Date.now(),
): Promise<StartLinkResult> {
  const confirmed = await confirmIdentity(db, user, proof, now);
  if (!confirmed.ok) return confirmed;
  return startProviderSignIn(settings, deps, { intent: 'link', userId: user.id, next: SIGN_IN_METHODS_PATH }, now);
}
