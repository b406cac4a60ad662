import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { CODE_ALPHABET, CODE_LIFETIME_MS } from '../src/auth/email-codes';
import { INVALID_CREDENTIALS } from '../src/auth/sign-in';
import { get, mailsTo, ORIGIN, postForm, randomAddress, sessionCookieFrom, STRONG_PASSWORD, uniqueName, waitForMail } from './helpers';
import { beforeEnv, codeCookieFrom, fetchWith, linkToken } from './email-code-helpers';

// Sign-up over HTTP in both modes of SIGN_UP_CONFIRMATION. "before" (the default) goes through
// beforeEnv and fetchWith, which waits for the mail a request sends after its response: when
// it returns, "no mail was sent" is a fact, not a race. "after" is the suite's own mode.

const CODE_SUBJECT = 'is your Edge Accounts sign-up code';
const TAKEN_SUBJECT = 'Someone tried to create an account with this address';
const USERNAME_TAKEN = 'A user with that username already exists.';
const CONFIRM_ONLY = 'Type the password in both fields, or leave both empty to sign in with emailed codes.';

function identity(prefix = 'signup') {
  const username = uniqueName(prefix);
  return { username, email: `${username}@example.com` };
}

function register(fields: { username: string; email: string; password?: string; passwordConfirm?: string }, ip?: string) {
  const password = fields.password ?? STRONG_PASSWORD;
  return fetchWith(beforeEnv, '/register', { ip, fields: { username: fields.username, email: fields.email, password, passwordConfirm: fields.passwordConfirm ?? password } });
}

function enterCode(cookie: string | undefined, code: string) {
  return fetchWith(beforeEnv, '/register/code', { cookie, fields: { code } });
}

function resend(cookie: string, ip?: string) {
  return fetchWith(beforeEnv, '/email-code/resend', { cookie, ip, fields: { purpose: 'sign_up' } });
}

function pressLink(token: string, cookie?: string) {
  return fetchWith(beforeEnv, '/email-link', { cookie, fields: { token } });
}

function sessionFrom(res: Response): string | undefined {
  return res.headers.getSetCookie().find((c) => /^(__Host-)?session=/.test(c))?.split(';')[0];
}

async function mailsSince(email: string, since: number, subject: string) {
  return (await mailsTo(email)).filter((m) => m.sentAt >= since && m.subject.includes(subject));
}

// The newest sign-up code mail to this address since `since`; fetchWith already waited for it.
async function newestCode(email: string, since: number) {
  const mail = (await mailsSince(email, since, CODE_SUBJECT))[0];
  if (!mail?.code) throw new Error(`no sign-up code mail to ${email}`);
  return { code: mail.code, link: mail.link };
}

async function usersWith(column: 'email' | 'username', value: string): Promise<number> {
  const row = await env.DB.prepare(`select count(*) as n from users where ${column} = ?`).bind(value).first<{ n: number }>();
  return row!.n;
}

// A pending sign-up (nothing created yet): the browser's code cookie and the mail's code and link.
async function pendingSignUp(fields: { password?: string; passwordConfirm?: string } = {}, who = identity()) {
  const since = Date.now();
  const res = await register({ ...who, ...fields });
  expect(res.status).toBe(303);
  expect(res.headers.get('location')).toBe('/register/code');
  return { ...who, since, cookie: codeCookieFrom(res), ...(await newestCode(who.email, since)) };
}

// An existing, confirmed account, made the default way; its sign-up mail is a "code from a mail".
async function existingAccount() {
  const pending = await pendingSignUp();
  const made = await enterCode(pending.cookie, pending.code);
  expect(made.status).toBe(303);
  return pending;
}

// Passes or fails as a browser would see it: signed in on the dashboard, or not.
async function expectAccountCreated(res: Response, email: string) {
  expect(res.status).toBe(303);
  expect(res.headers.get('location')).toBe('/dashboard');
  const dashboard = await fetchWith(beforeEnv, '/dashboard', { cookie: sessionCookieFrom(res) });
  expect(dashboard.status).toBe(200);
  const html = await dashboard.text();
  expect(html).toContain(email);
  expect(html).toContain('<span class="badge badge-success">Verified</span>');
}

function expectNoSession(res: Response) {
  expect(sessionFrom(res)).toBeUndefined();
}

