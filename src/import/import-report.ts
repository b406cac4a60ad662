import type { ConflictKind, ImportPlan, Issue, PlannedUser } from './import-plan';
import { quoteForTerminal as q } from './terminal-text';

// The report the CLI prints before anything is written: every user who is not imported
// as they were in Django is named, with what happens to them. Every value taken from the
// input is quoted (q), so none can act on the terminal.

const KIND_TITLES: Record<ConflictKind, string> = {
  username_case: 'Usernames equal regardless of case',
  username_nfkc: 'Usernames equal under Unicode NFKC (e.g. fullwidth letters)',
  username_taken_here: 'Usernames already taken by an account here',
  username_invalid: 'Usernames this app does not allow',
  username_is_other_users_email: "Usernames equal to another user's email (signing in with them would reach that account)",
  email_is_other_users_username: "Emails equal to another user's username (signing in with them would reach that account)",
  email_case: 'Emails equal regardless of case',
  email_taken_here: 'Emails already used by an account here',
  email_missing: 'No email',
  email_invalid: 'Invalid email',
};

function describeIssue(user: PlannedUser, issue: Issue): string {
  const { username, email } = user.django;
  switch (issue.kind) {
    case 'username_case':
    case 'username_nfkc':
      return `${q(username)} (Django id ${user.django.id}) is the same name as ${q(issue.with!)}, who keeps it`;
    case 'username_taken_here':
      return `${q(username)} is taken by ${q(issue.with!)}, an account here`;
    case 'username_invalid':
      return `${q(username)}: letters, digits and @ . + - _ only, 1-150 characters`;
    case 'username_is_other_users_email':
      return `${q(username)} is the address of ${q(issue.with!)}`;
    case 'email_is_other_users_username':
      return `${q(username)}: ${q(email)} is the username of ${q(issue.with!)}` + (issue.here ? ', an account here' : '');
    case 'email_case':
      return `${q(username)}: ${q(email)} is also the address of ${q(issue.with!)}, who keeps it`;
    case 'email_taken_here':
      return `${q(username)}: ${q(email)} belongs to ${q(issue.with!)}, an account here`;
    case 'email_missing':
      return `${q(username)} has no email`;
    case 'email_invalid':
      return `${q(username)}: ${q(email)} is not a valid address`;
  }
}

export function describeOutcome(user: PlannedUser): string {
  if (user.action === 'skip') return 'not imported (--on-conflict skip)';
  const parts: string[] = [];
  const renamed = user.username !== user.django.username.trim().normalize('NFKC');
  if (renamed) parts.push(`username becomes ${q(user.username)}`);
  if (user.emailPlaceholder) parts.push(`placeholder address ${q(user.email)} (add a real one on the profile page; no reset email until then)`);
  const logins = [user.username, ...(user.emailPlaceholder ? [] : [user.email])];
  if (renamed || user.emailPlaceholder) parts.push(`signs in with ${logins.map(q).join(' or ')}`);
  return parts.join('; ');
}

function count(users: PlannedUser[], action: PlannedUser['action']): number {
  return users.filter((user) => user.action === action).length;
}

export interface ReportContext {
  source: string;
  target: string;
  profile: string | null;
  // django-allauth's addresses in the source (account_emailaddress); null or absent: none.
  emailAddresses?: string | null;
}

// Which addresses are imported as confirmed. Only django-allauth records that an address
// was proven; contrib.auth alone does not, so without it nobody is.
function addressLines(written: PlannedUser[], source: string | null | undefined): string[] {
  const confirmed = written.filter((user) => user.addressVerified).length;
  const lines = ['', 'Addresses'];
  if (source) lines.push(`  confirmed (verified in ${q(source)} for the account's own email): ${confirmed}`);
  else lines.push(`  confirmed: ${confirmed} (no django-allauth addresses in the source; for a dumpdata file, add account.emailaddress if the site has it)`);
  lines.push(`  not confirmed (a password reset confirms them; until then sign-in by email code sends them a reset link): ${written.length - confirmed}`);
  const elsewhere = written.filter((user) => !user.addressVerified && user.django.verifiedEmails.length > 0).length;
  if (elsewhere) lines.push(`    of which ${elsewhere} have a verified allauth address other than the one imported (not counted)`);
  return lines;
}

