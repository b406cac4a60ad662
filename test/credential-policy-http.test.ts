import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import app from '../src/app';
import { CREDENTIAL_POLICY, ROUTES_THAT_CHANGE_NO_CREDENTIAL, type EmailedLink, type PolicyRow } from '../src/auth/credential-policy';
import { createOneTimeToken, findValidToken } from '../src/auth/one-time-tokens';
import { hasUsablePassword } from '../src/auth/password-hash';
import { createSession } from '../src/auth/session';
import { readConfig } from '../src/config';
import { createDb } from '../src/db/client';
import { generateRecoveryCodes, replaceRecoveryCodes } from '../src/mfa/recovery-codes';
import { importSecretBoxKey, sealSecret } from '../src/mfa/secret-box';
import { generateTotpKey } from '../src/mfa/totp';
import { signUpStaff, staffAction, userIdOf } from './admin-helpers';
import { cookieFrom, get, isSignedIn, mailsTo, ORIGIN, postForm, randomAddress, signUp, signUpAndSignIn, STRONG_PASSWORD, uniqueName, waitForMail } from './helpers';
import { loginAtLocalProvider } from './oidc-login';
import { b64, SoftAuthenticator } from './passkeys-authenticator';
import { uniqueLogin } from './provider-test-helpers';
import { keyFromSetupPage, TestAuthenticator } from './two-factor-helpers';

// The credential-lifecycle policy (src/auth/credential-policy.ts), walked row by row over
// HTTP. Each row's account starts with everything a credential change can touch: a second
// session, the authenticator app with recovery codes, a passkey, and one live emailed link
// of each kind. The row's action is then refused without its step-up (changing nothing),
// done with it, and every column is checked against what happened.

const db = createDb(env.DB);
const NEW_PASSWORD = 'a brand new passphrase 2026';
const LINKS: EmailedLink[] = ['password_reset', 'verify_email', 'not_me'];

interface Account {
  id: string;
  username: string;
  email: string;
  cookie: string;
  otherCookie: string;
  otherSessionId: string;
  links: Record<EmailedLink, string>;
  app: TestAuthenticator | null;
  passkeyId: string | null;
  // For rows that act on someone else's account (staff) or send mail to another address.
  staffCookie?: string;
  staffId?: string;
  newAddress?: string;
  identityId?: string;
  // Codes by email: the browser's code cookie, the code, when it was asked for.
  codeCookie?: string;
  code?: string;
  codeSentAt?: number;
}

interface Driver {
  // Defaults: authenticator app on, one passkey.
  totp?: boolean;
  passkey?: boolean;
  staff?: boolean;
  prepare?(a: Account): Promise<void>;
  // The action without its step-up: a wrong password, a forged link, no sudo mode.
  refused?(a: Account): Promise<Response>;
  act(a: Account): Promise<Response>;
}

function postMultipart(path: string, fields: Record<string, string>, cookie: string) {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.append(name, value);
  return SELF.fetch(`${ORIGIN}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin: ORIGIN, 'sec-fetch-site': 'same-origin', 'cf-connecting-ip': randomAddress(), cookie },
    body,
  });
}

function postJson(path: string, body: unknown, cookie: string) {
  return SELF.fetch(`${ORIGIN}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/json', origin: ORIGIN, 'sec-fetch-site': 'same-origin', 'cf-connecting-ip': randomAddress(), cookie },
    body: JSON.stringify(body),
  });
}

const FORGED_TOKEN = 'AAAAAAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB';

