import type { TargetUser } from './import-plan';

// What an import needs to know about the rows already in D1, a page at a time (the CLI
// runs it through wrangler, the tests on the D1 binding). Password hashes of accounts
// that are not, or no longer, imported ones never leave D1: only whether they are the app's.
export const TARGET_PAGE_SIZE = 5000;

export function targetUsersQuery(afterId: string, limit = TARGET_PAGE_SIZE): string {
  if (!/^[0-9a-f]*$/.test(afterId)) throw new Error('Unexpected user id');
  return `SELECT u.id, u.legacy_id, u.username, u.username_key, u.email, u.is_active, u.is_staff, u.is_superuser, u.date_joined,
    u.last_login, u.must_reset_password, u.email_verified_at IS NOT NULL AS email_verified, u.password_hash LIKE '$%' AS used_here,
    CASE WHEN u.legacy_id IS NOT NULL AND u.password_hash NOT LIKE '$%' THEN u.password_hash END AS imported_hash,
    p.avatar_key, p.avatar_import_key
  FROM users u LEFT JOIN profiles p ON p.user_id = u.id WHERE u.id > '${afterId}' ORDER BY u.id LIMIT ${Number(limit)}`;
}

const textOrNull = (value: unknown) => (value === null || value === undefined ? null : String(value));

export function targetUserFromRow(row: Record<string, unknown>): TargetUser {
  return {
    id: String(row.id),
    legacyId: row.legacy_id === null || row.legacy_id === undefined ? null : Number(row.legacy_id),
    username: String(row.username),
    usernameKey: String(row.username_key),
    email: String(row.email),
    usedHere: Boolean(row.used_here),
    passwordHash: textOrNull(row.imported_hash),
    isActive: Boolean(row.is_active),
    isStaff: Boolean(row.is_staff),
    isSuperuser: Boolean(row.is_superuser),
    dateJoined: Number(row.date_joined),
    lastLogin: row.last_login === null || row.last_login === undefined ? null : Number(row.last_login),
    mustResetPassword: Boolean(row.must_reset_password),
    emailVerified: Boolean(row.email_verified),
    avatarKey: textOrNull(row.avatar_key),
    avatarImportKey: textOrNull(row.avatar_import_key),
  };
}

// Every row, page by page, through whatever runs the query.
export async function readTargetUsers(runQuery: (sql: string) => Promise<Record<string, unknown>[]>): Promise<TargetUser[]> {
  const rows: TargetUser[] = [];
  for (;;) {
    const page = await runQuery(targetUsersQuery(rows.at(-1)?.id ?? ''));
    rows.push(...page.map(targetUserFromRow));
    if (page.length < TARGET_PAGE_SIZE) return rows;
  }
}
