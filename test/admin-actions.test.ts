import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { sessionKey } from '../src/auth/session';
import { INVALID_CREDENTIALS } from '../src/auth/sign-in';
import { get, postForm, sessionCookieFrom, sessionIdOf, STRONG_PASSWORD, waitForMail } from './helpers';
import { fixture, listKeys, postProfile, profileOf } from './profile-helpers';
import { eventsOf, expectFlash, signUpMember, signUpStaff, staffAction, userIdOf } from './admin-helpers';

// Each staff action, what it changes, and the audit record written with it.

async function userRow(id: string) {
  return env.DB.prepare('select is_active, is_staff, is_superuser, sessions_valid_after from users where id = ?').bind(id).first<{
    is_active: number;
    is_staff: number;
    is_superuser: number;
    sessions_valid_after: number;
  }>();
}

async function isSignedIn(cookie: string): Promise<boolean> {
  const res = await get('/dashboard', cookie);
  return res.status === 200;
}


async function signInAgain(login: string) {
  return postForm('/login', { login, password: STRONG_PASSWORD });
}

async function expectAudited(target: string, actor: string, type: string, username: string) {
  const events = await eventsOf(target, type);
  expect(events, type).toHaveLength(1);
  expect(events[0]).toMatchObject({ actor_id: actor, user_id: target, type });
  expect(JSON.parse(events[0]!.details!)).toMatchObject({ username });
  expect(events[0]!.ip).toMatch(/^10\./);
}

describe('deactivate and reactivate', () => {
  it('deactivation ends every session at once, even one KV still serves, and is audited', async () => {
    const staff = await signUpStaff();
    const member = await signUpMember();
    const second = sessionCookieFrom(await signInAgain(member.username));
    // Copies of the KV records, as another location could still serve them.
    const stale = await Promise.all([member.cookie, second].map(async (c) => [sessionKey(sessionIdOf(c)), (await env.SESSIONS.get(sessionKey(sessionIdOf(c))))!] as const));

    const res = await staffAction(staff.cookie, member.id, 'deactivate');
    await expectFlash(res, staff.cookie, `${member.username} was deactivated and signed out everywhere.`);
    expect((await userRow(member.id))?.is_active).toBe(0);
    expect(await env.SESSIONS.get(stale[0]![0])).toBeNull();
    await Promise.all(stale.map(([key, value]) => env.SESSIONS.put(key, value)));
    expect(await isSignedIn(member.cookie)).toBe(false);
    expect(await isSignedIn(second)).toBe(false);
    await expectAudited(member.id, staff.id, 'staff_deactivated', member.username);
  });

  it('a deactivated account cannot sign in and is told exactly what a wrong password is told', async () => {
    const staff = await signUpStaff();
    const member = await signUpMember();
    await staffAction(staff.cookie, member.id, 'deactivate');
    const right = await signInAgain(member.username);
    const wrong = await postForm('/login', { login: member.username, password: 'Not-the-password-91' });
    expect(right.status).toBe(401);
    expect(right.headers.getSetCookie().some((c) => c.startsWith('session='))).toBe(false);
    const [rightHtml, wrongHtml] = [await right.text(), await wrong.text()];
    expect(rightHtml).toContain(INVALID_CREDENTIALS.replace("'", '&#39;'));
    expect(rightHtml).toBe(wrongHtml);
  });

  it('reactivation lets the person sign in again; earlier sessions stay ended', async () => {
    const staff = await signUpStaff();
    const member = await signUpMember();
    const key = sessionKey(sessionIdOf(member.cookie));
    const record = (await env.SESSIONS.get(key))!;
    await staffAction(staff.cookie, member.id, 'deactivate');
    const res = await staffAction(staff.cookie, member.id, 'reactivate');
    await expectFlash(res, staff.cookie, `${member.username} was reactivated.`);
    expect((await userRow(member.id))?.is_active).toBe(1);
    await env.SESSIONS.put(key, record);
    expect(await isSignedIn(member.cookie)).toBe(false);
    expect((await signInAgain(member.username)).status).toBe(303);
    await expectAudited(member.id, staff.id, 'staff_reactivated', member.username);
  });
});