const DRIVERS: Record<string, Driver> = {
  'Email confirmed': {
    refused: () => postForm('/verify-email', { token: FORGED_TOKEN }),
    act: (a) => postForm('/verify-email', { token: a.links.verify_email }),
  },
  'Confirmation link resent': {
    act: (a) => postForm('/verify-email/resend', {}, { cookie: a.cookie }),
  },
  'Email change requested': {
    prepare: async (a) => void (a.newAddress = `${uniqueName('new')}@example.net`),
    refused: (a) => postMultipart('/profile', { email: a.newAddress!, currentPassword: 'not the password at all' }, a.cookie),
    act: (a) => postMultipart('/profile', { email: a.newAddress!, currentPassword: STRONG_PASSWORD }, a.cookie),
  },
  'Email change confirmed': {
    prepare: async (a) => {
      a.newAddress = `${uniqueName('new')}@example.net`;
      a.links.verify_email = await createOneTimeToken(db, { userId: a.id, purpose: 'verify_email', email: a.newAddress });
    },
    refused: () => postForm('/verify-email', { token: FORGED_TOKEN }),
    act: (a) => postForm('/verify-email', { token: a.links.verify_email }),
  },
  'Password change': {
    refused: (a) => postForm('/account/password', { currentPassword: 'not the password at all', password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD }, { cookie: a.cookie }),
    act: (a) => postForm('/account/password', { currentPassword: STRONG_PASSWORD, password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD }, { cookie: a.cookie }),
  },
  'Password reset': {
    refused: () => postForm('/password-reset/confirm', { password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD }, { cookie: `reset_token=${FORGED_TOKEN}` }),
    act: (a) => postForm('/password-reset/confirm', { password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD }, { cookie: `reset_token=${a.links.password_reset}` }),
  },
  // An account without a password (made so in D1): its step-up is a code by email.
  'Password set': {
    prepare: (a) => withoutPassword(a),
    refused: async (a) => {
      const cookie = await sendStepUpCode(a);
      const wrong = await postForm('/account/confirm-code?next=/account/password', { code: 'AAAA-AAAA' }, { cookie });
      const unconfirmed = await postForm('/account/password', { password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD }, { cookie: a.cookie });
      expect(unconfirmed.headers.get('location')).toMatch(/^\/account\/confirm\?/);
      return wrong;
    },
    act: async (a) => {
      const cookie = await sendStepUpCode(a);
      const { code } = await waitForMail(a.email, 'confirmation code', { after: a.codeSentAt });
      const confirmed = await postForm('/account/confirm-code?next=/account/password', { code: code! }, { cookie });
      expect(confirmed.headers.get('location')).toBe('/account/password');
      return postForm('/account/password', { password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD }, { cookie: a.cookie });
    },
  },
  'Password removed': {
    prepare: (a) => confirmAddress(a),
    refused: (a) => postForm('/account/password/remove', { removePassword: 'not the password at all' }, { cookie: a.cookie }),
    act: (a) => postForm('/account/password/remove', { removePassword: STRONG_PASSWORD }, { cookie: a.cookie }),
  },
  'Sign-in code requested': {
    prepare: (a) => confirmAddress(a),
    act: (a) => postForm('/login/code', { email: a.email }),
  },
  // The code is asked for before the walk's clock starts; the act types it. No second
  // factor here: with one, the code leads to the second step (test/email-code-sign-in.test.ts).
  'Signed in with a code': {
    totp: false,
    passkey: false,
    prepare: async (a) => {
      await confirmAddress(a);
      const asked = await postForm('/login/code', { email: a.email });
      a.codeCookie = cookieFrom(asked, 'email_code');
      a.code = (await waitForMail(a.email, 'sign-in code', { after: a.codeSentAt })).code;
    },
    refused: (a) => postForm('/login/code/enter', { code: 'AAAA-AAAA' }, { cookie: a.codeCookie }),
    act: (a) => postForm('/login/code/enter', { code: a.code! }, { cookie: a.codeCookie }),
  },
  'Two-factor on': {
    totp: false,
    refused: (a) => postForm('/account/security/totp', { password: 'not the password at all' }, { cookie: a.cookie }),
    act: async (a) => {
      const started = await postForm('/account/security/totp', { password: STRONG_PASSWORD }, { cookie: a.cookie });
      expect(started.status).toBe(303);
      const setup = await get('/account/security/totp/setup', a.cookie);
      const authenticator = new TestAuthenticator(keyFromSetupPage(await setup.text()));
      return postForm('/account/security/totp/setup', { code: await authenticator.nextCode(), password: STRONG_PASSWORD }, { cookie: a.cookie });
    },
  },
  'Two-factor off': {
    refused: async (a) => postForm('/account/security/totp/disable', { password: 'not the password at all', code: await a.app!.nextCode() }, { cookie: a.cookie }),
    act: async (a) => postForm('/account/security/totp/disable', { password: STRONG_PASSWORD, code: await a.app!.nextCode() }, { cookie: a.cookie }),
  },
  'Recovery codes regenerated': {
    refused: (a) => postForm('/account/security/recovery-codes', { password: 'not the password at all' }, { cookie: a.cookie }),
    act: (a) => postForm('/account/security/recovery-codes', { password: STRONG_PASSWORD }, { cookie: a.cookie }),
  },
  'Passkey added': {
    passkey: false,
    refused: (a) => postJson('/account/security/passkeys/options', { password: 'not the password at all' }, a.cookie),
    act: async (a) => {
      const options = await postJson('/account/security/passkeys/options', { password: STRONG_PASSWORD }, a.cookie);
      expect(options.status).toBe(200);
      const { publicKey } = (await options.json()) as { publicKey: { challenge: string; rp: { id: string } } };
      const authenticator = await SoftAuthenticator.create({ userId: a.id });
      const answer = await authenticator.register({ challenge: publicKey.challenge, rpId: publicKey.rp.id, origin: ORIGIN });
      const body = { name: 'Policy walk', clientDataJSON: b64(answer.clientDataJSON), attestationObject: b64(answer.attestationObject), transports: ['internal'] };
      return postJson('/account/security/passkeys/register', body, `${a.cookie}; ${cookieFrom(options, 'webauthn_register') ?? cookieFrom(options, '__Host-webauthn_register')}`);
    },
  },
  'Passkey removed': {
    refused: (a) => postForm(`/account/security/passkeys/${a.passkeyId}/remove`, { password: 'not the password at all' }, { cookie: a.cookie }),
    act: (a) => postForm(`/account/security/passkeys/${a.passkeyId}/remove`, { password: STRONG_PASSWORD }, { cookie: a.cookie }),
  },
  // The event and the mail come from the callback: the walk follows the trip to the local
  // OpenID provider (test/global-setup.ts) and back, with the flow cookie the link set.
  'Provider linked': {
    refused: (a) => postForm('/account/sign-in-methods/local/link', { password: 'not the password at all' }, { cookie: a.cookie }),
    act: async (a) => {
      const started = await postForm('/account/sign-in-methods/local/link', { password: STRONG_PASSWORD }, { cookie: a.cookie });
      expect(started.status).toBe(303);
      const flow = cookieFrom(started, 'provider_flow');
      expect(flow).toBeDefined();
      const callback = await loginAtLocalProvider(started.headers.get('location')!, uniqueLogin('policy'));
      const back = await SELF.fetch(callback.href, { redirect: 'manual', headers: { cookie: `${a.cookie}; ${flow}` } });
      expect(back.headers.get('location')).toBe('/account/sign-in-methods');
      return back;
    },
  },
  'Provider unlinked': {
    prepare: (a) => insertIdentity(a),
    refused: (a) => postForm(`/account/sign-in-methods/${a.identityId}/unlink`, { password: 'not the password at all' }, { cookie: a.cookie }),
    act: (a) => postForm(`/account/sign-in-methods/${a.identityId}/unlink`, { password: STRONG_PASSWORD }, { cookie: a.cookie }),
  },
  '"This wasn\'t me"': {
    refused: () => postForm('/not-me', { token: FORGED_TOKEN }),
    act: (a) => postForm('/not-me', { token: a.links.not_me }),
  },
  'Other sessions signed out': {
    act: (a) => postForm('/account/sessions/revoke-others', {}, { cookie: a.cookie }),
  },
  'One session signed out': {
    act: (a) => postForm(`/account/sessions/${a.otherSessionId}/revoke`, {}, { cookie: a.cookie }),
  },
  'Sign-out': {
    act: (a) => postForm('/logout', {}, { cookie: a.cookie }),
  },
  'Account deleted': {
    refused: (a) => postForm('/account/delete', { password: 'not the password at all' }, { cookie: a.cookie }),
    act: (a) => postForm('/account/delete', { password: STRONG_PASSWORD }, { cookie: a.cookie }),
  },
  'Staff: deactivate': staffDriver('deactivate'),
  'Staff: sign out everywhere': staffDriver('sign-out'),
  'Staff: send password-reset email': staffDriver('password-reset'),
  'Staff: reset two-factor': staffDriver('reset-two-factor'),
  'Staff: delete account': staffDriver('delete', (a) => ({ confirmUsername: a.username })),
  'Staff: unlink sign-in provider': {
    ...staffDriver('unlink-provider', (a) => ({ identityId: a.identityId! })),
    prepare: (a) => insertIdentity(a),
  },
};

