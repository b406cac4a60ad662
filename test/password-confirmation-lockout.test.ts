import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { LOCKOUT_MAX_FAILURES } from '../src/auth/rate-limits';
import { get, postForm, sessionCookieFrom, signUpAndSignIn, STRONG_PASSWORD } from './helpers';

// A stolen session must not be a faster password oracle than the sign-in form: every
// "confirm with your password" form counts wrong answers toward the account's lockout,
// and once it is locked even the right password is refused with a 429.

const NEW_PASSWORD = 'quiet meadow lantern 58';

function changePassword(cookie: string, currentPassword: string) {
  return postForm('/account/password', { currentPassword, password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD }, { cookie });
}

function deleteAccount(cookie: string, password: string) {
  return postForm('/account/delete', { password }, { cookie });
}

function exportData(cookie: string, password: string) {
  return postForm('/account/export', { password }, { cookie });
}

async function userExists(username: string) {
  return (await env.DB.prepare('select count(*) as n from users where username = ?').bind(username).first<{ n: number }>())!.n === 1;
}

async function exportsRecorded(username: string) {
  const sql = "select count(*) as n from security_events e join users u on u.id = e.user_id where u.username = ? and e.type = 'data_exported'";
  return (await env.DB.prepare(sql).bind(username).first<{ n: number }>())!.n;
}

// The lockout's 429 (15 minutes), not a per-minute limit's.
function expectLockout(res: Response) {
  expect(res.status).toBe(429);
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(800);
}

async function wrongGuesses(count: number, guess: (i: number) => Promise<Response>) {
  for (let i = 0; i < count; i++) expect((await guess(i)).status).toBe(422);
}

describe('password confirmations share the account lockout', () => {
  it(`password change: after ${LOCKOUT_MAX_FAILURES} wrong current passwords the right one gets a 429 and the password stays`, async () => {
    const { cookie, username } = await signUpAndSignIn();
    await wrongGuesses(LOCKOUT_MAX_FAILURES, (i) => changePassword(cookie, `guess number ${i}`));
    expectLockout(await changePassword(cookie, STRONG_PASSWORD));
    expect((await postForm('/login', { login: username, password: STRONG_PASSWORD })).status).toBe(303);
    expect((await postForm('/login', { login: username, password: NEW_PASSWORD })).status).toBe(401);
  });

  it(`account deletion: after ${LOCKOUT_MAX_FAILURES} wrong passwords the right one gets a 429 and the account stays`, async () => {
    const { cookie, username } = await signUpAndSignIn();
    await wrongGuesses(LOCKOUT_MAX_FAILURES, (i) => deleteAccount(cookie, `guess number ${i}`));
    expectLockout(await deleteAccount(cookie, STRONG_PASSWORD));
    expect(await userExists(username)).toBe(true);
    expect((await get('/dashboard', cookie)).status).toBe(200);
  });

  // The export's own limit (EXPORT_LIMITER, a few a minute) refuses a burst of ten before
  // the lockout could: the wrong export passwords are made up to ten on another form.
  it(`data export: wrong export passwords count, and after ${LOCKOUT_MAX_FAILURES} the right one gets a 429 and no ZIP`, async () => {
    const { cookie, username } = await signUpAndSignIn();
    await wrongGuesses(2, (i) => exportData(cookie, `guess number ${i}`));
    await wrongGuesses(LOCKOUT_MAX_FAILURES - 2, (i) => deleteAccount(cookie, `other guess ${i}`));
    const res = await exportData(cookie, STRONG_PASSWORD);
    expectLockout(res);
    expect(res.headers.get('content-type')).not.toContain('application/zip');
    expect(await exportsRecorded(username)).toBe(0);
  });

  it('counts per account: another session of the same account is locked too, from any address', async () => {
    const { cookie, username } = await signUpAndSignIn();
    const other = sessionCookieFrom(await postForm('/login', { login: username, password: STRONG_PASSWORD }));
    await wrongGuesses(LOCKOUT_MAX_FAILURES, (i) => changePassword(cookie, `guess number ${i}`));
    expectLockout(await deleteAccount(other, STRONG_PASSWORD));
    expectLockout(await exportData(other, STRONG_PASSWORD));
    expect(await userExists(username)).toBe(true);
  });

  it('keeps the form and its message for a wrong password below the limit', async () => {
    const { cookie } = await signUpAndSignIn();
    const change = await changePassword(cookie, 'not it at all');
    expect(change.status).toBe(422);
    expect(await change.text()).toContain('Your current password is wrong.');
    const deletion = await deleteAccount(cookie, 'not it at all');
    expect(await deletion.text()).toContain('nothing was deleted');
    const download = await exportData(cookie, 'not it at all');
    expect(await download.text()).toContain('nothing was downloaded');
  });
});
