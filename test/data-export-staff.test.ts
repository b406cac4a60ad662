import { SELF } from 'cloudflare:test';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { AccountDocument } from '../src/account/data-export';
import { ORIGIN, postForm, sessionCookieFrom, STRONG_PASSWORD } from './helpers';
import { signUpMember, signUpStaff } from './admin-helpers';

// Hole 7: what staff did to an account is in its export, but where the staff member acted
// from (address, browser, place) is theirs, not the account's: the export says "Site
// staff", as the activity page does.

const STAFF_BROWSER = 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 StaffFox/140.0';
const STAFF_ADDRESS = '198.51.100.77';

// A staff action from a known address, browser and city.
function staffActionFrom(cookie: string, userId: string, action: string) {
  return SELF.fetch(`${ORIGIN}/admin/users/${userId}/${action}`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      origin: ORIGIN,
      'sec-fetch-site': 'same-origin',
      'cf-connecting-ip': STAFF_ADDRESS,
      'user-agent': STAFF_BROWSER,
      cookie,
    },
    body: new URLSearchParams({ sudoPassword: STRONG_PASSWORD }).toString(),
    cf: { country: 'XX', city: 'Staffville' },
  } as RequestInit);
}

async function exportedDocument(cookie: string): Promise<AccountDocument> {
  const res = await postForm('/account/export', { password: STRONG_PASSWORD }, { cookie });
  expect(res.status).toBe(200);
  const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
  return JSON.parse(new TextDecoder().decode(files['account.json'])) as AccountDocument;
}

describe('download my data: what staff did', () => {
  it('lists the staff action as by "Site staff", without the staff member\u2019s address, browser or place', async () => {
    const staff = await signUpStaff();
    const member = await signUpMember();
    expect((await staffActionFrom(staff.cookie, member.id, 'sign-out')).status).toBe(303);
    const cookie = sessionCookieFrom(await postForm('/login', { login: member.username, password: STRONG_PASSWORD }));

    const doc = await exportedDocument(cookie);
    const staffEvent = doc.securityEvents.find((e) => e.type === 'staff_signed_out_everywhere');
    expect(staffEvent).toMatchObject({ by: 'staff', device: 'Site staff', userAgent: null, ip: null, location: null, country: null });
    const json = JSON.stringify(doc);
    for (const leak of [STAFF_ADDRESS, 'StaffFox', 'Staffville', staff.id, staff.username]) expect(json).not.toContain(leak);
    // The owner's own events keep where they came from.
    expect(doc.securityEvents.find((e) => e.type === 'signed_up')?.ip).toMatch(/^10\./);
  });
});
