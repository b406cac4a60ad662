import { and, eq } from 'drizzle-orm';
import { deleteUserTokens } from '../auth/one-time-tokens';
import { requestPasswordReset } from './password-reset';
import { revokeSessionsIssuedBefore } from '../auth/session-revocation';
import { invalidateUserSessions } from '../auth/user-sessions';
import type { Config } from '../config';
import type { Db } from '../db/client';
import { profiles, userIdentities, users, type UserIdentityRow } from '../db/schema';
import { absoluteUrl } from '../mail/links';
import { sendQuietly, type Mailer } from '../mail/mailer';
import { providerUnlinkedNotice, twoFactorResetByStaffNotice } from '../mail/messages';
import { deleteTwoFactor } from '../mfa/other-credentials';
import { avatarObjectKeys } from '../storage/avatar-keys';
import { deleteObjectsQuietly, type ObjectStore } from '../storage/object-store';
import { deleteAccount } from './account-deletion';
import { securityEvent, type RequestContext } from '../users/security-events';
import { joinNextBatch } from '../admin/join-next-batch';
import { staffEventType, type ActionTarget, type StaffAction, type StaffMember } from '../admin/staff-actions';

export interface StaffActionDeps {
  db: Db;
  kv: KVNamespace;
  objectStore: () => ObjectStore;
  mailer: () => Mailer;
  config: Pick<Config, 'publicOrigin'>;
}

// Does one staff action (already allowed by refuseStaffAction) and records it in the
// same D1 batch as the change. KV and S3 are tidied afterwards: D1 is what every
// location checks, so a session or picture left behind by a failure is never in use.
export async function performStaffAction(
  deps: StaffActionDeps,
  actor: StaffMember,
  target: ActionTarget,
  action: StaffAction,
  context: RequestContext = {},
  now = Date.now(),
  // What the form named: the identity an 'unlink-provider' removes (checked by the caller).
  input: { identity?: Pick<UserIdentityRow, 'id' | 'providerId' | 'issuer'>; providerName?: string } = {},
): Promise<void> {
  const { db } = deps;
  const details: Record<string, unknown> = { username: target.username };
  if (action === 'remove-avatar') details.avatarKey = target.avatarKey;
  if (action === 'unlink-provider') Object.assign(details, { provider: input.identity?.providerId, providerName: input.providerName, issuer: input.identity?.issuer });
  const event = securityEvent(db, { type: staffEventType(action), userId: target.id, actorId: actor.id, details }, context, now);
  const setFlags = (flags: Partial<Pick<ActionTarget, 'isActive' | 'isStaff' | 'isSuperuser'>>) => db.update(users).set(flags).where(eq(users.id, target.id));

  switch (action) {
    case 'deactivate':
      // Deactivation ends every session at once, everywhere: the sign-in check reads
      // is_active and sessions_valid_after in its one D1 query. Emailed links die too, so
      // reactivation does not bring an old one back.
      await db.batch([setFlags({ isActive: false }), revokeSessionsIssuedBefore(db, target.id, now), deleteUserTokens(db, target.id), event]);
      await invalidateUserSessions(deps.kv, target.id);
      return;
    case 'reactivate':
      await db.batch([setFlags({ isActive: true }), event]);
      return;
    case 'sign-out':
      await db.batch([revokeSessionsIssuedBefore(db, target.id, now), event]);
      await invalidateUserSessions(deps.kv, target.id);
      return;
    case 'remove-avatar': {
      // Only the picture the page showed: a newer upload meanwhile is left alone.
      const clear = db
        .update(profiles)
        .set({ avatarKey: null, updatedAt: new Date(now) })
        .where(and(eq(profiles.userId, target.id), eq(profiles.avatarKey, target.avatarKey ?? '')));
      await db.batch([clear, event]);
      await deleteObjectsQuietly(deps.objectStore(), avatarObjectKeys(target.avatarKey), 'removed by staff');
      return;
    }
    case 'password-reset': {
      const joined = joinNextBatch(db, [event]);
      await requestPasswordReset(joined.db, deps.mailer(), deps.config, target.email);
      if (!joined.joined()) throw new Error('No password-reset link was created');
      return;
    }
    case 'reset-two-factor':
      // Whoever holds a session may be the one who turned it on: every session ends too.
      await db.batch([...deleteTwoFactor(db, target.id), revokeSessionsIssuedBefore(db, target.id, now), event]);
      await invalidateUserSessions(deps.kv, target.id);
      await sendQuietly(deps.mailer(), twoFactorResetByStaffNotice(target.email, target.username, absoluteUrl(deps.config, '/account/security')));
      return;
    case 'unlink-provider': {
      if (!input.identity) throw new Error('unlink-provider needs the identity');
      const name = input.providerName ?? input.identity.providerId;
      await db.batch([db.delete(userIdentities).where(and(eq(userIdentities.id, input.identity.id), eq(userIdentities.userId, target.id))), event]);
      await sendQuietly(deps.mailer(), providerUnlinkedNotice(target.email, target.username, absoluteUrl(deps.config, '/account/sign-in-methods'), name));
      return;
    }
    case 'grant-staff':
      await db.batch([setFlags({ isStaff: true }), event]);
      return;
    case 'remove-staff':
      // A superuser without staff could not open the staff area: both go.
      await db.batch([setFlags({ isStaff: false, isSuperuser: false }), event]);
      return;
    case 'grant-superuser':
      await db.batch([setFlags({ isStaff: true, isSuperuser: true }), event]);
      return;
    case 'remove-superuser':
      await db.batch([setFlags({ isSuperuser: false }), event]);
      return;
    case 'delete': {
      // The self-service path; the event survives it (its actor is the staff member).
      const joined = joinNextBatch(db, [event]);
      await deleteAccount(joined.db, deps.kv, deps.objectStore(), target);
      return;
    }
  }
}
