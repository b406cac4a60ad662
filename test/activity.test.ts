import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createDb } from '../src/db/client';
import { securityEvent } from '../src/users/security-events';
import { postProfile } from './profile-helpers';
import { get, postForm, sessionCookieFrom, signUpAndSignIn, STRONG_PASSWORD, waitForMail } from './helpers';

const NEW_PASSWORD = 'amber harbour kettle 31';
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0';

async function activity(cookie: string): Promise<string> {
  const res = await get('/account/activity', cookie);
  expect(res.status).toBe(200);
  return res.text();
}

async function eventsOf(username: string) {
  const rows = await env.DB.prepare(
    'select e.type, e.actor_id, e.user_id from security_events e join users u on u.id = e.user_id where u.username = ? order by e.created_at, e.id',
  )
    .bind(username)
    .all<{ type: string; actor_id: string; user_id: string }>();
  return rows.results;
}

describe('account activity', () => {
  it('needs sign-in', async () => {
    expect((await get('/account/activity')).status).toBe(302);
  });

  it('lists sign-up and sign-ins with the device, newest first', async () => {
    const { cookie, username } = await signUpAndSignIn();
    const res = await postForm('/login', { login: username, password: STRONG_PASSWORD }, { headers: { 'user-agent': FIREFOX } });
    expect(res.status).toBe(303);
    const html = await activity(cookie);
    expect(html).toContain('Account created');
    expect(html).toContain('Signed in with password');
    expect(html).toContain('Firefox on Linux');
    expect(html.indexOf('Signed in with password')).toBeLessThan(html.indexOf('Account created'));
  });

  it('records a password change, and the sessions it signed out, by whom', async () => {
    const { cookie, username } = await signUpAndSignIn();
    const changed = await postForm('/account/password', { currentPassword: STRONG_PASSWORD, password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD }, { cookie });
    const current = sessionCookieFrom(changed);
    await postForm('/account/sessions/revoke-others', {}, { cookie: current });
    const events = await eventsOf(username);
    expect(events.map((e) => e.type)).toEqual(['signed_up', 'password_changed', 'other_sessions_revoked']);
    expect(events.every((e) => e.actor_id === e.user_id)).toBe(true);
    const html = await activity(sessionCookieFrom(await postForm('/login', { login: username, password: NEW_PASSWORD })));
    expect(html).toContain('Password changed');
    expect(html).toContain('All other sessions were signed out');
  });

  it('records a password reset and a confirmed email change', async () => {
    const { cookie, username, email } = await signUpAndSignIn();
    const newEmail = `new-${email}`;
    expect((await postProfile(cookie, { email: newEmail, currentPassword: STRONG_PASSWORD })).status).toBe(303);
    const mail = await waitForMail(newEmail, 'Confirm');
    const token = new URL(mail.link!).searchParams.get('token')!;
    expect((await postForm('/verify-email', { token }, { cookie })).status).toBe(303);
    await postForm('/password-reset', { email: newEmail });
    const reset = await waitForMail(newEmail, 'Reset');
    const opened = await get(new URL(reset.link!).pathname + new URL(reset.link!).search);
    const resetCookie = opened.headers.getSetCookie().find((c) => c.startsWith('reset_token='))!.split(';')[0]!;
    await postForm('/password-reset/confirm', { password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD }, { cookie: resetCookie });
    expect((await eventsOf(username)).map((e) => e.type)).toEqual(['signed_up', 'email_change_requested', 'email_changed', 'password_reset']);
  });

  it('never shows another account\u2019s events', async () => {
    const alice = await signUpAndSignIn();
    const bob = await signUpAndSignIn();
    await postForm('/account/sessions/revoke-others', {}, { cookie: bob.cookie });
    expect(await activity(alice.cookie)).not.toContain('All other sessions were signed out');
  });

  it('goes with the account when it is deleted', async () => {
    const { cookie, username } = await signUpAndSignIn();
    const { id } = (await env.DB.prepare('select id from users where username = ?').bind(username).first<{ id: string }>())!;
    expect((await postForm('/account/delete', { password: STRONG_PASSWORD }, { cookie })).status).toBe(303);
    const left = await env.DB.prepare('select count(*) as n from security_events where user_id = ?').bind(id).first<{ n: number }>();
    expect(left!.n).toBe(0);
  });
  it('shows what staff did to the account, but not the staff member\u2019s device or whereabouts', async () => {
    const { cookie, username } = await signUpAndSignIn();
    const { id } = (await env.DB.prepare('select id from users where username = ?').bind(username).first<{ id: string }>())!;
    await securityEvent(createDb(env.DB), { type: 'staff_reactivated', userId: id, actorId: 'some-staff-member' }, { userAgent: FIREFOX, location: 'Staffville, XX' });
    const html = await activity(cookie);
    expect(html).toContain('Account changed by the site’s staff (reactivated)');
    expect(html).toContain('Site staff');
    expect(html).not.toContain('Staffville');
  });
});
