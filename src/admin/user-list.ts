import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import type { UserListQuery } from './user-list-query';

// The staff users list, built to cost the same with a thousand users or a million:
// - Without a search it walks users_date_joined (date_joined, id), newest first, one
//   page past the keyset cursor: at most PAGE_SIZE + 1 rows read.
// - A search is a prefix range on a unique index (username_key, or email), and its
//   results are sorted by that key, not by date: a prefix such as "a" can match a
//   tenth of all users, and ordering them by date would mean reading and sorting every
//   match. In key order the range is read in index order and stops after one page.
// - Filters (active, staff, verified) have no index of their own; staff and inactive
//   users are rare, so "first 50 matches in date order" could walk the whole table.
//   Instead each filtered page examines at most FILTER_WINDOW users in the page's order
//   and shows the ones that match; "Next" continues after the last user examined. A
//   page can therefore show fewer than PAGE_SIZE users (even none) before the end.
// One D1 query per page, whichever of these it is.

export const PAGE_SIZE = 50;
export const FILTER_WINDOW = 1000;

export interface UserListRow {
  id: string;
  username: string;
  email: string;
  emailVerifiedAt: number | null;
  dateJoined: number;
  lastLogin: number | null;
  isActive: boolean;
  isStaff: boolean;
  isSuperuser: boolean;
}

export interface UserListPage {
  rows: UserListRow[];
  // The cursor of the next page, or null at the end.
  next: string | null;
  // Filtered pages: how many users this page examined (FILTER_WINDOW when more follow).
  examined?: number;
}

interface RawRow {
  id: string;
  username: string;
  username_key: string;
  email: string;
  email_verified_at: number | null;
  date_joined: number;
  last_login: number | null;
  is_active: number;
  is_staff: number;
  is_superuser: number;
  matched?: number;
  examined?: number;
}

const COLUMNS = sql.raw('id, username, username_key, email, email_verified_at, date_joined, last_login, is_active, is_staff, is_superuser');

// The order a page is read in, the range it is read from, and where the cursor resumes.
interface Ordering {
  range: SQL[];
  order: SQL;
  reverse: SQL;
  isLast: SQL;
  cursorOf(row: RawRow): string;
}

// The smallest string above every string that starts with `prefix` (in SQLite's
// byte order, which for UTF-8 is code point order): the prefix with its last code
// point incremented, skipping the surrogate range.
export function prefixUpperBound(prefix: string): string {
  const points = [...prefix];
  const last = points.pop()!.codePointAt(0)!;
  const next = last === 0xd7ff ? 0xe000 : last + 1;
  if (next > 0x10ffff) return points.length ? prefixUpperBound(points.join('')) : '\u{10ffff}\u{10ffff}';
  return points.join('') + String.fromCodePoint(next);
}

function ordering(query: UserListQuery): Ordering {
  if (query.search) {
    const column = sql.raw(query.search.field === 'email' ? 'email' : 'username_key');
    // A cursor is a key this search returned, so it starts with the prefix; it replaces the
    // lower bound (two lower bounds would let SQLite start the range at the prefix).
    const after = query.after?.kind === 'key' && query.after.key.startsWith(query.search.prefix) ? query.after.key : undefined;
    const range = [after === undefined ? sql`${column} >= ${query.search.prefix}` : sql`${column} > ${after}`, sql`${column} < ${prefixUpperBound(query.search.prefix)}`];
    return {
      range,
      order: sql`${column} asc`,
      reverse: sql`${column} desc`,
      isLast: sql`w.${column} = (select ${column} from w order by ${column} desc limit 1)`,
      cursorOf: (row) => `k:${query.search!.field === 'email' ? row.email : row.username_key}`,
    };
  }
  const range = query.after?.kind === 'date' ? [sql`(date_joined, id) < (${query.after.dateJoined}, ${query.after.id})`] : [];
  return {
    range,
    order: sql`date_joined desc, id desc`,
    reverse: sql`date_joined asc, id asc`,
    isLast: sql`(w.date_joined, w.id) = (select date_joined, id from w order by date_joined asc, id asc limit 1)`,
    cursorOf: (row) => `d:${row.date_joined}:${row.id}`,
  };
}

function filterCondition(query: UserListQuery): SQL | null {
  const terms: SQL[] = [];
  if (query.active !== undefined) terms.push(sql.raw(`is_active = ${query.active ? 1 : 0}`));
  if (query.staff !== undefined) terms.push(sql.raw(`is_staff = ${query.staff ? 1 : 0}`));
  if (query.verified !== undefined) terms.push(sql.raw(`email_verified_at is ${query.verified ? 'not ' : ''}null`));
  return terms.length ? sql.join(terms, sql` and `) : null;
}

function where(conditions: SQL[]): SQL {
  return conditions.length ? sql`where ${sql.join(conditions, sql` and `)}` : sql``;
}

// The SQL of one page (exported for the query-plan test).
export function userListSql(query: UserListQuery): SQL {
  const { range, order, isLast } = ordering(query);
  const filters = filterCondition(query);
  if (!filters) return sql`select ${COLUMNS} from users ${where(range)} order by ${order} limit ${PAGE_SIZE + 1}`;
  // The window is materialised once; the last user in it is returned even when it does
  // not match, so the next page knows where to resume.
  return sql`with w as materialized (select ${COLUMNS} from users ${where(range)} order by ${order} limit ${FILTER_WINDOW})
    select w.*, (${filters}) as matched, (select count(*) from w) as examined from w
    where (${filters}) or ${isLast}
    order by ${order} limit ${PAGE_SIZE + 1}`;
}

function toRow(raw: RawRow): UserListRow {
  return {
    id: raw.id,
    username: raw.username,
    email: raw.email,
    emailVerifiedAt: raw.email_verified_at,
    dateJoined: raw.date_joined,
    lastLogin: raw.last_login,
    isActive: Boolean(raw.is_active),
    isStaff: Boolean(raw.is_staff),
    isSuperuser: Boolean(raw.is_superuser),
  };
}

export async function listUsers(db: Db, query: UserListQuery): Promise<UserListPage> {
  const { cursorOf } = ordering(query);
  const raws = await db.all<RawRow>(userListSql(query));
  if (!filterCondition(query)) {
    const page = raws.slice(0, PAGE_SIZE);
    return { rows: page.map(toRow), next: raws.length > PAGE_SIZE ? cursorOf(page.at(-1)!) : null };
  }
  const matches = raws.filter((r) => r.matched);
  const examined = raws[0]?.examined ?? 0;
  if (matches.length > PAGE_SIZE) return { rows: matches.slice(0, PAGE_SIZE).map(toRow), next: cursorOf(matches[PAGE_SIZE - 1]!) };
  // Fewer matches than a page: the whole window was examined.
  const windowFull = examined === FILTER_WINDOW;
  return { rows: matches.map(toRow), next: windowFull ? cursorOf(raws.at(-1)!) : null, examined };
}
