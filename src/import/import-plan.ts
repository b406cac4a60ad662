import { normalizeEmail, normalizeUsername, usernameKey } from '../users/identity';
import type { DjangoUser } from './django-users';
import { planPassword } from './imported-password';
import { type Claims, type Issue, emailIssue, freeName, isPlaceholderEmail, isValidUsername, placeholderEmail, usernameIssue } from './import-conflicts';

export type { ConflictKind, Issue } from './import-conflicts';
export { isPlaceholderEmail, placeholderEmail } from './import-conflicts';

// What the import will do with each Django user, decided before anything is written:
// pure, so the CLI (report, SQL) and the tests share it.

// A row already in the target database (D1), as far as the plan needs it.
export interface TargetUser {
  id: string;
  legacyId: number | null;
  username: string;
  usernameKey: string;
  email: string;
  // Whether the password is the app's own: the user signed in or reset it here since.
  usedHere: boolean;
  // The imported hash still in place (null once used here: it never leaves D1 then).
  passwordHash: string | null;
  isActive: boolean;
  isStaff: boolean;
  isSuperuser: boolean;
  dateJoined: number;
  lastLogin: number | null;
  mustResetPassword: boolean;
  // email_verified_at is set (by an earlier import, or confirmed here since).
  emailVerified: boolean;
  avatarKey: string | null;
  avatarImportKey: string | null;
}

// What the CLI found for a user's picture (it reads the files; the plan does not).
export type PictureCheck =
  | { kind: 'default' }
  | { kind: 'image'; path: string; contentHash: string; extension: string }
  | { kind: 'unusable'; path: string; reason: string };

export type ConflictRule = 'rename' | 'skip';

export type PicturePlan =
  | { kind: 'default' }
  | { kind: 'stage'; path: string; key: string; alreadyStaged: boolean }
  | { kind: 'keep' }
  | { kind: 'unusable'; path: string; reason: string };

export interface PlannedUser {
  django: DjangoUser;
  // insert: new row; update: a row from an earlier run, refreshed (never used here yet);
  // unchanged: nothing to write; used_here: signed in or reset here since, left as it is;
  // skip: left out under --on-conflict skip.
  action: 'insert' | 'update' | 'unchanged' | 'used_here' | 'skip';
  id: string;
  username: string;
  usernameKey: string;
  email: string;
  emailPlaceholder: boolean;
  // django-allauth marks this very address verified for this user: written as confirmed
  // (false for used_here: nothing is written then).
  addressVerified: boolean;
  passwordHash: string;
  mustReset: boolean;
  // The hash format and cost, or why the password must be reset.
  password: string;
  issues: Issue[];
  picture: PicturePlan;
}

export interface ImportPlan {
  users: PlannedUser[];
  rule: ConflictRule | null;
  // Conflicts exist and no rule was chosen: nothing may be written.
  needsDecision: boolean;
}

// The Django tutorial's Profile.profile_pic default: this app's default avatar instead.
export const DJANGO_DEFAULT_PICTURE = 'default.jpg';
export function importKeyFor(userId: string, picture: { contentHash: string; extension: string }): string {
  return `imports/${userId}/${picture.contentHash.slice(0, 32)}.${picture.extension}`;
}

function planPicture(check: PictureCheck | undefined, userId: string, existing: TargetUser | undefined): PicturePlan {
  if (existing?.avatarKey) return { kind: 'keep' };
  if (!check || check.kind === 'default') return { kind: 'default' };
  if (check.kind === 'unusable') return check;
  const key = importKeyFor(userId, check);
  return { kind: 'stage', path: check.path, key, alreadyStaged: existing?.avatarImportKey === key };
}

// Same values as the row already there: nothing to write (a re-run, or a resumed one).
function isUnchanged(user: PlannedUser, row: TargetUser): boolean {
  const d = user.django;
  const staged = user.picture.kind !== 'stage' || row.avatarImportKey === user.picture.key;
  return (
    row.username === user.username && row.email === user.email && row.passwordHash === user.passwordHash && row.mustResetPassword === user.mustReset &&
    row.isActive === d.isActive && row.isStaff === d.isStaff && row.isSuperuser === d.isSuperuser && row.dateJoined === d.dateJoined &&
    row.lastLogin === d.lastLogin && staged && (row.emailVerified || !user.addressVerified)
  );
}

