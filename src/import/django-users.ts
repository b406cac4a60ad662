import { quoteForTerminal } from './terminal-text';

// Users of a Django site (contrib.auth's auth_user and the tutorial's Profile next to it),
// as the import reads them from a SQLite database or a `manage.py dumpdata` file. Shared
// by the import CLI (Node) and the tests (workerd): no I/O here.
export interface DjangoUser {
  id: number;
  username: string;
  email: string;
  // The stored hash, exactly as Django wrote it ("pbkdf2_sha256$...", "!...", "").
  password: string;
  isActive: boolean;
  isStaff: boolean;
  isSuperuser: boolean;
  dateJoined: number;
  lastLogin: number | null;
  // The profile's picture as stored (a path under MEDIA_ROOT); null when the user has no
  // profile row or an empty picture field.
  picture: string | null;
  // Addresses django-allauth marks verified for this user (account.EmailAddress), as
  // stored. Only the one equal to `email` counts (import-plan.ts); [] without allauth.
  verifiedEmails: string[];
}

// django-allauth's table (model "account.emailaddress" in dumpdata).
export const ALLAUTH_ADDRESSES = 'account_emailaddress';

// One account.EmailAddress row as either source gives it. `verified` is true only for
// Django's own true (JSON) or 1 (SQLite): anything else leaves the address unconfirmed.
export interface AllauthAddress {
  userId: number;
  email: string;
  verified: unknown;
}

export function verifiedEmailsByUser(rows: AllauthAddress[]): Map<number, string[]> {
  const byUser = new Map<number, string[]>();
  for (const row of rows) {
    if (row.verified !== true && row.verified !== 1) continue;
    byUser.set(row.userId, [...(byUser.get(row.userId) ?? []), row.email]);
  }
  return byUser;
}

export interface ProfileSource {
  table: string; // app_1_profile (dumpdata: the model "app_1.profile")
  column: string; // profile_pic
}

export const DEFAULT_PROFILE: ProfileSource = { table: 'app_1_profile', column: 'profile_pic' };
// Field names a profile picture is likely to have, best first.
export const PICTURE_COLUMNS = ['profile_pic', 'avatar', 'picture', 'photo', 'image'];

// Django keeps datetimes as UTC: "2024-11-20 08:15:42.123456" in SQLite (naive text),
// "2024-11-20T08:15:42.123Z" in dumpdata. Milliseconds are all this app stores.
export function parseDjangoDate(value: string | null | undefined): number | null {
  if (!value) return null;
  const match = /^(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d(?::\d\d)?)(?:\.(\d+))?(Z|[+-]\d\d:?\d\d)?$/.exec(value.trim());
  if (!match) throw new Error(`Unreadable date: ${quoteForTerminal(value)}`);
  const [, day, time, fraction = '', zone = 'Z'] = match;
  const ms = Date.parse(`${day}T${time}.${(fraction + '000').slice(0, 3)}${zone}`);
  if (Number.isNaN(ms)) throw new Error(`Unreadable date: ${quoteForTerminal(value)}`);
  return ms;
}

function requiredDate(value: string | null | undefined, what: string): number {
  const ms = parseDjangoDate(value);
  if (ms === null) throw new Error(`Missing ${what}`);
  return ms;
}

interface DumpdataEntry {
  model: string;
  pk: number;
  fields: Record<string, unknown>;
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');

// The profile model in a dumpdata file: the one with a "user" field and a picture field.
export function findDumpdataProfile(entries: DumpdataEntry[]): ProfileSource | null {
  const candidates = new Map<string, ProfileSource>();
  for (const entry of entries) {
    if (entry.model === 'auth.user' || !('user' in entry.fields) || candidates.has(entry.model)) continue;
    const column = PICTURE_COLUMNS.find((name) => name in entry.fields);
    if (column) candidates.set(entry.model, { table: entry.model.replace('.', '_'), column });
  }
  if (candidates.size === 0) return null;
  return candidates.get('app_1.profile') ?? (candidates.size === 1 ? [...candidates.values()][0]! : null);
}

// The allauth entries of a dumpdata file, null when it has none. The user is a pk, or
// ["username"] when dumped with --natural-foreign.
function dumpdataAddresses(entries: DumpdataEntry[], users: DumpdataEntry[]): AllauthAddress[] | null {
  const addresses = entries.filter((entry) => entry.model === 'account.emailaddress');
  if (!addresses.length) return null;
  const byUsername = new Map(users.map((entry) => [text(entry.fields.username), entry.pk]));
  return addresses.map((entry) => {
    const user = entry.fields.user;
    const userId = typeof user === 'number' ? user : Array.isArray(user) && user.length === 1 ? byUsername.get(text(user[0])) : undefined;
    // JSON already; the CLI escapes the message's controls before printing it.
    if (userId === undefined) throw new Error(`account.emailaddress ${entry.pk}: unknown user ${JSON.stringify(user) ?? 'none'}`);
    return { userId, email: text(entry.fields.email), verified: entry.fields.verified };
  });
}

// `manage.py dumpdata auth.user <app>.profile [account.emailaddress]`: the way in for sites
// on PostgreSQL or MySQL. `emailAddresses` names allauth's data when the file has it.
export function readDumpdata(json: string, profile?: ProfileSource): { users: DjangoUser[]; profile: ProfileSource | null; emailAddresses: string | null } {
  const entries = JSON.parse(json) as DumpdataEntry[];
  if (!Array.isArray(entries)) throw new Error('Not a dumpdata file: expected a JSON array');
  const source = profile ?? findDumpdataProfile(entries);
  const pictures = new Map<number, string>();
  for (const entry of entries) {
    if (!source || entry.model.replace('.', '_') !== source.table) continue;
    const picture = text(entry.fields[source.column]);
    if (typeof entry.fields.user === 'number' && picture) pictures.set(entry.fields.user, picture);
  }
  const userEntries = entries.filter((entry) => entry.model === 'auth.user');
  const addresses = dumpdataAddresses(entries, userEntries);
  const verified = verifiedEmailsByUser(addresses ?? []);
  const users = userEntries
    .map((entry): DjangoUser => {
      const f = entry.fields;
      return {
        id: entry.pk,
        username: text(f.username),
        email: text(f.email),
        password: text(f.password),
        isActive: f.is_active !== false,
        isStaff: f.is_staff === true,
        isSuperuser: f.is_superuser === true,
        dateJoined: requiredDate(text(f.date_joined), `date_joined of user ${entry.pk}`),
        lastLogin: parseDjangoDate(text(f.last_login)),
        picture: pictures.get(entry.pk) ?? null,
        verifiedEmails: verified.get(entry.pk) ?? [],
      };
    });
  if (source && !entries.some((entry) => entry.model.replace('.', '_') === source.table)) {
    throw new Error(`No entries of the profile model ${source.table} in the dumpdata file (dump it with: manage.py dumpdata auth.user <app>.<profile model> [account.emailaddress])`);
  }
  return { users: users.sort((a, b) => a.id - b.id), profile: source, emailAddresses: addresses ? 'account.emailaddress' : null };
}
