import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../src/index';
import { smallAvatarKey } from '../src/storage/avatar-keys';
import { get, postForm, signUpAndSignIn, STRONG_PASSWORD } from './helpers';
import { fixture, listKeys, postProfile, profileOf, testStore } from './profile-helpers';

async function accountWithAvatar() {
  const account = await signUpAndSignIn();
  const res = await postProfile(account.cookie, { email: account.email, file: { bytes: fixture('wide.webp'), name: 'a.webp', type: 'image/webp' } });
  expect(res.status).toBe(303);
  const profile = (await profileOf(account.username))!;
  return { ...account, id: profile.id, key: profile.avatarKey! };
}

async function count(sql: string, ...params: unknown[]) {
  return (await env.DB.prepare(sql).bind(...params).first<{ n: number }>())!.n;
}

describe('deleting an account', () => {
  it('needs the password and deletes nothing without it', async () => {
    const { cookie, id } = await accountWithAvatar();
    const res = await postForm('/account/delete', { password: 'wrong password' }, { cookie });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('nothing was deleted');
    expect(await count('select count(*) as n from users where id = ?', id)).toBe(1);
  });

  it('removes the user, profile, links, every session and every avatar object, and signs out', async () => {
    const { cookie, id, key, username } = await accountWithAvatar();
    const other = await postForm('/login', { login: username, password: STRONG_PASSWORD });
    const otherCookie = other.headers.getSetCookie().find((c) => c.startsWith('session='))!.split(';')[0]!;
    expect(await listKeys(`avatars/${id}/`)).toHaveLength(2);

    const res = await postForm('/account/delete', { password: STRONG_PASSWORD }, { cookie });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
    expect(res.headers.getSetCookie().find((c) => c.startsWith('session='))).toMatch(/Max-Age=0/);

    expect(await count('select count(*) as n from users where id = ?', id)).toBe(0);
    expect(await count('select count(*) as n from profiles where user_id = ?', id)).toBe(0);
    expect(await count('select count(*) as n from auth_tokens where user_id = ?', id)).toBe(0);
    expect((await env.SESSIONS.list({ prefix: `user-sessions:${id}:` })).keys).toEqual([]);
    expect((await get('/dashboard', cookie)).status).toBe(302);
    expect((await get('/dashboard', otherCookie)).status).toBe(302);
    expect(await listKeys(`avatars/${id}/`)).toEqual([]);
    expect(await testStore().get(key)).toBeNull();
    expect((await postForm('/login', { login: username, password: STRONG_PASSWORD })).status).toBe(401);
  });

  it('shows a confirmation page behind sign-in', async () => {
    expect((await get('/account/delete')).status).toBe(302);
    const { cookie } = await signUpAndSignIn();
    const html = await (await get('/account/delete', cookie)).text();
    expect(html).toContain('Delete your account');
    expect(html).toContain('<label for="field-password"');
  });
});

describe('scheduled cleanup', () => {
  async function runCleanup(scheduledTime: number) {
    const ctx = createExecutionContext();
    await worker.scheduled!(createScheduledController({ scheduledTime, cron: '17 3 * * *' }), env, ctx);
    await waitOnExecutionContext(ctx);
  }

  it('removes avatar objects that no profile references, and keeps the ones in use', async () => {
    const { id, key } = await accountWithAvatar();
    const orphan = `avatars/${id}/${'c'.repeat(32)}.webp`;
    await testStore().put(orphan, fixture('wide.webp'), 'image/webp');
    await testStore().put(smallAvatarKey(orphan), fixture('wide.webp'), 'image/webp');

    // A fresh orphan may belong to an upload in progress: it survives the first hour.
    await runCleanup(Date.now());
    expect(await listKeys(`avatars/${id}/`)).toHaveLength(4);

    await runCleanup(Date.now() + 2 * 60 * 60 * 1000);
    expect(await listKeys(`avatars/${id}/`)).toEqual([key, smallAvatarKey(key)].sort());
  });

  it('deletes expired links', async () => {
    const { username } = await signUpAndSignIn();
    const { id } = (await profileOf(username))!;
    expect(await count('select count(*) as n from auth_tokens where user_id = ?', id)).toBe(1);
    await runCleanup(Date.now() + 3 * 24 * 60 * 60 * 1000);
    expect(await count('select count(*) as n from auth_tokens where user_id = ?', id)).toBe(0);
  });
});