// A verified allauth row counts only for the address the account gets, which is the
// user's own (auth_user.email, normalised): a verified second address proves nothing
// about the first, and a placeholder is nobody's.
function isAddressVerified(django: DjangoUser, email: string): boolean {
  if (isPlaceholderEmail(email)) return false;
  return django.verifiedEmails.some((address) => normalizeEmail(address) === email);
}

export interface PlanOptions {
  rule: ConflictRule | null;
  newId: () => string;
  pictures?: Map<number, PictureCheck>;
}

// Rules (README, "Moving from the Django app"): users are taken in Django id order, so the
// oldest account keeps a contested username or address; the others are renamed
// ("alice-4") or get a placeholder address under "rename", or are left out under "skip".
// Rows already here keep what they have; a row from an earlier run keeps its own name.
export function planImport(djangoUsers: DjangoUser[], target: TargetUser[], options: PlanOptions): ImportPlan {
  const byLegacyId = new Map(target.filter((row) => row.legacyId !== null).map((row) => [row.legacyId!, row]));
  const claims: Claims = { usernames: new Map(), emails: new Map() };
  for (const row of target) {
    const holder = { label: row.username, here: row.legacyId === null };
    claims.usernames.set(row.usernameKey, holder);
    claims.emails.set(row.email, holder);
  }
  const sorted = [...djangoUsers].sort((a, b) => a.id - b.id);
  // Whose address each email is in Django: a username equal to someone else's address
  // would sign in as that someone (an email match wins at sign-in).
  const djangoEmails = new Map<string, DjangoUser>();
  for (const user of sorted) {
    const address = normalizeEmail(user.email);
    if (address && !djangoEmails.has(address)) djangoEmails.set(address, user);
  }

  const users = sorted.map((django): PlannedUser => {
    const existing = byLegacyId.get(django.id);
    const id = existing?.id ?? options.newId();
    const base = { django, id, ...planPassword(django.password), picture: planPicture(options.pictures?.get(django.id), id, existing) };
    // Signed in or reset here since an earlier run: the account is this app's now.
    if (existing?.usedHere) {
      return {
        ...base,
        action: 'used_here',
        username: existing.username,
        usernameKey: existing.usernameKey,
        email: existing.email,
        emailPlaceholder: isPlaceholderEmail(existing.email),
        addressVerified: false,
        issues: [],
      };
    }
    const issues: Issue[] = [];
    let username = normalizeUsername(django.username);
    const nameIssue = usernameIssue(django, username, existing, claims, djangoEmails);
    if (nameIssue) {
      issues.push(nameIssue);
      const keepOwn = existing && existing.usernameKey !== usernameKey(username);
      // An address-like name loses its domain: "quinn@example.com" becomes "quinn-23".
      const base = !isValidUsername(username) ? 'user' : nameIssue.kind === 'username_is_other_users_email' ? username.split('@')[0] || 'user' : username;
      username = keepOwn ? existing.username : freeName(base, django.id, claims);
    }
    let email = normalizeEmail(django.email);
    const addressIssue = emailIssue(email, existing, claims);
    if (addressIssue) {
      issues.push(addressIssue);
      email = existing && isPlaceholderEmail(existing.email) ? existing.email : placeholderEmail(django.id);
    }
    const skip = options.rule === 'skip' && issues.length > 0 && !existing;
    if (!skip) {
      claims.usernames.set(usernameKey(username), { label: django.username, here: false });
      claims.emails.set(email, { label: django.username, here: false });
    }
    const planned: PlannedUser = {
      ...base,
      action: skip ? 'skip' : existing ? 'update' : 'insert',
      username,
      usernameKey: usernameKey(username),
      email,
      emailPlaceholder: isPlaceholderEmail(email),
      addressVerified: isAddressVerified(django, email),
      issues,
    };
    return existing && isUnchanged(planned, existing) ? { ...planned, action: 'unchanged' } : planned;
  });
  const needsDecision = options.rule === null && users.some((user) => user.issues.length > 0 && (user.action === 'insert' || user.action === 'skip'));
  return { users, rule: options.rule, needsDecision };
}