async function confirmAddress(a: Account): Promise<void> {
  await env.DB.prepare('update users set email_verified_at = ? where id = ?').bind(Date.now(), a.id).run();
}

async function withoutPassword(a: Account): Promise<void> {
  await env.DB.prepare("update users set password_hash = '!policy-walk' where id = ?").bind(a.id).run();
}

// "Email me a code" on /account/confirm: the code cookie of this browser.
async function sendStepUpCode(a: Account): Promise<string> {
  a.codeSentAt = Date.now();
  const sent = await postForm('/account/confirm-code/send?next=/account/password', {}, { cookie: a.cookie });
  expect(sent.status).toBe(303);
  return `${a.cookie}; ${cookieFrom(sent, 'email_code')}`;
}

async function insertIdentity(a: Account): Promise<void> {
  a.identityId = `id-${crypto.randomUUID()}`;
  await env.DB.prepare('insert into user_identities (id, user_id, provider_id, issuer, subject, email, email_verified, linked_at) values (?, ?, ?, ?, ?, ?, 1, ?)')
    .bind(a.identityId, a.id, 'local', 'https://issuer.example', crypto.randomUUID(), a.email, Date.now())
    .run();
}

function staffDriver(action: string, fields: (a: Account) => Record<string, string> = () => ({})): Driver {
  return {
    staff: true,
    refused: (a) => staffAction(a.staffCookie!, a.id, action, fields(a), { sudo: false }),
    act: (a) => staffAction(a.staffCookie!, a.id, action, fields(a)),
  };
}

