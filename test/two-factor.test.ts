import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { get, postForm, signUpAndSignIn, STRONG_PASSWORD, waitForMail } from './helpers';
import { accountWithTwoFactor, finishEnrolment, passwordStep, recoveryCodesFrom, secondStep, signInWithCode, startEnrolment } from './two-factor-helpers';

async function eventTypes(username: string): Promise<string[]> {
  const rows = await env.DB.prepare('select e.type from security_events e join users u on u.id = e.user_id where u.username = ? order by e.created_at, e.id')
    .bind(username)
    .all<{ type: string }>();
  return rows.results.map((r) => r.type);
}

async function securityPage(cookie: string): Promise<string> {
  const res = await get('/account/security', cookie);
  expect(res.status).toBe(200);
  return res.text();
}

describe('/account/security', () => {
  it('needs sign-in, and is linked from the account page', async () => {
    expect((await get('/account/security')).headers.get('location')).toBe('/login?next=%2Faccount%2Fsecurity');
    const { cookie } = await signUpAndSignIn();
    expect(await (await get('/account', cookie)).text()).toContain('href="/account/security"');
    const html = await securityPage(cookie);
    expect(html).toContain('Set up an authenticator app');
    expect(html).toMatch(/<span class="badge">Off<\/span>/);
  });
});