describe('sessions, picture and password', () => {
  it('"sign out everywhere" ends every session, including stale KV copies', async () => {
    const staff = await signUpStaff();
    const member = await signUpMember();
    const key = sessionKey(sessionIdOf(member.cookie));
    const record = (await env.SESSIONS.get(key))!;
    const res = await staffAction(staff.cookie, member.id, 'sign-out');
    await expectFlash(res, staff.cookie, `${member.username} was signed out everywhere.`);
    await env.SESSIONS.put(key, record);
    expect(await isSignedIn(member.cookie)).toBe(false);
    expect((await signInAgain(member.username)).status).toBe(303);
    await expectAudited(member.id, staff.id, 'staff_signed_out_everywhere', member.username);
  });

  it('removing the picture deletes both S3 objects and clears the profile', async () => {
    const staff = await signUpStaff();
    const member = await signUpMember();
    const upload = await postProfile(member.cookie, { email: member.email, file: { bytes: fixture('small.png'), name: 's.png', type: 'image/png' } });
    expect(upload.status).toBe(303);
    const avatarKey = (await profileOf(member.username))!.avatarKey!;
    expect(await listKeys(`avatars/${member.id}/`)).toHaveLength(2);

    const res = await staffAction(staff.cookie, member.id, 'remove-avatar');
    await expectFlash(res, staff.cookie, `The picture of ${member.username} was removed.`);
    expect((await profileOf(member.username))!.avatarKey).toBeNull();
    expect(await listKeys(`avatars/${member.id}/`)).toEqual([]);
    await expectAudited(member.id, staff.id, 'staff_avatar_removed', member.username);
    expect(JSON.parse((await eventsOf(member.id, 'staff_avatar_removed'))[0]!.details!).avatarKey).toBe(avatarKey);
  });

  it('sends a password-reset email to the account', async () => {
    const staff = await signUpStaff();
    const member = await signUpMember();
    const before = Date.now();
    const res = await staffAction(staff.cookie, member.id, 'password-reset');
    await expectFlash(res, staff.cookie, `A password-reset link was sent to ${member.username}.`);
    const mail = await waitForMail(member.email, 'Reset your Edge Accounts password', { after: before });
    expect(mail.link).toContain('/password-reset/confirm?token=');
    await expectAudited(member.id, staff.id, 'staff_password_reset_sent', member.username);
  });

  it('shows the account: email and verification, dates, live sessions, recent events', async () => {
    const staff = await signUpStaff();
    const member = await signUpMember();
    await signInAgain(member.username);
    const html = await (await get(`/admin/users/${member.id}`, staff.cookie)).text();
    expect(html).toContain(`<h1>${member.username}</h1>`);
    expect(html).toContain(member.email);
    expect(html).toContain('Not verified');
    expect(html).toMatch(/<dt>Live sessions<\/dt><dd>2<\/dd>/);
    expect(html).toContain('Signed in with password');
    expect(html).toContain('Account created');
    expect(html).toContain('Deactivate');
  });
});

describe('staff rights', () => {
  it('a superuser grants staff (the area opens for them) and removes it (it closes)', async () => {
    const admin = await signUpStaff({ superuser: true });
    const member = await signUpMember();
    await expectFlash(await staffAction(admin.cookie, member.id, 'grant-staff'), admin.cookie, `${member.username} is now staff.`);
    expect((await get('/admin/users', member.cookie)).status).toBe(200);
    await expectFlash(await staffAction(admin.cookie, member.id, 'remove-staff'), admin.cookie, `${member.username} is no longer staff.`);
    expect((await get('/admin/users', member.cookie)).status).toBe(404);
    await expectAudited(member.id, admin.id, 'staff_granted_staff', member.username);
    await expectAudited(member.id, admin.id, 'staff_removed_staff', member.username);
  });

  it('staff who are not superusers cannot grant staff, nor change a staff account', async () => {
    const staff = await signUpStaff();
    const member = await signUpMember();
    const other = await signUpStaff();
    const res = await staffAction(staff.cookie, member.id, 'grant-staff');
    await expectFlash(res, staff.cookie, 'Only superusers can grant or remove staff rights.');
    expect((await userRow(member.id))?.is_staff).toBe(0);
    expect(await isSignedIn(other.cookie)).toBe(true);
    await expectFlash(await staffAction(staff.cookie, other.id, 'deactivate'), staff.cookie, 'Only superusers can change a staff account.');
    expect((await userRow(other.id))?.is_active).toBe(1);
    expect(await eventsOf(member.id, 'staff_granted_staff')).toEqual([]);
    expect(await eventsOf(other.id, 'staff_deactivated')).toEqual([]);
    // The buttons are not offered either.
    expect(await (await get(`/admin/users/${member.id}`, staff.cookie)).text()).not.toContain('Make staff');
  });

  it('nobody can remove their own superuser flag (or act on their own account here)', async () => {
    const admin = await signUpStaff({ superuser: true });
    for (const action of ['remove-superuser', 'remove-staff', 'deactivate']) {
      await expectFlash(await staffAction(admin.cookie, admin.id, action), admin.cookie, 'You cannot do this to your own account here');
    }
    expect(await userRow(admin.id)).toMatchObject({ is_active: 1, is_staff: 1, is_superuser: 1 });
  });

  it('a superuser can make and unmake another superuser', async () => {
    const admin = await signUpStaff({ superuser: true });
    const member = await signUpMember();
    await staffAction(admin.cookie, member.id, 'grant-superuser');
    expect(await userRow(member.id)).toMatchObject({ is_staff: 1, is_superuser: 1 });
    await staffAction(admin.cookie, member.id, 'remove-superuser');
    expect(await userRow(member.id)).toMatchObject({ is_staff: 1, is_superuser: 0 });
    await expectAudited(member.id, admin.id, 'staff_granted_superuser', member.username);
    await expectAudited(member.id, admin.id, 'staff_removed_superuser', member.username);
  });
});

