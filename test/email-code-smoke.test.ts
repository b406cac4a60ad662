import { describe, expect, it } from 'vitest';
import { sessionCookieFrom, STRONG_PASSWORD, uniqueName, waitForMail } from './helpers';
import { beforeEnv, codeCookieFrom, codeFromMail, fetchWith, linkToken } from './email-code-helpers';

describe('smoke', () => {
  it('signs up with a code', async () => {
    const username = uniqueName();
    const email = `${username}@example.com`;
    const started = Date.now();
    const res = await fetchWith(beforeEnv, '/register', { fields: { username, email, password: STRONG_PASSWORD, passwordConfirm: STRONG_PASSWORD } });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/register/code');
    const cookie = codeCookieFrom(res);
    const page = await fetchWith(beforeEnv, '/register/code', { cookie });
    expect(page.status).toBe(200);
    const { code, link } = await codeFromMail(email, 'sign-up code', started);
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const wrong = await fetchWith(beforeEnv, '/register/code', { cookie, fields: { code: 'AAAA-AAAA' } });
    expect(wrong.status).toBe(401);
    const ok = await fetchWith(beforeEnv, '/register/code', { cookie, fields: { code: code.toLowerCase().replace('-', ' ') } });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/dashboard');
    const session = sessionCookieFrom(ok);
    const dash = await fetchWith(beforeEnv, '/dashboard', { cookie: session });
    expect(await dash.text()).toContain('Verified');
    expect(linkToken(link)).toBeTruthy();
  });

  it('signs in with a code', async () => {
    const username = uniqueName();
    const email = `${username}@example.com`;
    const res = await fetchWith(beforeEnv, '/register', { fields: { username, email, password: '', passwordConfirm: '' } });
    const cookie = codeCookieFrom(res);
    const { code } = await codeFromMail(email, 'sign-up code');
    const made = await fetchWith(beforeEnv, '/register/code', { cookie, fields: { code } });
    expect(made.status).toBe(303);
    const started = Date.now();
    const ask = await fetchWith(beforeEnv, '/login/code', { fields: { email } });
    expect(ask.status).toBe(303);
    const c2 = codeCookieFrom(ask);
    const signIn = await codeFromMail(email, 'sign-in code', started);
    const link = await fetchWith(beforeEnv, `/email-link?token=${linkToken(signIn.link)}`);
    expect(link.status).toBe(200);
    const done = await fetchWith(beforeEnv, '/login/code/enter', { cookie: c2, fields: { code: signIn.code } });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/dashboard');
    const unknown = await fetchWith(beforeEnv, '/login/code', { fields: { email: `nobody-${username}@example.com` } });
    expect(unknown.status).toBe(303);
    await waitForMail(`nobody-${username}@example.com`, 'sign-in code');
  });
});
