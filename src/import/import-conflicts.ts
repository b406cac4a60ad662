import { email as emailRule } from '../auth/forms';
import { USERNAME_MAX_LENGTH, USERNAME_PATTERN, usernameKey } from '../users/identity';
import type { DjangoUser } from './django-users';
import type { TargetUser } from './import-plan';

// What Django allowed and this app does not: usernames equal regardless of case or under
// NFKC, a username equal to someone's address or an address equal to someone's username
// (sign-in takes either, so one would shadow the other), missing, invalid or shared addresses.
// Each finding names who keeps the name or address, for the report.
export type ConflictKind =
  | 'username_case'
  | 'username_nfkc'
  | 'username_taken_here'
  | 'username_invalid'
  | 'username_is_other_users_email'
  | 'email_is_other_users_username'
  | 'email_case'
  | 'email_taken_here'
  | 'email_missing'
  | 'email_invalid';

export interface Issue {
  kind: ConflictKind;
  // Who else is involved (the user or address that kept the name), for the report.
  with?: string;
  // Whether that one is an account of this app rather than one from this import.
  here?: boolean;
}

// Who holds a username key or an address, as the plan goes through the users.
export interface Holder {
  label: string; // the username shown in the report
  here: boolean; // an account of this app, not one from this import
}

export interface Claims {
  usernames: Map<string, Holder>; // username key -> who holds it
  emails: Map<string, Holder>; // normalised email -> who holds it
}

const PLACEHOLDER_DOMAIN = 'import.invalid';

export function placeholderEmail(djangoId: number): string {
  return `django-user-${djangoId}@${PLACEHOLDER_DOMAIN}`;
}

export function isPlaceholderEmail(email: string): boolean {
  return email.endsWith(`@${PLACEHOLDER_DOMAIN}`);
}

export function isValidUsername(username: string): boolean {
  return username.length > 0 && username.length <= USERNAME_MAX_LENGTH && USERNAME_PATTERN.test(username);
}

// A free name for a renamed user: "alice-4" (the Django id), else "user-4", "user-4-2"...
export function freeName(base: string, djangoId: number, claims: Claims): string {
  for (const candidate of [`${base}-${djangoId}`, `user-${djangoId}`]) {
    if (isValidUsername(candidate) && !claims.usernames.has(usernameKey(candidate))) return candidate;
  }
  for (let n = 2; ; n++) if (!claims.usernames.has(usernameKey(`user-${djangoId}-${n}`))) return `user-${djangoId}-${n}`;
}

export function usernameIssue(django: DjangoUser, username: string, own: TargetUser | undefined, claims: Claims, djangoEmails: Map<string, DjangoUser>): Issue | null {
  if (!isValidUsername(username)) return { kind: 'username_invalid' };
  const key = usernameKey(username);
  const holder = key === own?.usernameKey ? undefined : claims.usernames.get(key);
  if (holder) {
    if (holder.here) return { kind: 'username_taken_here', with: holder.label };
    return { kind: holder.label.toLowerCase() === django.username.toLowerCase() ? 'username_case' : 'username_nfkc', with: holder.label };
  }
  const owner = djangoEmails.get(key);
  const emailHolder = key === own?.email ? undefined : claims.emails.get(key);
  if (owner && owner.id !== django.id) return { kind: 'username_is_other_users_email', with: owner.username };
  if (emailHolder) return { kind: 'username_is_other_users_email', with: emailHolder.label };
  return null;
}

// Within the file, a username equal to another user's address yields (usernameIssue), so
// an address meets a username here only when that username stays: an account here, or
// one imported earlier and used here since.
export function emailIssue(email: string, own: TargetUser | undefined, claims: Claims): Issue | null {
  if (!email) return { kind: 'email_missing' };
  if (!emailRule.safeParse(email).success) return { kind: 'email_invalid' };
  const holder = email === own?.email ? undefined : claims.emails.get(email);
  if (holder) return { kind: holder.here ? 'email_taken_here' : 'email_case', with: holder.label };
  const key = usernameKey(email);
  const nameHolder = key === own?.usernameKey ? undefined : claims.usernames.get(key);
  if (nameHolder) return { kind: 'email_is_other_users_username', with: nameHolder.label, here: nameHolder.here };
  return null;
}

