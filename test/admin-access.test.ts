import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { get, ORIGIN, postForm } from './helpers';
import { signUpMember, signUpStaff, staffAction } from './admin-helpers';

// The staff area is invisible to everyone else: the same 404 page as any unknown
// address, for every path and method, checked on the server for each request.

const PATHS = ['/admin', '/admin/users', '/admin/users?q=a', '/admin/audit', '/admin/users/0123456789abcdef01234567'];

// The page body without what differs between two renderings (nothing should).
// The language menu sends the visitor back to the page they were on: that path aside,
// the pages must be the same.
async function bodyOf(response: Response) {
  return (await response.text()).replace(/(<input type="hidden" name="next" value=")[^"]*"/, '$1"');
}

describe('who can see /admin', () => {
  it('anonymous visitors get the ordinary 404 page for every staff path', async () => {
    const ordinary = await bodyOf(await get('/no-such-page'));
    for (const path of PATHS) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(await bodyOf(res), path).toBe(ordinary);
    }
    const post = await postForm('/admin/users/0123456789abcdef01234567/deactivate', {});
    expect(post.status).toBe(404);
  });

  it('signed-in users who are not staff get the same 404 as for an unknown page, and no Staff link', async () => {
    const { cookie, id } = await signUpMember();
    const ordinary = await bodyOf(await get('/no-such-page', cookie));
    for (const path of PATHS) {
      const res = await get(path, cookie);
      expect(res.status, path).toBe(404);
      expect(await bodyOf(res), path).toBe(ordinary);
    }
    expect(ordinary).not.toContain('href="/admin"');
    const post = await staffAction(cookie, id, 'deactivate');
    expect(post.status).toBe(404);
    expect((await env.DB.prepare('select is_active from users where id = ?').bind(id).first<{ is_active: number }>())?.is_active).toBe(1);
  });

  it('staff see the pages, never cached, with a Staff link in the header', async () => {
    const { cookie } = await signUpStaff();
    const redirect = await get('/admin', cookie);
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe('/admin/users');
    for (const path of ['/admin/users', '/admin/audit']) {
      const res = await get(path, cookie);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('cache-control'), path).toBe('no-store');
      expect(await res.text(), path).toContain('<a class="nav-secondary" href="/admin">Staff</a>');
    }
  });

  it('losing staff rights closes the area on the next request', async () => {
    const { cookie, username } = await signUpStaff();
    expect((await get('/admin/users', cookie)).status).toBe(200);
    await env.DB.prepare('update users set is_staff = 0 where username = ?').bind(username).run();
    expect((await get('/admin/users', cookie)).status).toBe(404);
  });

  it('staff forms go through the CSRF check: a cross-site POST is refused', async () => {
    const staff = await signUpStaff();
    const member = await signUpMember();
    const res = await SELF.fetch(`${ORIGIN}/admin/users/${member.id}/deactivate`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: staff.cookie, 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      body: 'sudoPassword=x',
    });
    expect(res.status).toBe(403);
    expect((await env.DB.prepare('select is_active from users where id = ?').bind(member.id).first<{ is_active: number }>())?.is_active).toBe(1);
  });

  it('an unknown action or account is a 404 for staff too', async () => {
    const staff = await signUpStaff();
    const member = await signUpMember();
    expect((await staffAction(staff.cookie, member.id, 'explode')).status).toBe(404);
    expect((await staffAction(staff.cookie, '0123456789abcdef01234567', 'deactivate')).status).toBe(404);
    expect((await get('/admin/users/0123456789abcdef01234567', staff.cookie)).status).toBe(404);
  });
});
