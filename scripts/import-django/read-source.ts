import { readFileSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import {
  ALLAUTH_ADDRESSES,
  DEFAULT_PROFILE,
  PICTURE_COLUMNS,
  parseDjangoDate,
  readDumpdata,
  verifiedEmailsByUser,
  type AllauthAddress,
  type DjangoUser,
  type ProfileSource,
} from '../../src/import/django-users';

// Reads the Django users: from the site's SQLite database (read-only) or from a
// `manage.py dumpdata auth.user <app>.profile [account.emailaddress]` JSON file (any
// database engine).
export interface DjangoSource {
  users: DjangoUser[];
  profile: ProfileSource | null;
  // Where django-allauth's verified addresses came from; null: the source has none.
  emailAddresses: string | null;
  kind: 'sqlite' | 'dumpdata';
}

const SQLITE_HEADER = 'SQLite format 3\0';

export function readDjangoSource(path: string, profile: Partial<ProfileSource>): DjangoSource {
  const bytes = readFileSync(path);
  if (bytes.subarray(0, 16).toString('latin1') === SQLITE_HEADER) return { ...readSqlite(path, profile), kind: 'sqlite' };
  const explicit = profile.table && profile.column ? (profile as ProfileSource) : undefined;
  const found = readDumpdata(bytes.toString('utf8'), explicit);
  return { ...found, kind: 'dumpdata' };
}

type Row = Record<string, unknown>;

function columnsOf(db: DatabaseSync, table: string): string[] {
  return (db.prepare(`PRAGMA table_info(${quote(table)})`).all() as Row[]).map((row) => String(row.name));
}

function quote(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

// The profile table: one with a user_id referencing auth_user and a picture column.
function findProfile(db: DatabaseSync, wanted: Partial<ProfileSource>): ProfileSource | null {
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Row[]).map((row) => String(row.name));
  const candidates: ProfileSource[] = [];
  for (const table of wanted.table ? [wanted.table] : tables) {
    if (!tables.includes(table)) throw new Error(`No table ${table} in the database (tables: ${tables.join(', ')})`);
    const columns = columnsOf(db, table);
    const linked = (db.prepare(`PRAGMA foreign_key_list(${quote(table)})`).all() as Row[]).some((fk) => fk.table === 'auth_user' && fk.from === 'user_id');
    if (!columns.includes('user_id') || (!linked && !wanted.table)) continue;
    const column = wanted.column ?? PICTURE_COLUMNS.find((name) => columns.includes(name));
    if (wanted.column && !columns.includes(wanted.column)) throw new Error(`No column ${wanted.column} in ${table} (columns: ${columns.join(', ')})`);
    if (column) candidates.push({ table, column });
  }
  if (candidates.length > 1) {
    const preferred = candidates.find((c) => c.table === DEFAULT_PROFILE.table);
    if (preferred) return preferred;
    throw new Error(`Several profile tables: ${candidates.map((c) => `${c.table}.${c.column}`).join(', ')}; choose one with --profile-table and --profile-column`);
  }
  return candidates[0] ?? null;
}

// django-allauth's rows, when the site has its table (it is always account_emailaddress).
function readAllauth(db: DatabaseSync): AllauthAddress[] | null {
  const found = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(ALLAUTH_ADDRESSES);
  if (!found) return null;
  const columns = columnsOf(db, ALLAUTH_ADDRESSES);
  const missing = ['user_id', 'email', 'verified'].filter((name) => !columns.includes(name));
  if (missing.length) throw new Error(`${ALLAUTH_ADDRESSES} has no column ${missing.join(', ')} (columns: ${columns.join(', ')})`);
  const rows = db.prepare(`SELECT user_id, email, verified FROM ${quote(ALLAUTH_ADDRESSES)} ORDER BY rowid`).all() as Row[];
  return rows.map((row) => ({ userId: Number(row.user_id), email: String(row.email ?? ''), verified: row.verified }));
}

function readSqlite(path: string, wanted: Partial<ProfileSource>): { users: DjangoUser[]; profile: ProfileSource | null; emailAddresses: string | null } {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const profile = findProfile(db, wanted);
    const addresses = readAllauth(db);
    const verified = verifiedEmailsByUser(addresses ?? []);
    const pictureJoin = profile ? `LEFT JOIN ${quote(profile.table)} p ON p.user_id = u.id` : '';
    const picture = profile ? `p.${quote(profile.column)}` : 'NULL';
    const rows = db
      .prepare(
        `SELECT u.id, u.username, u.email, u.password, u.is_active, u.is_staff, u.is_superuser, u.date_joined, u.last_login, ${picture} AS picture
         FROM auth_user u ${pictureJoin} ORDER BY u.id`,
      )
      .all() as Row[];
    const users = rows.map(
      (row): DjangoUser => ({
        id: Number(row.id),
        username: String(row.username ?? ''),
        email: String(row.email ?? ''),
        password: String(row.password ?? ''),
        isActive: Boolean(row.is_active),
        isStaff: Boolean(row.is_staff),
        isSuperuser: Boolean(row.is_superuser),
        dateJoined: parseDjangoDate(String(row.date_joined)) ?? 0,
        lastLogin: parseDjangoDate(row.last_login === null ? null : String(row.last_login)),
        picture: typeof row.picture === 'string' && row.picture ? row.picture : null,
        verifiedEmails: verified.get(Number(row.id)) ?? [],
      }),
    );
    return { users, profile, emailAddresses: addresses ? ALLAUTH_ADDRESSES : null };
  } finally {
    db.close();
  }
}
