import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { cookieFrom, get, postForm, sessionCookieFrom, signUpAndSignIn, STRONG_PASSWORD, waitForMail } from './helpers';

// "Sign in without a password" on /account/password: the policy's "Password removed" row
// (its columns are walked in test/credential-policy-http.test.ts); here, what the person sees.

async function confirmAddress(email: string) {
  await env.DB.prepare('update users set email_verified_at = ? where email = ?').bind(Date.now(), email).run();
}

describe('removing the password', () => {
  it('is offered only once the address is confirmed, and refused before', async () => {
    const { email, cookie } = await signUpAndSignIn();
    expect(await (await get('/account/password', cookie)).text()).toContain('Confirm your email address first');
    const refused = await postForm('/account/password/remove', { removePassword: STRONG_PASSWORD }, { cookie });
    expect(refused.headers.get('location')).toBe('/account/password');
    expect((await postForm('/login', { login: email, password: STRONG_PASSWORD })).status).toBe(303);
  });

  it('needs the current password: a wrong one is said beside its field and changes nothing', async () => {
    const { email, cookie } = await signUpAndSignIn();
    await confirmAddress(email);
    const page = await (await get('/account/password', cookie)).text();
    expect(page).toContain('Your password, to remove it');
    const wrong = await postForm('/account/password/remove', { removePassword: 'not my password' }, { cookie });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('That password is wrong, so it was not removed.');
    expect((await postForm('/login', { login: email, password: STRONG_PASSWORD })).status).toBe(303);
  });

  it('then the password no longer signs in, an emailed code does, and a new password can be set', async () => {
    const { email, cookie } = await signUpAndSignIn();
    await confirmAddress(email);
    const since = Date.now();
    const removed = await postForm('/account/password/remove', { removePassword: STRONG_PASSWORD }, { cookie });
    expect(removed.status).toBe(303);
    const current = sessionCookieFrom(removed);
    const account = await get('/account', `${current}; ${cookieFrom(removed, 'flash') ?? ''}`);
    expect(await account.text()).toContain('Your password has been removed');
    expect((await waitForMail(email, 'password of your Edge Accounts account was removed', { after: since })).text).toContain('no longer has a password');
    expect((await postForm('/login', { login: email, password: STRONG_PASSWORD })).status).toBe(401);

    const asked = await postForm('/login/code', { email });
    const { code } = await waitForMail(email, 'sign-in code', { after: since });
    const signedIn = await postForm('/login/code/enter', { code: code! }, { cookie: cookieFrom(asked, 'email_code') });
    expect(signedIn.headers.get('location')).toBe('/dashboard');

    // The page now offers to set one (the step-up is then a code or a provider).
    expect(await (await get('/account/password', current)).text()).toContain('Set a password');
    expect(await (await get('/account/activity', current)).text()).toContain('Password removed');
  });
});
