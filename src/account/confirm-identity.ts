import { recordIdentityConfirmation } from '../auth/identity-confirmation';
import type { Db } from '../db/client';
import type { ProviderClaims } from '../providers/provider-result';
import { findUserByIdentity, touchIdentity } from '../providers/user-identities';
import type { RequestContext } from '../users/security-events';

export type ProviderConfirmationResult = { ok: true } | { ok: false; reason: 'not-your-identity' };

// The return from a provider trip started to confirm who is signed in (an account without
// a password): it counts only when the identity the provider vouched for is linked to this
// very account. Someone else's identity, or one linked nowhere, changes nothing.
export async function confirmIdentityWithProvider(
  db: Db,
  user: { id: string; sessionId: string },
  claims: ProviderClaims,
  providerName: string,
  context: RequestContext = {},
  now = Date.now(),
): Promise<ProviderConfirmationResult> {
  const owner = await findUserByIdentity(db, claims.issuer, claims.subject);
  if (!owner || owner.userId !== user.id) return { ok: false, reason: 'not-your-identity' };
  await Promise.all([
    recordIdentityConfirmation(db, user.id, user.sessionId, { provider: claims.providerId, providerName }, context, now),
    touchIdentity(db, owner.identityId, claims, now),
  ]);
  return { ok: true };
}
