import { env } from 'cloudflare:test';
import type { SQL } from 'drizzle-orm';
import { SQLiteAsyncDialect } from 'drizzle-orm/sqlite-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditQuery, type AuditFilters } from '../src/admin/audit-log';
import { FILTER_WINDOW, listUsers, PAGE_SIZE, userListSql } from '../src/admin/user-list';
import { parseUserListParams } from '../src/admin/user-list-query';
import { hasRecentSudo } from '../src/admin/sudo';
import { createDb } from '../src/db/client';

// The staff pages at 100,000 users and 200,000 security events: every query reads one
// index range (SQLite's plan has no full scan of users or security_events), and D1's own
// count of rows read (meta.rows_read) stays near one page.

const USERS = 100_000;
const SIGN_INS = 200_000;
const dialect = new SQLiteAsyncDialect();

interface Query {
  sql: string;
  params: unknown[];
}

function ofSql(sql: SQL): Query {
  const { sql: text, params } = dialect.sqlToQuery(sql);
  return { sql: text, params };
}

async function plan({ sql, params }: Query): Promise<string[]> {
  const rows = await env.DB.prepare(`explain query plan ${sql}`).bind(...params).all<{ detail: string }>();
  return rows.results.map((r) => r.detail);
}

async function rowsRead({ sql, params }: Query): Promise<number> {
  return (await env.DB.prepare(sql).bind(...params).all()).meta.rows_read;
}

// A table read without an index, the one thing that grows with the table.
function fullScans(details: string[], table: string): string[] {
  return details.filter((d) => new RegExp(`^SCAN ${table}\\b(?! USING)`).test(d));
}

// The name the generator above gives user number i.
const nameOf = (i: number) => `${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + (Math.floor(i / 26) % 26))}-user-${i}`;

const usersQuery = (params: Record<string, string>) => ofSql(userListSql(parseUserListParams(params).query));

beforeAll(async () => {
  const now = Date.now();
  // Usernames like "kq-user-123": 676 two-letter prefixes of about 150 users each.
  await env.DB.prepare(
    `with recursive n(i) as (select 0 union all select i + 1 from n where i < ${USERS - 1})
     insert into users (id, username, username_key, email, password_hash, date_joined, is_active, is_staff, email_verified_at)
     select printf('%024x', i), name, name, name || '@example.com', 'x', ${now - USERS * 60_000} + i * 60000, i % 50 != 0, i % 997 = 0, case when i % 3 = 0 then null else 1 end
     from (select i, char(97 + i % 26) || char(97 + (i / 26) % 26) || '-user-' || i as name from n)`,
  ).run();
  await env.DB.prepare(
    `with recursive n(i) as (select 0 union all select i + 1 from n where i < ${SIGN_INS - 1})
     insert into security_events (id, user_id, actor_id, type, created_at)
     select printf('%09x', i) || 'e', printf('%024x', i % ${USERS}), printf('%024x', i % ${USERS}), case when i % 400 = 0 then 'staff_signed_out_everywhere' else 'sign_in' end, ${now - SIGN_INS * 1000} + i * 1000 from n`,
  ).run();
  // Staff actions: staff_signed_out_everywhere rows above by the users themselves; a few by one staff member.
  await env.DB.prepare(
    `with recursive n(i) as (select 0 union all select i + 1 from n where i < 299)
     insert into security_events (id, user_id, actor_id, type, created_at, details)
     select 'audit' || i, printf('%024x', i * 7), printf('%024x', 997), 'staff_deactivated', ${now} - i * 1000, '{}' from n`,
  ).run();
}, 120_000);