function randomCode(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  const chars = [...bytes].map((b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('');
  return `${chars.slice(0, 4)}-${chars.slice(4)}`;
}

// What a sign-up request shows whoever sends it: compared between a new and a taken address.
function visibleAnswer(res: Response) {
  const names = res.headers.getSetCookie().map((c) => c.slice(0, c.indexOf('=')));
  return { status: res.status, location: res.headers.get('location'), cookies: names.sort() };
}

function masked(html: string, email: string): string {
  return html.replaceAll(email, 'EMAIL');
}

describe('sign-up with SIGN_UP_CONFIRMATION=before', () => {
  it.each([
    ['lower case', (code: string) => code.toLowerCase()],
    ['with spaces', (code: string) => ` ${code.replace('-', ' ')} `],
    ['with a dash, as pasted', (code: string) => code],
  ])('creates the account only once the code is entered (%s), signed in and verified', async (_, typed) => {
    const who = identity();
    const since = Date.now();
    const res = await register(who);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/register/code');
    const cookie = codeCookieFrom(res);
    expectNoSession(res);

    const { code, link } = await newestCode(who.email, since);
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(link?.startsWith(`${ORIGIN}/email-link?token=`)).toBe(true);

    const page = await fetchWith(beforeEnv, '/register/code', { cookie });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`<strong class="break-anywhere">${who.email}</strong>`);
    // Nothing exists until the address is proven.
    expect(await usersWith('email', who.email)).toBe(0);
    expect(await usersWith('username', who.username)).toBe(0);

    const made = await enterCode(cookie, typed(code));
    await expectAccountCreated(made, who.email);
    const event = await env.DB.prepare("select e.details from security_events e join users u on u.id = e.user_id where u.email = ? and e.type = 'signed_up'")
      .bind(who.email)
      .first<{ details: string }>();
    expect(JSON.parse(event!.details)).toMatchObject({ method: 'email_code' });
  });

  describe('an address that already has an account', () => {
    it('answers exactly as for a new address, and tells the owner instead', async () => {
      const owner = await existingAccount();
      const fresh = identity();
      const intruder = identity('intruder');

      const forNew = await register(fresh);
      const since = Date.now();
      const forTaken = await register({ username: intruder.username, email: owner.email });
      expect(visibleAnswer(forTaken)).toEqual(visibleAnswer(forNew));
      expect(await forTaken.text()).toBe(await forNew.text());

      const newPage = await fetchWith(beforeEnv, '/register/code', { cookie: codeCookieFrom(forNew) });
      const takenPage = await fetchWith(beforeEnv, '/register/code', { cookie: codeCookieFrom(forTaken) });
      expect(takenPage.status).toBe(newPage.status);
      const takenHtml = await takenPage.text();
      expect(masked(takenHtml, owner.email)).toBe(masked(await newPage.text(), fresh.email));
      expect(takenHtml).not.toMatch(/already|taken|exists/i);

      // The owner hears of it, with no code and no sign-up link; no code mail goes out.
      const notice = await waitForMail(owner.email, TAKEN_SUBJECT, { after: since });
      expect(notice.code).toBeUndefined();
      expect(notice.link).toBe(`${ORIGIN}/login`);
      expect(notice.text).not.toContain('/email-link');
      expect(await mailsSince(owner.email, since, CODE_SUBJECT)).toHaveLength(0);
    });

    // The notice goes to the owner; the name it greets should be theirs, not whatever the
    // person at the sign-up form typed (that text would otherwise reach the owner's inbox).
    it('greets the owner by their own username in the notice', async () => {
      const owner = await existingAccount();
      const intruder = identity('intruder');
      const since = Date.now();
      await register({ username: intruder.username, email: owner.email });
      const notice = await waitForMail(owner.email, TAKEN_SUBJECT, { after: since });
      expect(notice.text).not.toContain(intruder.username);
      expect(notice.text).toContain(`Hello ${owner.username}`);
    });

    it('accepts no code and no link: no second account', async () => {
      const owner = await existingAccount();
      const other = await pendingSignUp();
      const intruder = identity('intruder');
      const res = await register({ username: intruder.username, email: owner.email });
      const cookie = codeCookieFrom(res);

      // Codes from real mails (the owner's spent sign-up code, another sign-up's live code),
      // then made-up ones: each one a wrong try, never an account.
      const tries = [owner.code, other.code, randomCode(), randomCode()];
      for (const [i, code] of tries.entries()) {
        const refused = await enterCode(cookie, code);
        expect(refused.status).toBe(401);
        expect(await refused.text()).toContain(`(${4 - i} ${4 - i === 1 ? 'try' : 'tries'} left)`);
        expectNoSession(refused);
      }
      // The only link this address ever got (the owner's, spent) creates nothing either.
      const pressed = await pressLink(linkToken(owner.link), cookie);
      expect(pressed.status).toBe(400);
      expectNoSession(pressed);
      expect(await usersWith('email', owner.email)).toBe(1);
      expect(await usersWith('username', intruder.username)).toBe(0);
    });
  });

  it('refuses a taken username on the form, keeping the address, with no code sent', async () => {
    const owner = await existingAccount();
    const who = identity();
    const since = Date.now();
    const res = await register({ username: owner.username.toUpperCase(), email: who.email });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain(USERNAME_TAKEN);
    expect(html).toContain(`value="${who.email}"`);
    expect(res.headers.getSetCookie().some((c) => c.startsWith('email_code='))).toBe(false);
    expect(await mailsTo(who.email)).toHaveLength(0);
    expect(await mailsSince(owner.email, since, TAKEN_SUBJECT)).toHaveLength(0);
  });

  it('counts wrong codes down, and after 5 even the right code fails', async () => {
    const pending = await pendingSignUp();
    for (let left = 4; left >= 1; left--) {
      const wrong = await enterCode(pending.cookie, randomCode());
      expect(wrong.status).toBe(401);
      expect(await wrong.text()).toContain(`(${left} ${left === 1 ? 'try' : 'tries'} left)`);
    }
    const last = await enterCode(pending.cookie, randomCode());
    expect(last.status).toBe(401);
    expect(await last.text()).toContain('it no longer works after too many tries');

    const right = await enterCode(pending.cookie, pending.code);
    expectNoSession(right);
    expect(right.status).toBe(400);
    expect(await usersWith('email', pending.email)).toBe(0);
    // The page offers only a new code: no code field left to type into.
    const page = await (await fetchWith(beforeEnv, '/register/code', { cookie: pending.cookie })).text();
    expect(page).not.toContain('name="code"');
    expect(page).toContain('Send a new code');
    expect((await pressLink(linkToken(pending.link))).status).toBe(400);
  });

  it('refuses a code older than 10 minutes, and its link', async () => {
    const pending = await pendingSignUp();
    // Waiting 10 minutes is not an option: the row is moved back in time in D1 instead, as
    // if it had been issued 10 minutes and a second ago.
    const shift = CODE_LIFETIME_MS + 1000;
    await env.DB.prepare('update email_codes set created_at = created_at - ?, expires_at = expires_at - ? where email = ?').bind(shift, shift, pending.email).run();

    const late = await enterCode(pending.cookie, pending.code);
    expect(late.status).toBe(400);
    const html = await late.text();
    expect(html).toContain('That code has expired');
    expect(html).not.toContain('name="code"');
    expectNoSession(late);
    expect((await fetchWith(beforeEnv, `/email-link?token=${linkToken(pending.link)}`)).status).toBe(400);
    expectNoSession(await pressLink(linkToken(pending.link)));
    expect(await usersWith('email', pending.email)).toBe(0);
  });

  describe('a code or link works once', () => {
    it('the same code twice, then its link', async () => {
      const pending = await pendingSignUp();
      await expectAccountCreated(await enterCode(pending.cookie, pending.code), pending.email);
      const again = await enterCode(pending.cookie, pending.code);
      expectNoSession(again);
      expect(again.status).toBe(303);
      expect(again.headers.get('location')).toBe('/register');
      const link = await pressLink(linkToken(pending.link));
      expect(link.status).toBe(400);
      expectNoSession(link);
      expect(await usersWith('email', pending.email)).toBe(1);
    });

    it('the link, then the code', async () => {
      const pending = await pendingSignUp();
      await expectAccountCreated(await pressLink(linkToken(pending.link)), pending.email);
      expect((await pressLink(linkToken(pending.link))).status).toBe(400);
      const code = await enterCode(pending.cookie, pending.code);
      expectNoSession(code);
      expect(await usersWith('email', pending.email)).toBe(1);
    });
  });

  describe('the code is bound to the browser, the link is not', () => {
    it('refuses the right code without the cookie or with another browser’s', async () => {
      const pending = await pendingSignUp();
      const elsewhere = await pendingSignUp();
      const noCookie = await enterCode(undefined, pending.code);
      expectNoSession(noCookie);
      const otherCookie = await enterCode(elsewhere.cookie, pending.code);
      expect(otherCookie.status).toBe(401);
      expectNoSession(otherCookie);
      expect(await usersWith('email', pending.email)).toBe(0);
      // The right browser still can: the refusals were about the browser, not the code.
      await expectAccountCreated(await enterCode(pending.cookie, pending.code), pending.email);
    });

    it('shows a button for the link and creates the account only when it is pressed, in any browser', async () => {
      const pending = await pendingSignUp();
      const token = linkToken(pending.link);
      const opened = await fetchWith(beforeEnv, `/email-link?token=${encodeURIComponent(token)}`);
      expect(opened.status).toBe(200);
      const html = await opened.text();
      expect(html).toContain('<form method="post" action="/email-link">');
      expect(html).toContain('Create my account');
      expect(html).toContain(pending.email);
      expectNoSession(opened);
      expect(await usersWith('email', pending.email)).toBe(0);
      // Pressed in a browser that never saw the sign-up (no code cookie).
      await expectAccountCreated(await pressLink(token), pending.email);
    });

    // A squatter fills in the form with someone's address and hopes its owner presses the
    // button: the account is the owner's, without the squatter's password.
    it('drops the password typed at sign-up when the link is pressed in another browser', async () => {
      const pending = await pendingSignUp();
      const pressed = await pressLink(linkToken(pending.link));
      await expectAccountCreated(pressed, pending.email);
      const signIn = await fetchWith(beforeEnv, '/login', { fields: { login: pending.email, password: STRONG_PASSWORD } });
      expect(signIn.status).toBe(401);
      // The dashboard's notice says why (the flash travels in its own cookie).
      const cookies = pressed.headers.getSetCookie().map((c) => c.split(";")[0]!).filter((c) => !c.endsWith('='));
      const dashboard = await fetchWith(beforeEnv, '/dashboard', { cookie: cookies.join('; ') });
      expect(await dashboard.text()).toContain('the password typed there was not kept');
    });

    it('keeps the password when the link is pressed in the browser that signed up', async () => {
      const pending = await pendingSignUp();
      await expectAccountCreated(await pressLink(linkToken(pending.link), pending.cookie), pending.email);
      const signIn = await fetchWith(beforeEnv, '/login', { fields: { login: pending.email, password: STRONG_PASSWORD } });
      expect(signIn.status).toBe(303);
    });
  });

  describe('send a new code', () => {
    it('replaces the old code and link with a new one', async () => {
      const pending = await pendingSignUp();
      const since = Date.now();
      const again = await resend(pending.cookie);
      expect(again.status).toBe(303);
      expect(again.headers.get('location')).toBe('/register/code');
      const cookie = codeCookieFrom(again);
      const fresh = await newestCode(pending.email, since);
      expect(fresh.code).not.toBe(pending.code);

      const old = await enterCode(cookie, pending.code);
      expect(old.status).toBe(401);
      expectNoSession(await enterCode(pending.cookie, pending.code));
      expect((await pressLink(linkToken(pending.link))).status).toBe(400);
      await expectAccountCreated(await enterCode(cookie, fresh.code), pending.email);
    });

    // The sign-up and four resends are five code mails; the sixth within 15 minutes is refused,
    // whether the address is new or has an account. Each request from its own client.
    async function mailsUntilRefused(fields: { username: string; email: string }) {
      const statuses: number[] = [];
      const first = await register(fields);
      statuses.push(first.status);
      let cookie = codeCookieFrom(first);
      for (let i = 0; i < 5; i++) {
        const res = await resend(cookie);
        statuses.push(res.status);
        if (res.status === 303) cookie = codeCookieFrom(res);
      }
      return statuses;
    }

    it('limits code mails per address: the 6th in 15 minutes gets a 429, for a new address', async () => {
      const who = identity();
      const since = Date.now();
      expect(await mailsUntilRefused(who)).toEqual([303, 303, 303, 303, 303, 429]);
      expect(await mailsSince(who.email, since, CODE_SUBJECT)).toHaveLength(5);
    });

    it('limits code mails per address alike for an address that has an account', async () => {
      // An owner made in the "after" mode: its sign-up sent no code mail, so the address
      // starts with its whole allowance, as the new one above did.
      const owner = identity('owner');
      expect((await postForm('/register', { ...owner, password: STRONG_PASSWORD, passwordConfirm: STRONG_PASSWORD })).status).toBe(303);
      const since = Date.now();
      expect(await mailsUntilRefused({ username: identity('intruder').username, email: owner.email })).toEqual([303, 303, 303, 303, 303, 429]);
      expect(await mailsSince(owner.email, since, TAKEN_SUBJECT)).toHaveLength(5);
    });

    it('limits code mails per client (5 a minute), whatever the address', async () => {
      // The limiter counts in fixed one-minute windows: a run can straddle a boundary, so
      // up to two windows' worth may pass before the first refusal.
      const pendings = [];
      for (let i = 0; i < 11; i++) pendings.push(await pendingSignUp());
      const ip = randomAddress();
      let allowed = 0;
      let refused: (typeof pendings)[number] | undefined;
      for (const pending of pendings) {
        const since = Date.now();
        const res = await resend(pending.cookie, ip);
        if (res.status === 429) {
          refused = pending;
          expect(await mailsSince(pending.email, since, CODE_SUBJECT)).toHaveLength(0);
          break;
        }
        expect(res.status).toBe(303);
        allowed += 1;
      }
      expect(allowed).toBeGreaterThanOrEqual(5);
      expect(allowed).toBeLessThanOrEqual(10);
      expect(refused).toBeDefined();
      // From another client the same resend works. (Whether the next request from this
      // client is refused depends on where the window's boundary falls: not asserted.)
      expect((await resend(refused!.cookie)).status).toBe(303);
    });
  });

  describe('without a password', () => {
    it('creates an account that signs in with codes only: the password form cannot open it', async () => {
      const pending = await pendingSignUp({ password: '', passwordConfirm: '' });
      await expectAccountCreated(await enterCode(pending.cookie, pending.code), pending.email);
      for (const password of [STRONG_PASSWORD, '!']) {
        const login = await fetchWith(beforeEnv, '/login', { fields: { login: pending.username, password } });
        expect(login.status).toBe(401);
        expect(await login.text()).toContain(INVALID_CREDENTIALS);
        expectNoSession(login);
      }
    });

    it('refuses a confirmation typed with an empty password', async () => {
      const who = identity();
      const res = await register({ ...who, password: '', passwordConfirm: STRONG_PASSWORD });
      expect(res.status).toBe(422);
      const html = await res.text();
      expect(html).toContain(CONFIRM_ONLY);
      expect(html).toContain(`value="${who.email}"`);
      expect(await mailsTo(who.email)).toHaveLength(0);
    });
  });

  it('gives a username wanted by two pending sign-ups to the first to enter its code', async () => {
    const username = uniqueName('race');
    const first = await pendingSignUp({}, { username, email: `${username}-a@example.com` });
    const second = await pendingSignUp({}, { username, email: `${username}-b@example.com` });
    await expectAccountCreated(await enterCode(first.cookie, first.code), first.email);

    const late = await enterCode(second.cookie, second.code);
    expect(late.status).toBe(409);
    expectNoSession(late);
    const html = await late.text();
    expect(html).toContain(USERNAME_TAKEN);
    expect(html).toContain(`value="${username}"`);
    expect(html).toContain(`value="${second.email}"`);
    expect(await usersWith('email', second.email)).toBe(0);
    expect(await usersWith('username', username)).toBe(1);
  });
});

describe('sign-up with SIGN_UP_CONFIRMATION=after (the suite’s mode)', () => {
  function signUpNow(fields: { username: string; email: string; password: string; passwordConfirm: string }) {
    return postForm('/register', fields);
  }

  it('signs in at once and mails a confirmation link', async () => {
    const who = identity('after');
    const since = Date.now();
    const res = await signUpNow({ ...who, password: STRONG_PASSWORD, passwordConfirm: STRONG_PASSWORD });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/dashboard');
    const dashboard = await get('/dashboard', sessionCookieFrom(res));
    const html = await dashboard.text();
    expect(html).toContain(who.email);
    expect(html).toContain('<span class="badge badge-warning">Not verified</span>');
    const mail = await waitForMail(who.email, 'Confirm your email address', { after: since });
    expect(mail.link?.startsWith(`${ORIGIN}/verify-email?token=`)).toBe(true);
    expect(await mailsSince(who.email, since, CODE_SUBJECT)).toHaveLength(0);
  });

  it('creates an account without a password too', async () => {
    const who = identity('after');
    const res = await signUpNow({ ...who, password: '', passwordConfirm: '' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/dashboard');
    expect((await get('/dashboard', sessionCookieFrom(res))).status).toBe(200);
    const login = await postForm('/login', { login: who.username, password: STRONG_PASSWORD });
    expect(login.status).toBe(401);
    expectNoSession(login);
  });
});
