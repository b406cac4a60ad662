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

// `manage.py dumpdata auth.user <app>.profile`: the way in for sites on PostgreSQL or MySQL.
export function readDumpdata(json: string, profile?: ProfileSource): { users: DjangoUser[]; profile: ProfileSource | null } {
  const entries = JSON.parse(json) as DumpdataEntry[];
  if (!Array.isArray(entries)) throw new Error('Not a dumpdata file: expected a JSON array');
  const source = profile ?? findDumpdataProfile(entries);
  const pictures = new Map<number, string>();
  for (const entry of entries) {
    if (!source || entry.model.replace('.', '_') !== source.table) continue;
    const picture = text(entry.fields[source.column]);
    if (typeof entry.fields.user === 'number' && picture) pictures.set(entry.fields.user, picture);
  }
  const users = entries
    .filter((entry) => entry.model === 'auth.user')
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
      };
    });
  if (source && !entries.some((entry) => entry.model.replace('.', '_') === source.table)) {
    throw new Error(`No entries of the profile model ${source.table} in the dumpdata file (dump it with: manage.py dumpdata auth.user <app>.<profile model>)`);
  }
  return { users: users.sort((a, b) => a.id - b.id), profile: source };
}
