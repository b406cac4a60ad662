import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { get, ORIGIN, postForm, randomAddress, signUpAndSignIn, STRONG_PASSWORD, uniqueName, waitForMail } from './helpers';
import { profileBody } from './profile-helpers';

// A password change or reset voids every pending verify-email and email-change link: a
// thief who asked for an email change with a stolen session must not complete it after
// the owner took the account back.

const NEW_PASSWORD = 'quiet meadow lantern 58';

function pathOf(link: string) {
  const url = new URL(link);
  return `${url.pathname}${url.search}`;
}

// The email change as the profile form posts it, with the password it asks for.
async function requestEmailChange(cookie: string, newEmail: string) {
  const body = profileBody({ email: newEmail });
  body.set('currentPassword', STRONG_PASSWORD);
  const res = await SELF.fetch(`${ORIGIN}/profile`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, origin: ORIGIN, 'sec-fetch-site': 'same-origin', 'cf-connecting-ip': randomAddress() },
    body,
  });
  expect(res.status).toBe(303);
  return pathOf((await waitForMail(newEmail, 'Confirm your email address')).link!);
}

async function resetPassword(email: string) {
  const start = Date.now();
  await postForm('/password-reset', { email });
  const mail = await waitForMail(email, 'Reset your', { after: start });
  const opened = await SELF.fetch(`${ORIGIN}${pathOf(mail.link!)}`, { redirect: 'manual' });
  const cookie = opened.headers.getSetCookie().find((c) => /^(__Host-)?reset_token=/.test(c))!.split(';')[0]!;
  const res = await postForm('/password-reset/confirm', { password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD }, { cookie });
  expect(res.status).toBe(303);
}

async function expectLinkRefused(link: string, username: string, email: string) {
  expect((await get(link)).status).toBe(400);
  const token = new URL(link, ORIGIN).searchParams.get('token')!;
  expect((await postForm('/verify-email', { token })).status).toBe(400);
  const row = await env.DB.prepare('select email from users where username = ?').bind(username).first<{ email: string }>();
  expect(row!.email).toBe(email);
}

describe('a new password voids pending email links', () => {
  it('a password reset voids a pending email-change link', async () => {
    const { cookie, username, email } = await signUpAndSignIn();
    const link = await requestEmailChange(cookie, `${uniqueName('thief')}@example.net`);
    expect((await get(link)).status).toBe(200);
    await resetPassword(email);
    await expectLinkRefused(link, username, email);
  });

  it('a password change voids a pending email-change link', async () => {
    const { cookie, username, email } = await signUpAndSignIn();
    const link = await requestEmailChange(cookie, `${uniqueName('thief')}@example.net`);
    const changed = await postForm('/account/password', { currentPassword: STRONG_PASSWORD, password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD }, { cookie });
    expect(changed.status).toBe(303);
    await expectLinkRefused(link, username, email);
  });

  it('a password change voids the sign-up confirmation link too', async () => {
    const { cookie, username, email } = await signUpAndSignIn();
    const link = pathOf((await waitForMail(email, 'Confirm your email address')).link!);
    const changed = await postForm('/account/password', { currentPassword: STRONG_PASSWORD, password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD }, { cookie });
    expect(changed.status).toBe(303);
    await expectLinkRefused(link, username, email);
  });
});