async function makeAccount(driver: Driver): Promise<Account> {
  const { username, email, cookie } = await signUpAndSignIn();
  const id = await userIdOf(username);
  const other = await createSession(env.SESSIONS, id);
  let app: TestAuthenticator | null = null;
  if (driver.totp !== false) {
    const totpKey = generateTotpKey();
    const box = await importSecretBoxKey(readConfig(env).mfaEncryptionKey);
    const sealed = await sealSecret(box, totpKey, id);
    await env.DB.prepare('insert into totp_credentials (user_id, secret_encrypted, enabled_at, created_at) values (?, ?, ?, ?)').bind(id, sealed, Date.now(), Date.now()).run();
    await db.batch(replaceRecoveryCodes(db, id, generateRecoveryCodes()));
    app = new TestAuthenticator(totpKey);
  }
  let passkeyId: string | null = null;
  if (driver.passkey !== false) {
    passkeyId = `pk-${crypto.randomUUID()}`;
    await env.DB.prepare('insert into passkeys (id, user_id, name, algorithm, public_key, sign_count, backed_up, created_at) values (?, ?, ?, -7, ?, 0, 0, ?)')
      .bind(passkeyId, id, 'Squatter key', 'AAAA', Date.now())
      .run();
  }
  const links = {
    password_reset: await createOneTimeToken(db, { userId: id, purpose: 'password_reset' }),
    verify_email: await createOneTimeToken(db, { userId: id, purpose: 'verify_email', email }),
    not_me: await createOneTimeToken(db, { userId: id, purpose: 'not_me', keepEarlier: true }),
  };
  const account: Account = { id, username, email, cookie, otherCookie: `session=${other.token}`, otherSessionId: other.session.id, links, app, passkeyId };
  // A sign-in provider linked too (a squatter's, like the passkey): every row says whether it stays.
  await insertIdentity(account);
  if (driver.staff) {
    const staff = await signUpStaff({ superuser: true });
    account.staffCookie = staff.cookie;
    account.staffId = staff.id;
  }
  return account;
}

