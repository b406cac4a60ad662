import { env, SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import app from '../src/app';
import { createSession } from '../src/auth/session';
import { get, ORIGIN, randomAddress, signUpAndSignIn } from './helpers';
import { profileOf } from './profile-helpers';

// Every POST route the app has, found from the app itself so new forms are covered too.
const postRoutes = [...new Set(app.routes.filter((route) => route.method === 'POST').map((route) => route.path))];

const BROKEN_BODIES = {
  'multipart whose boundary is not the one in its Content-Type': {
    type: 'multipart/form-data; boundary=expected-boundary',
    body: '--another-boundary\r\nContent-Disposition: form-data; name="email"\r\n\r\nsomeone@example.com\r\n--another-boundary--\r\n',
  },
  'multipart without a boundary': { type: 'multipart/form-data', body: 'email=someone@example.com' },
  'URL encoding cut off in the middle of a character': {
    type: 'application/x-www-form-urlencoded',
    body: 'login=%E0%A4%A&email=%E0%A4%A&password=%E0%A4%A&passwordConfirm=%E0%A4%A&currentPassword=%E0%A4%A&token=%E0%A4%A',
  },
  'JSON sent to a form': { type: 'application/json', body: '{"login":"someone","email":"someone@example.com","password":"x"}' },
};

let account: { id: string; cookie: string };

beforeAll(async () => {
  const { username, cookie } = await signUpAndSignIn();
  account = { id: (await profileOf(username))!.id, cookie };
});

// A fresh session for every request: a route that ignored the body could sign it out.
async function postBroken(path: string, broken: { type: string; body: string }) {
  const { token } = await createSession(env.SESSIONS, account.id);
  return SELF.fetch(`${ORIGIN}${path.replace(/:\w+/g, 'some-id')}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': broken.type, origin: ORIGIN, 'sec-fetch-site': 'same-origin', 'cf-connecting-ip': randomAddress(), cookie: `session=${token}` },
    body: broken.body,
  });
}

describe('malformed request bodies', () => {
  it('covers the forms the app is known to have', () => {
    expect(postRoutes).toEqual(
      expect.arrayContaining(['/register', '/login', '/logout', '/profile', '/account/password', '/account/delete', '/password-reset', '/password-reset/confirm', '/verify-email']),
    );
  });

  for (const [kind, broken] of Object.entries(BROKEN_BODIES)) {
    describe(kind, () => {
      for (const path of postRoutes) {
        it(`POST ${path} answers with the 400 page and no trace of the error`, async () => {
          const res = await postBroken(path, broken);
          const html = await res.text();
          expect(res.status).toBe(400);
          expect(res.headers.get('content-type')).toMatch(/^text\/html/);
          expect(html).toContain('We could not read that form');
          expect(html).not.toMatch(/\bat .+:\d+:\d+|Error\b|Malformed|boundary|node_modules|\.tsx?\b/);
        });
      }
    });
  }

  it('changed nothing for the account the broken requests were sent with', async () => {
    const row = await env.DB.prepare('select count(*) as n from users where id = ?').bind(account.id).first<{ n: number }>();
    expect(row!.n).toBe(1);
    expect((await get('/dashboard', account.cookie)).status).toBe(200);
  });
});