describe('deleting an account', () => {
  it('needs the username typed exactly; a mismatch deletes nothing', async () => {
    const staff = await signUpStaff();
    const member = await signUpMember();
    const res = await staffAction(staff.cookie, member.id, 'delete', { confirmUsername: `${member.username}x` });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('Type the username exactly as shown');
    expect(await isSignedIn(member.cookie)).toBe(true);
    expect(await eventsOf(member.id, 'staff_deleted_account')).toEqual([]);
  });

  it('deletes through the self-service path: user, sessions and picture go; the audit record stays', async () => {
    const staff = await signUpStaff();
    const member = await signUpMember();
    await postProfile(member.cookie, { email: member.email, file: { bytes: fixture('small.png'), name: 's.png', type: 'image/png' } });
    expect(await listKeys(`avatars/${member.id}/`)).toHaveLength(2);
    const res = await staffAction(staff.cookie, member.id, 'delete', { confirmUsername: member.username.toUpperCase() });
    expect(res.headers.get('location')).toBe('/admin/users');
    await expectFlash(res, staff.cookie, `The account ${member.username} was deleted.`);
    expect(await env.DB.prepare('select count(*) as n from users where id = ?').bind(member.id).first('n')).toBe(0);
    expect(await isSignedIn(member.cookie)).toBe(false);
    expect(await listKeys(`avatars/${member.id}/`)).toEqual([]);
    // The account's own history went with it; what staff did to it did not.
    const left = await eventsOf(member.id);
    expect(left.map((e) => e.type)).toEqual(['staff_deleted_account']);
    await expectAudited(member.id, staff.id, 'staff_deleted_account', member.username);
    expect((await signInAgain(member.username)).status).toBe(401);
  });
});

describe('sudo mode', () => {
  it('without a recent confirmation an action asks for the password and does nothing yet', async () => {
    const staff = await signUpStaff();
    const member = await signUpMember();
    const res = await staffAction(staff.cookie, member.id, 'deactivate', {}, { sudo: false });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Confirm your password');
    expect(html).toContain(`action="/admin/users/${member.id}/deactivate"`);
    expect((await userRow(member.id))?.is_active).toBe(1);
  });

  it('a wrong password is refused, counts as a failed sign-in and does nothing', async () => {
    const staff = await signUpStaff();
    const member = await signUpMember();
    const res = await staffAction(staff.cookie, member.id, 'deactivate', { sudoPassword: 'Not-my-password-15' }, { sudo: false });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('That password is wrong, so nothing was done.');
    expect((await userRow(member.id))?.is_active).toBe(1);
    expect(await env.DB.prepare('select failures from login_failures where key = ?').bind(`user:${staff.id}`).first('failures')).toBe(1);
  });

  it('the typed username of a deletion is carried through the password prompt', async () => {
    const staff = await signUpStaff();
    const member = await signUpMember();
    const html = await (await staffAction(staff.cookie, member.id, 'delete', { confirmUsername: member.username }, { sudo: false })).text();
    expect(html).toContain(`<input type="hidden" name="confirmUsername" value="${member.username}"/>`);
  });

  it('a confirmation lasts 15 minutes in this session only, then the password is asked again', async () => {
    const staff = await signUpStaff();
    const a = await signUpMember();
    const b = await signUpMember();
    expect((await staffAction(staff.cookie, a.id, 'sign-out')).status).toBe(303);
    const sudo = await eventsOf(staff.id, 'staff_password_confirmed');
    expect(sudo).toHaveLength(1);
    expect(sudo[0]).toMatchObject({ actor_id: staff.id });

    // Within the window: no password needed.
    expect((await staffAction(staff.cookie, b.id, 'sign-out', {}, { sudo: false })).status).toBe(303);
    // Another session of the same staff member has not confirmed anything.
    const otherSession = sessionCookieFrom(await signInAgain(staff.username));
    expect((await staffAction(otherSession, b.id, 'sign-out', {}, { sudo: false })).status).toBe(200);
    // Sixteen minutes later (the confirmation moved back in time): asked again.
    await env.DB.prepare('update security_events set created_at = created_at - 16 * 60 * 1000 where id = ?').bind(sudo[0]!.id).run();
    const expired = await staffAction(staff.cookie, b.id, 'deactivate', {}, { sudo: false });
    expect(expired.status).toBe(200);
    expect(await expired.text()).toContain('Confirm your password');
    expect((await userRow(b.id))?.is_active).toBe(1);
    // Confirming continues with the action.
    expect((await staffAction(staff.cookie, b.id, 'deactivate')).status).toBe(303);
    expect((await userRow(b.id))?.is_active).toBe(0);
    expect(await eventsOf(staff.id, 'staff_password_confirmed')).toHaveLength(2);
  });

  it('the audit records each action once, in the same batch as its change', async () => {
    const staff = await signUpStaff();
    const member = await signUpMember();
    await staffAction(staff.cookie, member.id, 'deactivate');
    // A second try is refused (already deactivated) and writes nothing.
    await staffAction(staff.cookie, member.id, 'deactivate');
    expect(await eventsOf(member.id, 'staff_deactivated')).toHaveLength(1);
    expect(await userIdOf(member.username)).toBe(member.id);
  });
});