export function formatImportReport(plan: ImportPlan, context: ReportContext): string {
  const { users } = plan;
  const lines: string[] = [];
  const written = users.filter((user) => user.action === 'insert' || user.action === 'update');
  lines.push(`Django users in ${q(context.source)}: ${users.length}` + (context.profile ? ` (pictures from ${q(context.profile)})` : ' (no profile pictures)'));
  lines.push(`Target: ${context.target}`);
  lines.push(
    `  new: ${count(users, 'insert')}, refreshed from Django: ${count(users, 'update')}, already up to date: ${count(users, 'unchanged')}, ` +
      `signed in here since (left as they are): ${count(users, 'used_here')}, left out: ${count(users, 'skip')}`,
  );

  const formats = new Map<string, number>();
  for (const user of written) if (!user.mustReset) formats.set(user.password.split(',')[0]!, (formats.get(user.password.split(',')[0]!) ?? 0) + 1);
  const resets = written.filter((user) => user.mustReset);
  lines.push('', 'Passwords');
  lines.push(`  verified at first sign-in, then replaced by this app's hash: ${written.length - resets.length}` + (formats.size ? ` (${[...formats].map(([f, n]) => `${f} ${n}`).join(', ')})` : ''));
  lines.push(`  must reset (the sign-in page sends them to the reset link): ${resets.length}`);
  for (const user of resets) lines.push(`    ${q(user.django.username)}: ${user.password.replace(/^must reset: /, '')}`);
  const stranded = resets.filter((user) => user.emailPlaceholder && user.django.isActive);
  if (stranded.length) lines.push(`  cannot reset by themselves (no usable email; give them an address first): ${stranded.map((u) => q(u.django.username)).join(', ')}`);
  lines.push(...addressLines(written, context.emailAddresses));

  const conflicted = users.filter((user) => user.issues.length && user.action !== 'used_here' && user.action !== 'unchanged');
  lines.push('', `Conflicts Django allowed and this app does not: ${conflicted.length} users` + (plan.rule ? ` (rule: --on-conflict ${plan.rule})` : ''));
  for (const kind of Object.keys(KIND_TITLES) as ConflictKind[]) {
    const affected = conflicted.flatMap((user) => user.issues.filter((issue) => issue.kind === kind).map((issue) => [user, issue] as const));
    if (!affected.length) continue;
    lines.push(`  ${KIND_TITLES[kind]}:`);
    for (const [user, issue] of affected) lines.push(`    ${describeIssue(user, issue)} -> ${describeOutcome(user)}`);
  }
  if (plan.needsDecision) {
    lines.push('', 'These need a decision; nothing was written. Run again with:');
    lines.push('  --on-conflict rename  import everyone as listed above (oldest Django account keeps a name or address)');
    lines.push('  --on-conflict skip    leave out the users listed above, except those already imported');
  }

  const pictures = users.filter((user) => user.action !== 'skip');
  const staged = pictures.filter((user) => user.picture.kind === 'stage');
  const unusable = pictures.filter((user) => user.picture.kind === 'unusable');
  lines.push('', 'Pictures');
  lines.push(`  to process (square WebP 512 + 96 px, no metadata, by the hourly job): ${staged.length}` + (staged.some((u) => u.picture.kind === 'stage' && u.picture.alreadyStaged) ? ` (${staged.filter((u) => u.picture.kind === 'stage' && u.picture.alreadyStaged).length} already uploaded)` : ''));
  lines.push(`  default avatar: ${pictures.filter((user) => user.picture.kind === 'default').length}, kept (processed or uploaded here): ${pictures.filter((user) => user.picture.kind === 'keep').length}`);
  lines.push(`  unusable, default avatar instead: ${unusable.length}`);
  for (const user of unusable) if (user.picture.kind === 'unusable') lines.push(`    ${q(user.django.username)}: ${q(user.picture.path)}: ${user.picture.reason}`);
  return lines.join('\n');
}
