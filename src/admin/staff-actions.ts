import type { UserRow } from '../db/schema';

// What staff can do to an account, who may do it, and how the audit names it. Each
// action is recorded as a security event "staff_<what was done>" (past tense, like the
// other events), actor = the staff member, user = the account.

export type StaffAction =
  | 'deactivate'
  | 'reactivate'
  | 'sign-out'
  | 'remove-avatar'
  | 'password-reset'
  | 'reset-two-factor'
  | 'unlink-provider'
  | 'grant-staff'
  | 'remove-staff'
  | 'grant-superuser'
  | 'remove-superuser'
  | 'delete';

export type StaffMember = Pick<UserRow, 'id' | 'isStaff' | 'isSuperuser'>;
export type ActionTarget = Pick<UserRow, 'id' | 'username' | 'email' | 'isActive' | 'isStaff' | 'isSuperuser'> & {
  avatarKey: string | null;
  twoFactorEnabled: boolean;
};

interface ActionDefinition {
  event: `staff_${string}`;
  label: string;
  // What happened, for the flash message.
  done(username: string): string;
  superuserOnly?: boolean;
  // Why the action makes no sense for this account right now, if it does not.
  pointless(target: ActionTarget): string | null;
}

export const STAFF_ACTIONS: Record<StaffAction, ActionDefinition> = {
  deactivate: {
    event: 'staff_deactivated',
    label: 'Deactivate',
    done: (u) => `${u} was deactivated and signed out everywhere.`,
    pointless: (t) => (t.isActive ? null : 'This account is already deactivated.'),
  },
  reactivate: {
    event: 'staff_reactivated',
    label: 'Reactivate',
    done: (u) => `${u} was reactivated.`,
    pointless: (t) => (t.isActive ? 'This account is already active.' : null),
  },
  'sign-out': { event: 'staff_signed_out_everywhere', label: 'Sign out everywhere', done: (u) => `${u} was signed out everywhere.`, pointless: () => null },
  'remove-avatar': {
    event: 'staff_avatar_removed',
    label: 'Remove picture',
    done: (u) => `The picture of ${u} was removed.`,
    pointless: (t) => (t.avatarKey ? null : 'This account has no picture.'),
  },
  'password-reset': {
    event: 'staff_password_reset_sent',
    label: 'Send password-reset email',
    done: (u) => `A password-reset link was sent to ${u}.`,
    pointless: (t) => (t.isActive ? null : 'A deactivated account cannot reset its password: reactivate it first.'),
  },
  // For an owner who lost the app and every recovery code (after checking who they are).
  'reset-two-factor': {
    event: 'staff_two_factor_reset',
    label: 'Reset two-factor',
    done: (u) => `Two-factor sign-in was turned off for ${u}, and they were signed out everywhere.`,
    pointless: (t) => (t.twoFactorEnabled ? null : 'Two-factor sign-in is already off for this account.'),
  },
  // One linked "Sign in with ..." identity (the form names it), e.g. a provider account
  // the owner lost to someone else. Even the last way in may go: a password reset restores one.
  'unlink-provider': {
    event: 'staff_unlinked_provider',
    label: 'Unlink sign-in provider',
    done: (u) => `A sign-in provider was unlinked from ${u}.`,
    pointless: () => null,
  },
  'grant-staff': {
    event: 'staff_granted_staff',
    label: 'Make staff',
    done: (u) => `${u} is now staff.`,
    superuserOnly: true,
    pointless: (t) => (t.isStaff ? 'This account is already staff.' : null),
  },
  'remove-staff': {
    event: 'staff_removed_staff',
    label: 'Remove staff',
    done: (u) => `${u} is no longer staff.`,
    superuserOnly: true,
    pointless: (t) => (t.isStaff || t.isSuperuser ? null : 'This account is not staff.'),
  },
  'grant-superuser': {
    event: 'staff_granted_superuser',
    label: 'Make superuser',
    done: (u) => `${u} is now a superuser.`,
    superuserOnly: true,
    pointless: (t) => (t.isSuperuser ? 'This account is already a superuser.' : null),
  },
  'remove-superuser': {
    event: 'staff_removed_superuser',
    label: 'Remove superuser',
    done: (u) => `${u} is no longer a superuser.`,
    superuserOnly: true,
    pointless: (t) => (t.isSuperuser ? null : 'This account is not a superuser.'),
  },
  delete: { event: 'staff_deleted_account', label: 'Delete account', done: (u) => `The account ${u} was deleted.`, pointless: () => null },
};

export function isStaffAction(value: string): value is StaffAction {
  return Object.hasOwn(STAFF_ACTIONS, value);
}

export function staffEventType(action: StaffAction): `staff_${string}` {
  return STAFF_ACTIONS[action].event;
}

export const SUDO_EVENT = 'staff_password_confirmed';
export const SUPERUSER_CREATED_EVENT = 'staff_superuser_created';

// Every staff event type the audit lists, with how it reads there.
export const AUDIT_EVENT_LABELS: Record<string, string> = {
  ...Object.fromEntries(Object.entries(STAFF_ACTIONS).map(([action, { label }]) => [staffEventType(action as StaffAction), label])),
  [SUDO_EVENT]: 'Confirmed password for staff actions',
  [SUPERUSER_CREATED_EVENT]: 'Superuser created (command line)',
};

// Why this staff member may not do this to this account, or null if they may.
// Superusers alone change staff accounts and staff flags; nobody acts on their own
// account here (so nobody can remove their own superuser flag or lock themselves out).
export function refuseStaffAction(actor: StaffMember, target: ActionTarget, action: StaffAction): string | null {
  if (!actor.isStaff) return 'Only staff can do this.';
  if (actor.id === target.id) return 'You cannot do this to your own account here; use your account pages.';
  const definition = STAFF_ACTIONS[action];
  if (definition.superuserOnly && !actor.isSuperuser) return 'Only superusers can grant or remove staff rights.';
  if ((target.isStaff || target.isSuperuser) && !actor.isSuperuser) return 'Only superusers can change a staff account.';
  return definition.pointless(target);
}

export function availableActions(actor: StaffMember, target: ActionTarget): StaffAction[] {
  return (Object.keys(STAFF_ACTIONS) as StaffAction[]).filter((action) => refuseStaffAction(actor, target, action) === null);
}
