import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { CURRENT_PARAMS, hashPassword } from '../src/auth/password-hash';
import { INVALID_CREDENTIALS } from '../src/auth/sign-in';
import { get, postForm, sessionCookieFrom, signUp, STRONG_PASSWORD } from './helpers';

async function createAccount() {
  const account = await signUp();
  expect(account.response.status).toBe(303);
  return account;
}

describe('sign in', () => {
  it('works with the username, in any case, and lands on the dashboard', async () => {
    const { username } = await createAccount();
    const res = await postForm('/login', { login: username.toUpperCase(), password: STRONG_PASSWORD });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/dashboard');
    const dashboard = await get('/dashboard', sessionCookieFrom(res));
    expect(await dashboard.text()).toContain(username);
  });

  it('works with the email address', async () => {
    const { email } = await createAccount();
    const res = await postForm('/login', { login: email.toUpperCase(), password: STRONG_PASSWORD });
    expect(res.status).toBe(303);
  });

  it('gives the same answer for a wrong password and an unknown user', async () => {
    const { username } = await createAccount();
    const wrongPassword = await postForm('/login', { login: username, password: 'not the password at all' });
    const unknownUser = await postForm('/login', { login: 'nobody-by-this-name', password: 'not the password at all' });
    expect(wrongPassword.status).toBe(401);
    expect(unknownUser.status).toBe(401);
    const a = await wrongPassword.text();
    const b = await unknownUser.text();
    expect(a).toContain(INVALID_CREDENTIALS);
    // Same page apart from the login echoed back into its field.
    expect(a.replace(username, 'X')).toBe(b.replace('nobody-by-this-name', 'X'));
    expect(wrongPassword.headers.getSetCookie().some((c) => c.startsWith('session='))).toBe(false);
  });

  it('keeps the login but never the password after a failure', async () => {
    const { username } = await createAccount();
    const res = await postForm('/login', { login: username, password: 'Wrong-But-Memorable-77' });
    const html = await res.text();
    expect(html).toContain(`value="${username}"`);
    expect(html).not.toContain('Wrong-But-Memorable-77');
  });

  it('refuses an inactive account even with the right password, with the same answer as a wrong one', async () => {
    const { username } = await createAccount();
    await env.DB.prepare('update users set is_active = 0 where username = ?').bind(username).run();
    const res = await postForm('/login', { login: username, password: STRONG_PASSWORD });
    expect(res.status).toBe(401);
    const html = await res.text();
    expect(html).toContain('Your username/email or password is wrong.');
    expect(html).not.toContain('deactivated');
    expect(res.headers.getSetCookie().some((c) => c.startsWith('session='))).toBe(false);
  });

  it('ends the session of an account deactivated while signed in', async () => {
    const { username, response } = await createAccount();
    const cookie = sessionCookieFrom(response);
    await env.DB.prepare('update users set is_active = 0 where username = ?').bind(username).run();
    const res = await get('/dashboard', cookie);
    expect(res.status).toBe(302);
  });

  it('returns to ?next= after signing in', async () => {
    const { username } = await createAccount();
    const res = await postForm('/login?next=%2Fprofile%3Ftab%3D1', { login: username, password: STRONG_PASSWORD });
    expect(res.headers.get('location')).toBe('/profile?tab=1');
  });

  it.each(['https://evil.example/', '//evil.example/', '/\\evil.example', 'javascript:alert(1)', '/%5Cevil.example'])(
    'never redirects off-site for next=%s',
    async (next) => {
      const { username } = await createAccount();
      const res = await postForm(`/login?next=${encodeURIComponent(next)}`, { login: username, password: STRONG_PASSWORD });
      const location = res.headers.get('location')!;
      expect(new URL(location, 'http://localhost:8787').origin).toBe('http://localhost:8787');
      expect(location.startsWith('/') && !location.startsWith('//')).toBe(true);
    },
  );

  it('shows field errors for an empty form', async () => {
    const res = await postForm('/login', { login: '', password: '' });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('Enter your username or email.');
    expect(html).toContain('Enter your password.');
  });

  it('rehashes a password stored with old parameters', async () => {
    const { username } = await createAccount();
    const oldHash = await hashPassword(STRONG_PASSWORD, { ...CURRENT_PARAMS, m: 4096 });
    await env.DB.prepare('update users set password_hash = ? where username = ?').bind(oldHash, username).run();
    const res = await postForm('/login', { login: username, password: STRONG_PASSWORD });
    expect(res.status).toBe(303);
    const row = await env.DB.prepare('select password_hash as h from users where username = ?').bind(username).first<{ h: string }>();
    expect(row!.h).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(row!.h).not.toBe(oldHash);
    const again = await postForm('/login', { login: username, password: STRONG_PASSWORD });
    expect(again.status).toBe(303);
  });
});

describe('no user enumeration through timing', () => {
  // Not a speed goal: without the dummy hash an unknown login answers ~100x faster,
  // so a generous bound still catches the leak.
  it('spends a password hash on unknown accounts too', async () => {
    const { createDb } = await import('../src/db/client');
    const { authenticate } = await import('../src/auth/sign-in');
    const { username } = await createAccount();
    const db = createDb(env.DB);
    const time = async (login: string) => {
      const samples: number[] = [];
      for (let i = 0; i < 3; i++) {
        const start = performance.now();
        await authenticate(db, login, 'wrong password here');
        samples.push(performance.now() - start);
      }
      return samples.sort((a, b) => a - b)[1]!;
    };
    const known = await time(username);
    const unknown = await time('no-such-account-anywhere');
    expect(unknown).toBeGreaterThan(known * 0.5);
  });

  it('spends the same hash on an account with no password (made through a provider, or imported without one)', async () => {
    const { passwordHashToVerify } = await import('../src/auth/sign-in');
    const { UNMATCHABLE_HASH } = await import('../src/auth/password-hash');
    const real = await hashPassword(STRONG_PASSWORD);
    expect(passwordHashToVerify({ passwordHash: real, mustResetPassword: false })).toBe(real);
    // verifyPassword answers "!..." and "" at once; these must cost an Argon2 check instead.
    expect(passwordHashToVerify({ passwordHash: '!3f9a0c', mustResetPassword: false })).toBe(UNMATCHABLE_HASH);
    expect(passwordHashToVerify({ passwordHash: '', mustResetPassword: false })).toBe(UNMATCHABLE_HASH);
    expect(passwordHashToVerify({ passwordHash: real, mustResetPassword: true })).toBe(UNMATCHABLE_HASH);
    expect(passwordHashToVerify(null)).toBe(UNMATCHABLE_HASH);
  });
});
