import { eq } from 'drizzle-orm';
import { isSessionRevoked } from '../auth/session-revocation';
import { listUserSessions } from '../auth/user-sessions';
import type { Db } from '../db/client';
import { profiles, totpCredentials, users, type UserIdentityRow } from '../db/schema';
import { listIdentities } from '../providers/user-identities';
import { listUserEvents, type SecurityEvent } from '../users/security-events';
import type { UserWithProfile } from '../users/user-store';

export const RECENT_EVENTS = 20;

export type StaffViewOfUser = UserWithProfile & { twoFactorEnabled: boolean };

export interface UserDetails {
  user: StaffViewOfUser;
  liveSessions: number;
  events: SecurityEvent[];
  identities: UserIdentityRow[];
}

// One account as the staff page shows it: three D1 queries (the user with the profile by
// primary key; the last events through security_events_user; the linked provider
// identities through user_identities_user) and the KV index of its
// sessions. Sessions ended by time (sign out everywhere, deactivation) but still in KV
// at this location are not counted.
export async function findUserDetails(db: Db, kv: KVNamespace, userId: string): Promise<UserDetails | null> {
  const user = await findUserWithProfile(db, userId);
  if (!user) return null;
  const [sessions, events, identities] = await Promise.all([
    listUserSessions(kv, userId),
    listUserEvents(db, userId, { limit: RECENT_EVENTS }),
    listIdentities(db, userId),
  ]);
  const state = { sessionsValidAfter: user.sessionsValidAfter, sessionRevoked: false, lastLogin: user.lastLogin };
  return {
    user,
    liveSessions: sessions.filter((session) => !isSessionRevoked(session, state)).length,
    events,
    identities,
  };
}

// With whether two-factor sign-in is on (the "reset two-factor" action needs it), in the
// same query: totp_credentials is keyed by user id.
export async function findUserWithProfile(db: Db, userId: string): Promise<StaffViewOfUser | null> {
  const row = await db
    .select({ user: users, avatarKey: profiles.avatarKey, totpEnabledAt: totpCredentials.enabledAt })
    .from(users)
    .leftJoin(profiles, eq(profiles.userId, users.id))
    .leftJoin(totpCredentials, eq(totpCredentials.userId, users.id))
    .where(eq(users.id, userId))
    .get();
  return row ? { ...row.user, avatarKey: row.avatarKey, twoFactorEnabled: row.totpEnabledAt !== null } : null;
}
