import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { LOCKOUT_MAX_FAILURES } from '../src/auth/rate-limits';
import { postForm, signUpAndSignIn, STRONG_PASSWORD, uniqueName } from './helpers';

// The sign-in lockout counts per identifier as typed, whether or not an account has it: a
// 429 must not tell which username and address belong together, whether an account
// exists, or (to whoever knows the password) whether it is deactivated.

function signIn(login: string, password: string) {
  return postForm('/login', { login, password });
}

// The status of each of LOCKOUT_MAX_FAILURES + 1 attempts.
async function statuses(login: string, password: (i: number) => string) {
  const seen: number[] = [];
  for (let i = 0; i <= LOCKOUT_MAX_FAILURES; i++) seen.push((await signIn(login, password(i))).status);
  return seen;
}

const LOCKS_AFTER_TEN = [...Array<number>(LOCKOUT_MAX_FAILURES).fill(401), 429];
const wrong = (i: number) => `wrong guess ${i}`;

describe('the sign-in lockout tells nothing', () => {
  it('failures typed as the username do not lock the address, and the reverse', async () => {
    const byUsername = await signUpAndSignIn();
    expect(await statuses(byUsername.username, wrong)).toEqual(LOCKS_AFTER_TEN);
    expect((await signIn(byUsername.email, 'one more guess')).status).toBe(401);
    expect((await signIn(byUsername.email, STRONG_PASSWORD)).status).toBe(303);

    const byAddress = await signUpAndSignIn();
    expect(await statuses(byAddress.email, wrong)).toEqual(LOCKS_AFTER_TEN);
    expect((await signIn(byAddress.username, 'one more guess')).status).toBe(401);
    expect((await signIn(byAddress.username, STRONG_PASSWORD)).status).toBe(303);
  });

  it('an account’s username and address answer exactly as two unknown logins do', async () => {
    const { username, email } = await signUpAndSignIn();
    const ghost = uniqueName('ghost');
    const known = [...(await statuses(username, wrong)), ...(await statuses(email, wrong))];
    const unknown = [...(await statuses(ghost, wrong)), ...(await statuses(`${ghost}@example.com`, wrong))];
    expect(known).toEqual([...LOCKS_AFTER_TEN, ...LOCKS_AFTER_TEN]);
    expect(unknown).toEqual(known);
  });

  it('counts the login as the account lookup reads it: case and spaces make no new count', async () => {
    const { username } = await signUpAndSignIn();
    for (let i = 0; i < LOCKOUT_MAX_FAILURES; i++) await signIn(i % 2 ? username.toUpperCase() : ` ${username} `, wrong(i));
    expect((await signIn(username, STRONG_PASSWORD)).status).toBe(429);
  });

  it(`a deactivated account locks after ${LOCKOUT_MAX_FAILURES} attempts with the right password, like a wrong one`, async () => {
    const { username } = await signUpAndSignIn();
    await env.DB.prepare('update users set is_active = 0 where username = ?').bind(username).run();
    const deactivated = await statuses(username, () => STRONG_PASSWORD);
    expect(deactivated).toEqual(LOCKS_AFTER_TEN);
    expect(deactivated).toEqual(await statuses(uniqueName('ghost'), wrong));
  });

  it('a right password clears the count of the login it was typed as', async () => {
    const { username } = await signUpAndSignIn();
    for (let i = 0; i < LOCKOUT_MAX_FAILURES - 1; i++) expect((await signIn(username, wrong(i))).status).toBe(401);
    expect((await signIn(username, STRONG_PASSWORD)).status).toBe(303);
    for (let i = 0; i < LOCKOUT_MAX_FAILURES - 1; i++) expect((await signIn(username, wrong(i))).status).toBe(401);
    expect((await signIn(username, STRONG_PASSWORD)).status).toBe(303);
  });
});
