import type { Session } from '../auth/session';
import { describeUserAgent } from '../auth/user-agent';
import { listUserSessions } from '../auth/user-sessions';
import type { Db } from '../db/client';
import type { UserIdentityRow, UserRow } from '../db/schema';
import { listIdentities } from '../providers/user-identities';
import { listAllUserEvents, type SecurityEvent } from '../users/security-events';

// "Download my data": account.json, in the format documented in the README ("Your data").
// Fields are copied one by one, never spread from a row, so a column added later (a hash,
// a secret) cannot slip into the export unnoticed. Bump the version when a field changes
// meaning or goes; adding a field keeps it.
export const EXPORT_FORMAT_VERSION = 1;
export const AVATAR_FILE_NAME = 'avatar.webp';

export type ExportedUser = Pick<
  UserRow,
  'id' | 'username' | 'email' | 'emailVerifiedAt' | 'dateJoined' | 'lastLogin' | 'isActive' | 'isStaff' | 'isSuperuser' | 'mustResetPassword'
>;

export interface ExportedAvatar {
  key: string;
  url: string;
  // Whether avatar.webp is in the archive (false if the stored object was missing).
  included: boolean;
}

export interface AccountDocument {
  formatVersion: typeof EXPORT_FORMAT_VERSION;
  exportedAt: string;
  account: {
    id: string;
    username: string;
    email: string;
    emailVerified: boolean;
    emailVerifiedAt: string | null;
    dateJoined: string;
    lastLogin: string | null;
    flags: { active: boolean; staff: boolean; superuser: boolean; passwordResetRequired: boolean };
  };
  profile: { avatar: { key: string; url: string; file: string | null } | null };
  sessions: {
    current: boolean;
    device: string;
    userAgent: string | null;
    location: string | null;
    signedInWith: string | null;
    signedInAt: string;
    lastSeenAt: string;
    expiresAt: string;
  }[];
  securityEvents: {
    type: string;
    at: string;
    by: 'you' | 'staff' | 'system';
    device: string;
    userAgent: string | null;
    ip: string | null;
    location: string | null;
    country: string | null;
    details: Record<string, unknown>;
  }[];
  // "Sign in with ...": who the provider says the person is. No tokens are ever kept.
  signInProviders: {
    provider: string;
    issuer: string;
    subject: string;
    email: string | null;
    emailVerified: boolean;
    linkedAt: string;
    lastUsedAt: string | null;
  }[];
}

export interface AccountData {
  user: ExportedUser;
  avatar: ExportedAvatar | null;
  sessions: Session[];
  currentSessionId?: string;
  events: SecurityEvent[];
  identities?: UserIdentityRow[];
}

const iso = (time: Date | number) => new Date(time).toISOString();

// A safety net for event details written by future code: a key that names a secret is dropped.
const SECRET_KEY = /hash|secret|token|password|otp|recoverycode|^codes?$/i;

function publicDetails(details: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(details).filter(([key]) => !SECRET_KEY.test(key)));
}

const STAFF_PLACE = { device: 'Site staff', userAgent: null, ip: null, location: null, country: null };

function actorOf(event: SecurityEvent): 'you' | 'staff' | 'system' {
  if (event.actorId === null) return 'system';
  return event.actorId === event.userId ? 'you' : 'staff';
}

export function buildAccountDocument(data: AccountData, now = new Date()): AccountDocument {
  const { user, avatar } = data;
  return {
    formatVersion: EXPORT_FORMAT_VERSION,
    exportedAt: iso(now),
    account: {
      id: user.id,
      username: user.username,
      email: user.email,
      emailVerified: user.emailVerifiedAt !== null,
      emailVerifiedAt: user.emailVerifiedAt ? iso(user.emailVerifiedAt) : null,
      dateJoined: iso(user.dateJoined),
      lastLogin: user.lastLogin ? iso(user.lastLogin) : null,
      flags: { active: user.isActive, staff: user.isStaff, superuser: user.isSuperuser, passwordResetRequired: user.mustResetPassword },
    },
    profile: { avatar: avatar ? { key: avatar.key, url: avatar.url, file: avatar.included ? AVATAR_FILE_NAME : null } : null },
    // Session ids and secret hashes stay out: half a token is still nothing to hand around.
    sessions: data.sessions.map((session) => ({
      current: session.id === data.currentSessionId,
      device: describeUserAgent(session.userAgent),
      userAgent: session.userAgent ?? null,
      location: session.location ?? null,
      // The method as the event names it (password, passkey, provider...), and which provider.
      signedInWith: session.signInMethod === 'provider' ? `provider:${session.providerName ?? ''}` : (session.signInMethod ?? null),
      signedInAt: iso(session.createdAt),
      lastSeenAt: iso(session.lastSeenAt),
      expiresAt: iso(Math.min(session.expiresAt, session.absoluteExpiresAt)),
    })),
    securityEvents: data.events.map((event) => {
      const by = actorOf(event);
      // Where a staff member acted from is theirs, not the account's: the activity page
      // shows "Site staff" instead, and so does the export.
      const place =
        by === 'staff'
          ? STAFF_PLACE
          : { device: describeUserAgent(event.userAgent ?? undefined), userAgent: event.userAgent, ip: event.ip, location: event.location, country: event.country };
      return { type: event.type, at: iso(event.createdAt), by, ...place, details: publicDetails(event.details) };
    }),
    signInProviders: (data.identities ?? []).map((identity) => ({
      provider: identity.providerId,
      issuer: identity.issuer,
      subject: identity.subject,
      email: identity.email,
      emailVerified: identity.emailVerified,
      linkedAt: iso(identity.linkedAt),
      lastUsedAt: identity.lastUsedAt ? iso(identity.lastUsedAt) : null,
    })),
  };
}

// The live sessions (KV, through the user's index), every security event and the linked
// provider identities (D1).
export async function loadExportRecords(db: Db, kv: KVNamespace, userId: string): Promise<Pick<AccountData, 'sessions' | 'events' | 'identities'>> {
  const [sessions, events, identities] = await Promise.all([listUserSessions(kv, userId), listAllUserEvents(db, userId), listIdentities(db, userId)]);
  return { sessions, events, identities };
}

// edge-accounts-alice-2026-11-25.zip (the date in UTC).
export function exportFileName(username: string, now = new Date()): string {
  return `edge-accounts-${username}-${now.toISOString().slice(0, 10)}.zip`;
}
