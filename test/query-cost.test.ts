import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../src/db/client';
import { findActiveUserForSession, sessionUserQuery } from '../src/users/user-store';

// D1 bills, and slows down, by rows read. These tests run the app's per-request
// queries against a few thousand users and read D1's own count (meta.rows_read) and
// SQLite's query plan: each must stay a handful of index lookups, whatever the size.

const USERS = 5000;

async function rowsRead(query: { toSQL(): { sql: string; params: unknown[] } }): Promise<number> {
  const { sql, params } = query.toSQL();
  return (await env.DB.prepare(sql).bind(...params).all()).meta.rows_read;
}

async function plan(sql: string): Promise<string> {
  const rows = await env.DB.prepare(`explain query plan ${sql}`).all<{ detail: string }>();
  return rows.results.map((r) => r.detail).join(' | ');
}

beforeAll(async () => {
  // Generated in SQL: D1 allows 100 bound parameters per statement.
  const now = Date.now();
  await env.DB.batch([
    env.DB.prepare(
      `with recursive n(i) as (select 0 union all select i + 1 from n where i < ${USERS - 1})
       insert into users (id, username, username_key, email, password_hash, date_joined)
       select 'cost' || i, 'cost' || i, 'cost' || i, 'cost' || i || '@example.com', 'x', ${now} from n`,
    ),
    env.DB.prepare(`insert into profiles (user_id, updated_at) select id, ${now} from users where id like 'cost%'`),
    env.DB.prepare(`insert into revoked_sessions (session_id, user_id, expires_at) select 's-' || id, id, ${now + 1e9} from users where id like 'cost%'`),
  ]);
});

describe('rows read per request', () => {
  it('the signed-in check (user, profile, revoked?) reads at most 3 rows', async () => {
    const db = createDb(env.DB);
    expect((await findActiveUserForSession(db, 'cost1234', 's-cost1234'))?.sessionRevoked).toBe(true);
    expect((await findActiveUserForSession(db, 'cost1234', 'other'))?.sessionRevoked).toBe(false);
    const read = await rowsRead(sessionUserQuery(db, 'cost1234', 's-cost1234'));
    console.log(`signed-in query: ${read} rows read of ${USERS} users`);
    expect(read).toBeLessThanOrEqual(3);
    expect(await rowsRead(sessionUserQuery(db, 'cost4321', 'not-revoked'))).toBeLessThanOrEqual(3);
  });

  it('sign-in finds a user by email or username through the indexes, not a scan', async () => {
    const detail = await plan("select * from users where email = 'cost7@example.com' or username_key = 'cost7'");
    expect(detail).not.toMatch(/SCAN users/);
    expect(detail).toMatch(/users_email_unique|users_username_key_unique/);
  });

  it('a revoked-sessions lookup is by primary key', async () => {
    expect(await plan("select 1 from revoked_sessions where session_id = 's-cost1'")).toMatch(/SEARCH revoked_sessions USING (COVERING )?INDEX/);
  });
});
