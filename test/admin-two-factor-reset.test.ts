import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { get, postForm, sessionCookieFrom, STRONG_PASSWORD, waitForMail } from './helpers';
import { accountWithTwoFactor } from './two-factor-helpers';
import { eventsOf, expectFlash, signUpMember, signUpStaff, staffAction, userIdOf } from './admin-helpers';

// Staff "Reset two-factor", for an owner who lost the app and every recovery code: in
// sudo mode, audited; the app and the codes go, every session ends, the owner is mailed.

async function rowsOf(table: 'totp_credentials' | 'recovery_codes' | 'passkeys', userId: string): Promise<number> {
  return (await env.DB.prepare(`select count(*) as n from ${table} where user_id = ?`).bind(userId).first<{ n: number }>())!.n;
}

async function memberWithTwoFactor() {
  const account = await accountWithTwoFactor();
  return { ...account, id: await userIdOf(account.username) };
}

describe('staff: reset two-factor', () => {
  it('asks for the staff member\u2019s password first, and changes nothing until then', async () => {
    const staff = await signUpStaff();
    const member = await memberWithTwoFactor();
    const prompt = await staffAction(staff.cookie, member.id, 'reset-two-factor', {}, { sudo: false });
    expect(prompt.status).toBe(200);
    expect(await prompt.text()).toMatch(/name="sudoPassword"/);
    expect(await rowsOf('totp_credentials', member.id)).toBe(1);
    expect(await rowsOf('recovery_codes', member.id)).toBe(10);
    expect((await get('/dashboard', member.cookie)).status).toBe(200);
    expect(await eventsOf(member.id, 'staff_two_factor_reset')).toEqual([]);
  });

  it('removes the app and the recovery codes, ends every session, mails the owner and is in the audit', async () => {
    const staff = await signUpStaff();
    const member = await memberWithTwoFactor();
    const page = await (await get(`/admin/users/${member.id}`, staff.cookie)).text();
    expect(page).toMatch(/<dt>Two-factor sign-in<\/dt><dd>On/);
    expect(page).toContain('Reset two-factor');

    const before = Date.now();
    const res = await staffAction(staff.cookie, member.id, 'reset-two-factor');
    await expectFlash(res, staff.cookie, `Two-factor sign-in was turned off for ${member.username}`);
    expect(await rowsOf('totp_credentials', member.id)).toBe(0);
    expect(await rowsOf('recovery_codes', member.id)).toBe(0);
    expect((await get('/dashboard', member.cookie)).status).toBe(302);

    // The owner's password alone signs in now.
    const signIn = await postForm('/login', { login: member.username, password: STRONG_PASSWORD });
    expect(signIn.status).toBe(303);
    expect(signIn.headers.get('location')).not.toBe('/login/two-factor');
    const owner = sessionCookieFrom(signIn);
    expect(await (await get('/account/activity', owner)).text()).toContain('Two-factor sign-in turned off by the site’s staff');

    const mail = await waitForMail(member.email, 'Two-factor sign-in was reset by our staff', { after: before });
    expect(mail.text).toContain('the authenticator app and the recovery codes were removed');

    const events = await eventsOf(member.id, 'staff_two_factor_reset');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor_id: staff.id, user_id: member.id });
    expect(JSON.parse(events[0]!.details!)).toMatchObject({ username: member.username });
    const audit = await (await get(`/admin/audit?type=staff_two_factor_reset&target=${member.username}`, staff.cookie)).text();
    expect(audit).toContain('Reset two-factor');
  });

  it('is not offered, and is refused, when two-factor sign-in is off', async () => {
    const staff = await signUpStaff();
    const member = await signUpMember();
    const page = await (await get(`/admin/users/${member.id}`, staff.cookie)).text();
    expect(page).toMatch(/<dt>Two-factor sign-in<\/dt><dd>Off/);
    expect(page).not.toContain('Reset two-factor');
    await expectFlash(await staffAction(staff.cookie, member.id, 'reset-two-factor'), staff.cookie, 'Two-factor sign-in is already off for this account.');
    expect((await get('/dashboard', member.cookie)).status).toBe(200);
    expect(await eventsOf(member.id, 'staff_two_factor_reset')).toEqual([]);
  });
});
