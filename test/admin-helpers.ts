import { env } from 'cloudflare:test';
import { expect } from 'vitest';
import { get, postForm, signUpAndSignIn, STRONG_PASSWORD } from './helpers';

// Shared by the staff-area tests (test/admin-*.test.ts).

export async function userIdOf(username: string): Promise<string> {
  const row = await env.DB.prepare('select id from users where username = ?').bind(username).first<{ id: string }>();
  if (!row) throw new Error(`no user ${username}`);
  return row.id;
}

export async function makeStaff(username: string, { superuser = false } = {}) {
  await env.DB.prepare('update users set is_staff = 1, is_superuser = ? where username = ?').bind(superuser ? 1 : 0, username).run();
}

// A signed-in staff member (a superuser with { superuser: true }).
export async function signUpStaff(options: { superuser?: boolean } = {}) {
  const account = await signUpAndSignIn();
  await makeStaff(account.username, options);
  return { ...account, id: await userIdOf(account.username) };
}

export async function signUpMember() {
  const account = await signUpAndSignIn();
  return { ...account, id: await userIdOf(account.username) };
}

// A staff action as the page's button posts it, with the password for sudo mode
// unless told otherwise.
export function staffAction(cookie: string, userId: string, action: string, fields: Record<string, string> = {}, { sudo = true } = {}) {
  return postForm(`/admin/users/${userId}/${action}`, { ...(sudo ? { sudoPassword: STRONG_PASSWORD } : {}), ...fields }, { cookie });
}

export async function expectFlash(response: Response, cookie: string, text: string) {
  expect(response.status).toBe(303);
  const flash = response.headers.getSetCookie().find((c) => c.startsWith('flash='))?.split(';')[0];
  const page = await get(response.headers.get('location')!, [cookie, flash].filter(Boolean).join('; '));
  expect(await page.text()).toContain(text);
}

export interface EventRow {
  id: string;
  type: string;
  user_id: string | null;
  actor_id: string | null;
  created_at: number;
  ip: string | null;
  details: string | null;
}

export async function eventsOf(userId: string, type?: string): Promise<EventRow[]> {
  const sql = type ? 'select * from security_events where user_id = ? and type = ? order by created_at' : 'select * from security_events where user_id = ? order by created_at';
  const statement = type ? env.DB.prepare(sql).bind(userId, type) : env.DB.prepare(sql).bind(userId);
  return (await statement.all<EventRow>()).results;
}

// Page HTML -> the usernames of the user links in its table, in order.
export function listedUsernames(html: string): string[] {
  return [...html.matchAll(/<a href="\/admin\/users\/[^"]+">([^<]+)<\/a>/g)].map((m) => m[1]!);
}

export function nextLink(html: string): string | null {
  const href = /<a href="([^"]+)" rel="next">/.exec(html)?.[1];
  return href ? href.replaceAll('&amp;', '&') : null;
}

export async function insertUsers(rows: Array<{ id: string; username: string; email?: string; dateJoined: number; active?: boolean; staff?: boolean; verified?: boolean }>) {
  const statements = rows.map((r) =>
    env.DB.prepare('insert into users (id, username, username_key, email, password_hash, date_joined, is_active, is_staff, email_verified_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)').bind(
      r.id,
      r.username,
      r.username.normalize('NFKC').toLowerCase(),
      (r.email ?? `${r.username}@example.com`).toLowerCase(),
      'x',
      r.dateJoined,
      r.active === false ? 0 : 1,
      r.staff ? 1 : 0,
      r.verified === false ? null : r.dateJoined,
    ),
  );
  for (let i = 0; i < statements.length; i += 500) await env.DB.batch(statements.slice(i, i + 500));
}