describe('users list at 100,000 users', () => {
  const cases: Array<[string, Record<string, string>, RegExp, number]> = [
    ['first page, newest first', {}, /users_date_joined/, PAGE_SIZE + 1],
    ['a later page', { after: `d:${Date.now() - 50_000 * 60_000}:${'0'.repeat(24)}` }, /users_date_joined/, PAGE_SIZE + 1],
    ['username prefix', { q: 'KQ' }, /users_username_key_unique/, PAGE_SIZE + 1],
    ['username prefix, later page', { q: 'kq', after: 'k:kq-user-50000' }, /users_username_key_unique/, PAGE_SIZE + 1],
    ['email prefix', { q: 'kq-user-1', by: 'email' }, /users_email_unique/, PAGE_SIZE + 1],
    ['staff filter', { staff: 'yes' }, /users_date_joined/, FILTER_WINDOW],
    ['three filters', { staff: 'no', active: 'no', verified: 'yes' }, /users_date_joined/, FILTER_WINDOW],
    ['prefix and a filter', { q: 'a', active: 'no' }, /users_username_key_unique/, FILTER_WINDOW],
  ];

  it.each(cases)('%s: one index range, no scan of users, a bounded read', async (_name, params, index, bound) => {
    const query = usersQuery(params);
    const details = await plan(query);
    expect(fullScans(details, 'users'), details.join(' | ')).toEqual([]);
    expect(details.join(' | ')).toMatch(index);
    const read = await rowsRead(query);
    console.log(`users list, ${_name}: ${read} rows read of ${USERS}`);
    // A filtered page reads its window from users once, then from the temporary table
    // (the matches, its size, its last row): about three reads per user in the window.
    expect(read).toBeLessThanOrEqual(bound === FILTER_WINDOW ? 3 * FILTER_WINDOW + 10 : bound);
  });

  it('a page is one D1 query (the signed-in user is the only other one)', async () => {
    let queries = 0;
    const counting = new Proxy(env.DB, {
      get(target, property) {
        const value = Reflect.get(target, property);
        if (property !== 'prepare') return typeof value === 'function' ? value.bind(target) : value;
        return (sql: string) => {
          queries += 1;
          return target.prepare(sql);
        };
      },
    });
    const db = createDb(counting);
    for (const params of [{}, { q: 'kq' }, { staff: 'no', verified: 'no' }]) {
      queries = 0;
      const page = await listUsers(db, parseUserListParams(params).query);
      expect(page.rows.length).toBeGreaterThan(0);
      expect(queries).toBe(1);
    }
  });

  it('the staff filter finds every staff account however far apart, a window at a time', async () => {
    const db = createDb(env.DB);
    const { query } = parseUserListParams({ staff: 'yes' });
    let found = 0;
    let pages = 0;
    for (let after: string | null | undefined = undefined; pages === 0 || after; pages++) {
      const page = await listUsers(db, { ...query, after: after ? parseUserListParams({ staff: 'yes', after }).query.after : undefined });
      found += page.rows.length;
      after = page.next;
    }
    expect(found).toBe(Math.ceil(USERS / 997));
    // One more, empty, when the last window happens to be full: only reading on tells.
    expect(pages).toBeGreaterThanOrEqual(Math.ceil(USERS / FILTER_WINDOW));
    expect(pages).toBeLessThanOrEqual(Math.ceil(USERS / FILTER_WINDOW) + 1);
  });
});

describe('audit log at 200,000 security events', () => {
  const staffId = (997).toString(16).padStart(24, '0');
  const cases: Array<[string, AuditFilters, RegExp]> = [
    ['all staff actions', {}, /security_events_staff_created/],
    ['by staff member', { actor: nameOf(997) }, /security_events_staff_actor/],
    ['on an account', { target: nameOf(7) }, /security_events_staff_target/],
    ['by action', { type: 'staff_deactivated' }, /security_events_staff_type/],
    ['a later page', { before: { createdAt: Date.now() - 100_000, id: 'zzz' } }, /security_events_staff_created/],
  ];

  it.each(cases)('%s: a partial index on staff rows, a page of reads', async (_name, filters, index) => {
    const query = auditQuery(createDb(env.DB), filters).toSQL();
    const details = await plan(query);
    expect(fullScans(details, 'security_events'), details.join(' | ')).toEqual([]);
    expect(details.join(' | ')).toMatch(index);
    const read = await rowsRead(query);
    console.log(`audit, ${_name}: ${read} rows read of ${SIGN_INS + 300} events`);
    // Each entry: the event, and its staff member and account by primary key.
    expect(read).toBeLessThanOrEqual(4 * 51 + 5);
  });

  it('the sudo check reads the staff member’s own recent audit rows only', async () => {
    const db = createDb(env.DB);
    expect(await hasRecentSudo(db, staffId, 'some-session')).toBe(false);
    const { sql, params } = db
      .select()
      .from((await import('../src/db/schema')).securityEvents)
      .where((await import('drizzle-orm')).sql`type like 'staff%' and actor_id = ${staffId} and created_at > ${Date.now() - 15 * 60_000}`)
      .toSQL();
    expect((await plan({ sql, params })).join(' | ')).toMatch(/security_events_staff_actor/);
  });
});
