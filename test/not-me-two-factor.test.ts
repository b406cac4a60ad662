import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createOneTimeToken } from '../src/auth/one-time-tokens';
import { createDb } from '../src/db/client';
import { get, postForm, sessionCookieFrom } from './helpers';
import { confirmAddress, resetByEmail } from './password-reset-helpers';
import { accountWithTwoFactor } from './two-factor-helpers';

// Hole 5: "This wasn't me" must take the intruder's authenticator app away too, or the
// owner, after resetting the password, is asked for a code from an app they never had.

const NEW_PASSWORD = 'owner takes it back 61';

async function userIdOf(username: string): Promise<string> {
  return (await env.DB.prepare('select id from users where username = ?').bind(username).first<{ id: string }>())!.id;
}

async function rowsOf(table: 'totp_credentials' | 'recovery_codes', userId: string): Promise<number> {
  return (await env.DB.prepare(`select count(*) as n from ${table} where user_id = ?`).bind(userId).first<{ n: number }>())!.n;
}

describe('"This wasn\u2019t me" and two-factor sign-in', () => {
  it('removes the authenticator app and recovery codes, so the owner resets and signs in with the password alone', async () => {
    const account = await accountWithTwoFactor();
    // A confirmed address: the reset itself removes nothing, only the report does.
    await confirmAddress(account.email);
    const id = await userIdOf(account.username);
    const token = await createOneTimeToken(createDb(env.DB), { userId: id, purpose: 'not_me', keepEarlier: true });

    const report = await postForm('/not-me', { token });
    expect(report.status).toBe(200);
    expect(await report.text()).toContain('two-factor sign-in turned off');
    expect(await rowsOf('totp_credentials', id)).toBe(0);
    expect(await rowsOf('recovery_codes', id)).toBe(0);

    expect((await resetByEmail(account.email, NEW_PASSWORD)).status).toBe(303);
    const signIn = await postForm('/login', { login: account.username, password: NEW_PASSWORD });
    expect(signIn.status).toBe(303);
    expect(signIn.headers.get('location')).not.toBe('/login/two-factor');
    expect((await get('/dashboard', sessionCookieFrom(signIn))).status).toBe(200);
  });
});