describe('turning on the authenticator app', () => {
  it('shows a QR code as inline SVG and the key as text, with no script and no outside request', async () => {
    const { cookie, username } = await signUpAndSignIn();
    const { html, app } = await startEnrolment(cookie);
    const svg = /<svg[^>]*class="qr-code"[^>]*>.*?<\/svg>/s.exec(html)?.[0];
    expect(svg).toBeTruthy();
    expect(svg).toContain('role="img"');
    expect(svg).toMatch(/<path fill="#000" d="(M\d+ \d+h1v1h-1z)+"\/>/);
    expect(html).not.toMatch(/<script(?![^>]*src="\/static\/)/);
    expect(html).not.toMatch(/(src|href)="https?:/);
    expect(app.key.byteLength).toBe(20);
    expect(html).toContain(`Account: ${username}.`);
    // A pending enrolment is not on: sign-in still takes the password alone.
    expect((await postForm('/login', { login: username, password: STRONG_PASSWORD })).headers.get('location')).toBe('/dashboard');
  });

  it('refuses to start without the right password', async () => {
    const { cookie, username } = await signUpAndSignIn();
    const wrongPassword = await postForm('/account/security/totp', { password: 'not my password' }, { cookie });
    expect(wrongPassword.status).toBe(422);
    const html = await wrongPassword.text();
    expect(html).toContain('That password is wrong.');
    expect(html).not.toContain('id="totp-key"');
    expect((await postForm('/account/security/totp', { password: '' }, { cookie })).status).toBe(422);
    expect((await get('/account/security/totp/setup', cookie)).headers.get('location')).toBe('/account/security');
    expect(await eventTypes(username)).toEqual(['signed_up']);
  });

  it('refuses a wrong code, and stays off', async () => {
    const { cookie, username } = await signUpAndSignIn();
    await startEnrolment(cookie);
    const wrongCode = await finishEnrolment(cookie, '000000');
    expect(wrongCode.status).toBe(422);
    const html = await wrongCode.text();
    expect(html).toContain('That code did not work.');
    expect(html).toContain('<code id="totp-key">');
    const empty = await finishEnrolment(cookie, '');
    expect(empty.status).toBe(422);
    expect(await securityPage(cookie)).toMatch(/<span class="badge">Off<\/span>/);
    expect(await eventTypes(username)).toEqual(['signed_up']);
  });

  it('turns on with a right code: ten recovery codes shown once, an email, an event', async () => {
    const { cookie, username, email, recoveryCodes } = await accountWithTwoFactor();
    expect(new Set(recoveryCodes).size).toBe(10);
    expect(await securityPage(cookie)).toContain('10 unused codes');
    expect(await eventTypes(username)).toEqual(['signed_up', 'two_factor_enabled']);
    expect((await waitForMail(email, 'Two-factor sign-in was turned on')).text).toContain('/account/security');
    // Nothing shows the codes again.
    const again = await get('/account/security/totp/setup', cookie);
    expect(again.status).toBe(303);
    expect(await securityPage(cookie)).not.toContain(recoveryCodes[0]!);
  });

  it('offers the codes as a download (a data: link) and a copy button the script reveals', async () => {
    const { cookie } = await signUpAndSignIn();
    const { app } = await startEnrolment(cookie);
    const done = await finishEnrolment(cookie, await app.nextCode());
    const html = await done.text();
    expect(done.headers.get('cache-control')).toBe('no-store');
    const href = /<a class="button" href="(data:text\/plain;charset=utf-8,[^"]+)" download="edge-accounts-recovery-codes.txt">/.exec(html)?.[1];
    expect(href).toBeTruthy();
    const file = decodeURIComponent(href!.replaceAll('&amp;', '&').slice('data:text/plain;charset=utf-8,'.length));
    for (const code of recoveryCodesFrom(html)) expect(file).toContain(`\n${code}\n`);
    expect(html).toMatch(/<button type="button" class="button button-quiet" data-copy="[^"]+" data-copy-status="copy-status" hidden/);
    expect(html).toMatch(/<script src="\/static\/copy-text.js" defer(="")?><\/script>/);
  });
});

describe('recovery codes', () => {
  it('regenerating needs the password, voids the old set, emails and records it', async () => {
    const { cookie, username, email, recoveryCodes } = await accountWithTwoFactor();
    expect((await get('/account/security/recovery-codes', cookie)).status).toBe(200);
    const wrong = await postForm('/account/security/recovery-codes', { password: 'not my password' }, { cookie });
    expect(wrong.status).toBe(422);
    const res = await postForm('/account/security/recovery-codes', { password: STRONG_PASSWORD }, { cookie });
    expect(res.status).toBe(200);
    const fresh = recoveryCodesFrom(await res.text());
    expect(fresh).toHaveLength(10);
    expect(fresh.some((code) => recoveryCodes.includes(code))).toBe(false);
    await waitForMail(email, 'New recovery codes were made');
    expect(await eventTypes(username)).toEqual(['signed_up', 'two_factor_enabled', 'recovery_codes_regenerated']);
    // The old code no longer signs in; a new one does.
    const { pending } = await passwordStep(username);
    expect((await secondStep(pending, recoveryCodes[0]!, 'recovery_code')).status).toBe(401);
    expect((await secondStep(pending, fresh[0]!, 'recovery_code')).status).toBe(303);
  });
});

describe('turning it off', () => {
  it('needs the password and a current code', async () => {
    const { cookie, username, email, app } = await accountWithTwoFactor();
    expect((await get('/account/security/totp/disable', cookie)).status).toBe(200);
    const noPassword = await postForm('/account/security/totp/disable', { password: 'not my password', code: await app.nextCode() }, { cookie });
    expect(noPassword.status).toBe(422);
    expect(await noPassword.text()).toContain('That password is wrong.');
    const noCode = await postForm('/account/security/totp/disable', { password: STRONG_PASSWORD, code: '123456' }, { cookie });
    expect(noCode.status).toBe(422);
    expect(await noCode.text()).toContain('That code did not work.');
    expect(await securityPage(cookie)).toMatch(/badge-success">On</);

    const off = await postForm('/account/security/totp/disable', { password: STRONG_PASSWORD, code: await app.nextCode() }, { cookie });
    expect(off.status).toBe(303);
    expect(await securityPage(cookie)).toMatch(/<span class="badge">Off<\/span>/);
    expect(await eventTypes(username)).toEqual(['signed_up', 'two_factor_enabled', 'two_factor_disabled']);
    await waitForMail(email, 'Two-factor sign-in was turned off');
    // Password alone signs in again; the recovery codes are gone.
    expect((await postForm('/login', { login: username, password: STRONG_PASSWORD })).headers.get('location')).toBe('/dashboard');
    const left = await env.DB.prepare('select count(*) as n from recovery_codes r join users u on u.id = r.user_id where u.username = ?').bind(username).first<{ n: number }>();
    expect(left!.n).toBe(0);
  });

  it('takes a recovery code instead of a code from the app', async () => {
    const { cookie, username, recoveryCodes } = await accountWithTwoFactor();
    const off = await postForm('/account/security/totp/disable', { password: STRONG_PASSWORD, code: recoveryCodes[5]!.toUpperCase() }, { cookie });
    expect(off.status).toBe(303);
    // The last two are written in the same millisecond, so their order is not defined.
    expect((await eventTypes(username)).sort()).toEqual(['recovery_code_used', 'signed_up', 'two_factor_disabled', 'two_factor_enabled']);
  });
});

describe('the activity page', () => {
  it('shows every two-factor event', async () => {
    const { username, app, recoveryCodes } = await accountWithTwoFactor();
    const { pending } = await passwordStep(username);
    expect((await secondStep(pending, '000000')).status).toBe(401);
    const cookie = await signInWithCode(username, app);
    const { pending: again } = await passwordStep(username);
    expect((await secondStep(again, recoveryCodes[0]!, 'recovery_code')).status).toBe(303);
    await postForm('/account/security/recovery-codes', { password: STRONG_PASSWORD }, { cookie });
    await postForm('/account/security/totp/disable', { password: STRONG_PASSWORD, code: await app.nextCode() }, { cookie });
    const html = await (await get('/account/activity', cookie)).text();
    for (const line of [
      'Authenticator app turned on',
      'Wrong second-factor code at sign-in',
      'Signed in with password and authenticator code',
      'A recovery code was used',
      'Signed in with password and recovery code',
      'New recovery codes made',
      'Authenticator app turned off',
    ]) {
      expect(html, line).toContain(line);
    }
  });
});
