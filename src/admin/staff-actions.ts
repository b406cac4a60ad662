import type { UserRow } from '../db/schema';
import type { MessageKey } from '../i18n/catalog';

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

// Catalogue keys (src/i18n/en/admin.ts), not text: the pages and the route translate them
// in the staff member's language.
export type ActionLabelKey = Extract<MessageKey, `admin.actions.${string}.label` | `admin.audit.${'sudo' | 'superuserCreated'}`>;
export type ActionDoneKey = Extract<MessageKey, `admin.actions.${string}.done`>;
export type RefusalKey = Extract<MessageKey, `admin.refusal.${string}`>;

interface ActionDefinition {
  event: `staff_${string}`;
  label: ActionLabelKey;
  // What happened, for the flash message ({username}: the account's).
  done: ActionDoneKey;
  superuserOnly?: boolean;
  // Why the action makes no sense for this account right now, if it does not.
  pointless(target: ActionTarget): RefusalKey | null;
}

export const STAFF_ACTIONS: Record<StaffAction, ActionDefinition> = {
  deactivate: {
    event: 'staff_deactivated',
    label: 'admin.actions.deactivate.label',
    done: 'admin.actions.deactivate.done',
    pointless: (t) => (t.isActive ? null : 'admin.refusal.alreadyDeactivated'),
  },
  reactivate: {
    event: 'staff_reactivated',
    label: 'admin.actions.reactivate.label',
    done: 'admin.actions.reactivate.done',
    pointless: (t) => (t.isActive ? 'admin.refusal.alreadyActive' : null),
  },
  'sign-out': { event: 'staff_signed_out_everywhere', label: 'admin.actions.signOut.label', done: 'admin.actions.signOut.done', pointless: () => null },
  'remove-avatar': {
    event: 'staff_avatar_removed',
    label: 'admin.actions.removeAvatar.label',
    done: 'admin.actions.removeAvatar.done',
    pointless: (t) => (t.avatarKey ? null : 'admin.refusal.noPicture'),
  },
  'password-reset': {
    event: 'staff_password_reset_sent',
    label: 'admin.actions.passwordReset.label',
    done: 'admin.actions.passwordReset.done',
    pointless: (t) => (t.isActive ? null : 'admin.refusal.resetDeactivated'),
  },
  // For an owner who lost the app and every recovery code (after checking who they are).
  'reset-two-factor': {
    event: 'staff_two_factor_reset',
    label: 'admin.actions.resetTwoFactor.label',
    done: 'admin.actions.resetTwoFactor.done',
    pointless: (t) => (t.twoFactorEnabled ? null : 'admin.refusal.twoFactorOff'),
  },
  // One linked "Sign in with ..." identity (the form names it), e.g. a provider account
  // the owner lost to someone else. Even the last way in may go: a password reset restores one.
  'unlink-provider': {
    event: 'staff_unlinked_provider',
    label: 'admin.actions.unlinkProvider.label',
    done: 'admin.actions.unlinkProvider.done',
    pointless: () => null,
  },
  'grant-staff': {
    event: 'staff_granted_staff',
    label: 'admin.actions.grantStaff.label',
    done: 'admin.actions.grantStaff.done',
    superuserOnly: true,
    pointless: (t) => (t.isStaff ? 'admin.refusal.alreadyStaff' : null),
  },
  'remove-staff': {
    event: 'staff_removed_staff',
    label: 'admin.actions.removeStaff.label',
    done: 'admin.actions.removeStaff.done',
    superuserOnly: true,
    pointless: (t) => (t.isStaff || t.isSuperuser ? null : 'admin.refusal.notStaff'),
  },
  'grant-superuser': {
    event: 'staff_granted_superuser',
    label: 'admin.actions.grantSuperuser.label',
    done: 'admin.actions.grantSuperuser.done',
    superuserOnly: true,
    pointless: (t) => (t.isSuperuser ? 'admin.refusal.alreadySuperuser' : null),
  },
  'remove-superuser': {
    event: 'staff_removed_superuser',
    label: 'admin.actions.removeSuperuser.label',
    done: 'admin.actions.removeSuperuser.done',
    superuserOnly: true,
    pointless: (t) => (t.isSuperuser ? null : 'admin.refusal.notSuperuser'),
  },
  delete: { event: 'staff_deleted_account', label: 'admin.actions.delete.label', done: 'admin.actions.delete.done', pointless: () => null },
};

export function isStaffAction(value: string): value is StaffAction {
  return Object.hasOwn(STAFF_ACTIONS, value);
}

export function staffEventType(action: StaffAction): `staff_${string}` {
  return STAFF_ACTIONS[action].event;
}

export const SUDO_EVENT = 'staff_password_confirmed';
export const SUPERUSER_CREATED_EVENT = 'staff_superuser_created';

// Every staff event type the audit lists, with the catalogue key of how it reads there.
export const AUDIT_EVENT_LABELS: Record<string, ActionLabelKey> = {
  ...Object.fromEntries(Object.entries(STAFF_ACTIONS).map(([action, { label }]) => [staffEventType(action as StaffAction), label])),
  [SUDO_EVENT]: 'admin.audit.sudo',
  [SUPERUSER_CREATED_EVENT]: 'admin.audit.superuserCreated',
};

// Why this staff member may not do this to this account (a catalogue key), or null if they may.
// Superusers alone change staff accounts and staff flags; nobody acts on their own
// account here (so nobody can remove their own superuser flag or lock themselves out).
export function refuseStaffAction(actor: StaffMember, target: ActionTarget, action: StaffAction): RefusalKey | null {
  if (!actor.isStaff) return 'admin.refusal.staffOnly';
  if (actor.id === target.id) return 'admin.refusal.ownAccount';
  const definition = STAFF_ACTIONS[action];
  if (definition.superuserOnly && !actor.isSuperuser) return 'admin.refusal.superuserOnly';
  if ((target.isStaff || target.isSuperuser) && !actor.isSuperuser) return 'admin.refusal.staffAccount';
  return definition.pointless(target);
}

export function availableActions(actor: StaffMember, target: ActionTarget): StaffAction[] {
  return (Object.keys(STAFF_ACTIONS) as StaffAction[]).filter((action) => refuseStaffAction(actor, target, action) === null);
}
