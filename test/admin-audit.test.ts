import { env, SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../src/db/client';
import { securityEvent } from '../src/users/security-events';
import { get, ORIGIN, postForm } from './helpers';
import { nextLink, signUpMember, signUpStaff, staffAction } from './admin-helpers';

// The audit page: staff actions (who, what, to whom, when, from where), filters, pages.

function eventIdsOf(html: string): string[] {
  return [...html.matchAll(/<tr data-event="([^"]+)">/g)].map((m) => m[1]!);
}

function rowsOf(html: string): string[] {
  return [...html.matchAll(/<tr data-event="[^"]+"><td data-label="When">([\s\S]*?)<\/tr>/g)].map((m) => m[1]!.replace(/<\/td>|<br\/>/g, ' ').replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim());
}

async function page(path: string, cookie: string) {
  const res = await get(path, cookie);
  expect(res.status).toBe(200);
  return res.text();
}

describe('the audit log', () => {
  let admin: Awaited<ReturnType<typeof signUpStaff>>;
  let helper: Awaited<ReturnType<typeof signUpStaff>>;
  let alice: Awaited<ReturnType<typeof signUpMember>>;
  let bob: Awaited<ReturnType<typeof signUpMember>>;

  beforeAll(async () => {
    admin = await signUpStaff({ superuser: true });
    helper = await signUpStaff();
    alice = await signUpMember();
    bob = await signUpMember();
    await staffAction(helper.cookie, alice.id, 'sign-out');
    await staffAction(admin.cookie, bob.id, 'deactivate');
    await staffAction(admin.cookie, alice.id, 'grant-staff');
    await staffAction(admin.cookie, bob.id, 'delete', { confirmUsername: bob.username });
  });

  it('lists staff actions newest first: who, what, to whom, when, from where', async () => {
    const rows = rowsOf(await page('/admin/audit', admin.cookie));
    const ours = rows.filter((r) => r.includes(admin.username) || r.includes(helper.username));
    const who = (name: string) => `${name} (filter by ${name})`;
    expect(ours[0]).toContain(`${who(admin.username)} Delete account ${bob.username} (deleted)`);
    expect(ours[1]).toContain(`${who(admin.username)} Make staff ${who(alice.username)}`);
    expect(ours[2]).toContain(`${who(admin.username)} Deactivate ${bob.username} (deleted)`);
    expect(ours.some((r) => r.includes(`${who(helper.username)} Sign out everywhere ${who(alice.username)}`))).toBe(true);
    // Each staff member's password confirmation is listed too.
    expect(ours.filter((r) => r.includes('Confirmed password for staff actions'))).toHaveLength(2);
    expect(ours[0]).toMatch(/UTC .*10\.\d+\.\d+\.\d+/);
    // Ordinary account events are not staff actions.
    expect(rows.some((r) => r.includes('Signed in'))).toBe(false);
  });

  it('filters by staff member, by account and by action', async () => {
    const byHelper = rowsOf(await page(`/admin/audit?actor=${helper.username.toUpperCase()}`, admin.cookie));
    expect(byHelper.length).toBe(2);
    expect(byHelper.every((r) => r.includes(helper.username))).toBe(true);
    const onAlice = rowsOf(await page(`/admin/audit?target=${alice.username}`, admin.cookie));
    expect(onAlice.map((r) => r.includes('Make staff') || r.includes('Sign out everywhere'))).toEqual([true, true]);
    const deletions = rowsOf(await page('/admin/audit?type=staff_deleted_account', admin.cookie));
    expect(deletions).toHaveLength(1);
    expect(deletions[0]).toContain(bob.username);
    const both = rowsOf(await page(`/admin/audit?actor=${admin.username}&target=${alice.username}&type=staff_granted_staff`, admin.cookie));
    expect(both).toHaveLength(1);
    expect(rowsOf(await page('/admin/audit?actor=nobody-at-all', admin.cookie))).toEqual([]);
  });

  it('pages through the log with a keyset cursor, nothing lost or repeated', async () => {
    // 120 entries by a staff member with no other actions, some sharing a millisecond.
    const pager = await signUpStaff();
    const db = createDb(env.DB);
    const start = Date.now() - 60_000;
    const inserts = Array.from({ length: 120 }, (_, i) =>
      securityEvent(db, { type: 'staff_signed_out_everywhere', userId: alice.id, actorId: pager.id, details: { username: alice.username, n: i } }, {}, start + Math.floor(i / 3)),
    );
    await db.batch(inserts as [(typeof inserts)[number], ...typeof inserts]);
    const seen: string[] = [];
    let next: string | null = `/admin/audit?actor=${pager.username}`;
    const sizes: number[] = [];
    while (next) {
      const html = await page(next, admin.cookie);
      const ids = eventIdsOf(html);
      sizes.push(ids.length);
      seen.push(...ids);
      next = nextLink(html);
    }
    expect(sizes).toEqual([50, 50, 20]);
    const expected = await env.DB.prepare("select id from security_events where actor_id = ? and type like 'staff%' order by created_at desc, id desc").bind(pager.id).all<{ id: string }>();
    expect(seen).toEqual(expected.results.map((r) => r.id));
  });

  it('is read only: no method but GET reaches it, and nothing in the app rewrites the rows', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const res = await SELF.fetch(`${ORIGIN}/admin/audit`, { method, redirect: 'manual', headers: { cookie: admin.cookie, origin: ORIGIN, 'sec-fetch-site': 'same-origin', 'content-type': 'application/x-www-form-urlencoded' }, body: 'x=1' });
      expect(res.status, method).toBe(404);
    }
    expect((await postForm('/admin/audit/delete', {}, { cookie: admin.cookie })).status).toBe(404);
  });

  it('is for staff only', async () => {
    expect((await get('/admin/audit', helper.cookie)).status).toBe(200);
    expect((await get('/admin/audit', (await signUpMember()).cookie)).status).toBe(404);
    expect((await get('/admin/audit')).status).toBe(404);
  });
});