async function credentialsLeft(a: Account, totpSecret: string | null, recoveryIds: string[]) {
  const user = await env.DB.prepare('select must_reset_password, password_hash from users where id = ?').bind(a.id).first<{ must_reset_password: number; password_hash: string }>();
  const passkey = a.passkeyId ? await env.DB.prepare('select 1 as x from passkeys where id = ?').bind(a.passkeyId).first() : null;
  const totp = totpSecret ? await env.DB.prepare('select 1 as x from totp_credentials where secret_encrypted = ?').bind(totpSecret).first() : null;
  const { results } = await env.DB.prepare('select id from recovery_codes where user_id = ?').bind(a.id).all<{ id: string }>();
  return {
    password: Boolean(user && !user.must_reset_password && hasUsablePassword(user.password_hash)),
    passkeys: Boolean(passkey),
    totp: Boolean(totp),
    recovery_codes: recoveryIds.length > 0 && recoveryIds.every((id) => results.some((r) => r.id === id)),
  };
}

async function eventsSince(userId: string, since: number): Promise<string[]> {
  const { results } = await env.DB.prepare('select type from security_events where user_id = ? and created_at >= ?').bind(userId, since).all<{ type: string }>();
  return results.map((r) => r.type);
}

async function failuresOf(userId: string): Promise<number> {
  const row = await env.DB.prepare('select failures from login_failures where key = ?').bind(`user:${userId}`).first<{ failures: number }>();
  return row?.failures ?? 0;
}

// Mail is sent after the response: wait a little for it.
async function mailArrived(to: string, since: number, timeoutMs = 2000): Promise<boolean> {
  for (const started = Date.now(); Date.now() - started < timeoutMs; await new Promise((r) => setTimeout(r, 25))) {
    if ((await mailsTo(to)).some((m) => m.sentAt >= since)) return true;
  }
  return false;
}

function recipientOf(spec: string, a: Account): string {
  const who = spec.split(':')[0]!;
  if (who === 'new address') return a.newAddress!;
  return a.email; // the account's, current or previous: the address it had before the action
}

// Sign-up has no account to walk: its code is refused and spent in test/sign-up-confirmation.test.ts.
const stepUpRows = CREDENTIAL_POLICY.filter((row) => row.stepUp !== 'none' && row.event !== 'Sign-up');

describe('the credential-lifecycle policy over HTTP', () => {
  it('every state-changing route is in a row, or listed as changing no credential', () => {
    const posts = [...new Set(app.routes.filter((r) => r.method === 'POST').map((r) => r.path))];
    const covered = new Set([...CREDENTIAL_POLICY.flatMap((row) => row.routes), ...Object.keys(ROUTES_THAT_CHANGE_NO_CREDENTIAL)]);
    expect(posts.filter((path) => !covered.has(path))).toEqual([]);
    // And no row names a route the app does not have.
    expect([...covered].filter((path) => !posts.includes(path))).toEqual([]);
  });

  it('every row has a driver in this test', () => {
    expect(CREDENTIAL_POLICY.map((row) => row.event).filter((event) => event !== 'Sign-up' && !DRIVERS[event])).toEqual([]);
  });

  it('every rate limit a row names exists', () => {
    for (const row of CREDENTIAL_POLICY) {
      for (const name of row.rateLimit.match(/[A-Z_]+_LIMITER/g) ?? []) {
        expect(typeof (env as unknown as Record<string, RateLimit>)[name]?.limit, `${row.event}: ${name}`).toBe('function');
      }
    }
  });

  it('Sign-up: mails the new address and records signed_up', async () => {
    const since = Date.now();
    const { response, username, email } = await signUp();
    expect(response.status).toBe(303);
    const id = await userIdOf(username);
    expect(await eventsSince(id, since)).toContain('signed_up');
    expect(await mailArrived(email, since)).toBe(true);
  });

  for (const row of stepUpRows) {
    it(`${row.event}: refused without its step-up (${row.stepUp}), nothing changed`, async () => {
      const driver = DRIVERS[row.event]!;
      expect(driver.refused, 'a row with a step-up needs a refusal case').toBeTypeOf('function');
      const a = await makeAccount(driver);
      await driver.prepare?.(a);
      const actor = a.staffId ?? a.id;
      const failuresBefore = await failuresOf(actor);
      const since = Date.now();
      const res = await driver.refused!(a);
      if (row.stepUp === 'staff sudo mode') {
        expect(res.status).toBe(200);
        expect(await res.text()).toMatch(/name="sudoPassword"/);
      } else {
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
      }
      if (row.securityEvent) expect(await eventsSince(a.id, since)).not.toContain(row.securityEvent);
      expect(await isSignedIn(a.cookie)).toBe(true);
      expect(await isSignedIn(a.otherCookie)).toBe(true);
      for (const purpose of LINKS) expect(await findValidToken(db, a.links[purpose], purpose), purpose).not.toBeNull();
      if (row.stepUp.startsWith('password')) expect(await failuresOf(actor)).toBe(failuresBefore + 1);
    });
  }

  for (const row of CREDENTIAL_POLICY.filter((r) => r.event !== 'Sign-up')) {
    it(`${row.event}: ${describeRow(row)}`, async () => {
      const driver = DRIVERS[row.event]!;
      const a = await makeAccount(driver);
      await driver.prepare?.(a);
      const totpSecret = a.app
        ? (await env.DB.prepare('select secret_encrypted as s from totp_credentials where user_id = ?').bind(a.id).first<{ s: string }>())!.s
        : null;
      const recoveryIds = (await env.DB.prepare('select id from recovery_codes where user_id = ?').bind(a.id).all<{ id: string }>()).results.map((r) => r.id);
      const since = Date.now();

      const res = await driver.act(a);
      expect(res.status, await res.clone().text()).toBeLessThan(400);
      const rotated = res.headers.getSetCookie().find((c) => /^(__Host-)?session=[^;]/.test(c))?.split(';')[0];
      const current = rotated ?? a.cookie;

      // Sessions.
      const expected = {
        none: [true, true],
        others: [true, false],
        all: [false, false],
        this: [false, true],
        one: [true, false],
      }[row.sessionsEnded];
      expect([await isSignedIn(current), await isSignedIn(a.otherCookie)], 'current session, other session').toEqual(expected);

      // Emailed links.
      for (const purpose of LINKS) {
        const alive = Boolean(await findValidToken(db, a.links[purpose], purpose));
        expect(alive, `${purpose} link`).toBe(!row.linksVoided.includes(purpose));
      }

      // Credentials.
      const left = await credentialsLeft(a, totpSecret, recoveryIds);
      expect(left.password, 'password').toBe(!row.credentialsRemoved.includes('password'));
      if (a.passkeyId) expect(left.passkeys, 'passkeys').toBe(!row.credentialsRemoved.includes('passkeys'));
      if (totpSecret) {
        expect(left.totp, 'authenticator app').toBe(!row.credentialsRemoved.includes('totp'));
        expect(left.recovery_codes, 'recovery codes').toBe(!row.credentialsRemoved.includes('recovery_codes'));
      }

      if (a.identityId) {
        const identity = await env.DB.prepare('select 1 as x from user_identities where id = ?').bind(a.identityId).first();
        expect(Boolean(identity), 'provider identity').toBe(!row.credentialsRemoved.includes('provider_identities'));
      }

      // Security event.
      if (row.securityEvent) expect(await eventsSince(a.id, since)).toContain(row.securityEvent);

      // Mail: each recipient named gets one; an account nobody mails hears nothing.
      for (const spec of row.mail) expect(await mailArrived(recipientOf(spec, a), since), spec).toBe(true);
      if (!row.mail.length) expect(await mailArrived(a.email, since, 300), 'no mail').toBe(false);
    });
  }
});

function describeRow(row: PolicyRow): string {
  const removed = row.credentialsRemoved.length ? row.credentialsRemoved.join('+') : 'no credential';
  return `sessions ended: ${row.sessionsEnded}; links voided: ${row.linksVoided.join('+') || 'none'}; removes ${removed}; event ${row.securityEvent ?? 'none'}`;
}
