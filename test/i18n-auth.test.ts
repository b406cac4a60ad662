import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { unusablePasswordHash } from '../src/auth/password-hash';
import { FAILURE_FLOOR_KEY } from '../src/import/failure-floor';
import { cookieFrom, ORIGIN, postForm, signUp, signUpAndSignIn, STRONG_PASSWORD, uniqueName } from './helpers';
import { addPasskey, postJson } from './passkeys-helpers';
import { signInAtLocal } from './provider-helpers';
import { accountWithTwoFactor, passwordStep } from './two-factor-helpers';

// The sign-in area and the shared error pages speak the visitor's language (German here,
// Arabic for one page), and say exactly what they said before in English.

const GERMAN = { 'accept-language': 'de' };

async function page(path: string, headers: Record<string, string> = {}) {
  const response = await SELF.fetch(`${ORIGIN}${path}`, { redirect: 'manual', headers });
  return { status: response.status, html: await response.text() };
}

describe('sign-in pages in German', () => {
  it('home', async () => {
    const { html } = await page('/', GERMAN);
    expect(html).toContain('<h1>Ihr Konto, ganz in Ihrer Nähe</h1>');
    expect(html).toContain('Konto erstellen');
    expect((await page('/')).html).toContain('<h1>Your account, close to you</h1>');
  });

  it('sign-in, with the link inside its sentence', async () => {
    const { html } = await page('/login', GERMAN);
    expect(html).toContain('<title>Anmelden · Edge Accounts</title>');
    expect(html).toContain('Benutzername oder E-Mail-Adresse');
    expect(html).toContain('Mit einem Passkey anmelden');
    expect(html).toContain('Neu hier? <a href="/register">Konto erstellen</a>');
    expect(html).toContain('Weiter mit ');
    const english = (await page('/login')).html;
    expect(english).toContain('New here? <a href="/register">Create an account</a>');
    expect(english).toContain('Username or email');
  });

  it('sign-in in Arabic, right to left', async () => {
    const { html } = await page('/login', { 'accept-language': 'ar' });
    expect(html).toContain('<html lang="ar" dir="rtl">');
    expect(html).toContain('تسجيل الدخول بمفتاح مرور');
    expect(html).toContain('جديد هنا؟ <a href="/register">إنشاء حساب</a>');
  });

  it('sign-up, with numbers in the hints', async () => {
    const { html } = await page('/register', GERMAN);
    expect(html).toContain('Bis zu 150 Zeichen: nur Buchstaben, Ziffern und @ . + - _.');
    expect(html).toContain('mindestens 8 Zeichen');
    expect(html).toContain('Sie haben bereits ein Konto? <a href="/login">Anmelden</a>');
    expect((await page('/register')).html).toContain('Up to 150 characters: letters, digits and @ . + - _ only.');
  });

  it('the code pages and the link pages', async () => {
    expect((await page('/login/code', GERMAN)).html).toContain('<h1>Mit einem Code anmelden</h1>');
    const link = await page('/email-link?token=nothing', GERMAN);
    expect(link.status).toBe(400);
    expect(link.html).toContain('Dieser Link ist nicht mehr gültig');
    expect((await page('/email-link?token=nothing')).html).toContain('Links in our emails work once, for 10 minutes');
  });

  it('the second step, its two sentences joined', async () => {
    const { username } = await accountWithTwoFactor();
    const { pending } = await passwordStep(username);
    const german = await page('/login/two-factor', { ...GERMAN, cookie: pending });
    expect(german.html).toContain('<title>Zwei-Faktor-Authentifizierung · Edge Accounts</title>');
    expect(german.html).toContain('Ihr Passwort war richtig. Öffnen Sie Ihre Authenticator-App');
    expect(german.html).toContain('Stattdessen einen Wiederherstellungscode verwenden');
    expect((await page('/login/two-factor?use=recovery', { cookie: pending })).html).toContain(
      'Your password was right. Enter one of the recovery codes you saved when you set up two-factor sign-in. Each code works once.',
    );
  });

  it('password reset and the dead links of each kind', async () => {
    expect((await page('/password-reset', GERMAN)).html).toContain('Doch wieder eingefallen? <a href="/login">Anmelden</a>');
    expect((await page('/password-reset/confirm', GERMAN)).html).toContain('Der Link zum Zurücksetzen des Passworts ist falsch');
    expect((await page('/verify-email?token=nothing', GERMAN)).html).toContain('Der Bestätigungslink für die E-Mail-Adresse ist falsch');
    expect((await page('/not-me?token=nothing', GERMAN)).html).toContain('Der Link „Das war ich nicht“ ist falsch');
    expect((await page('/not-me?token=nothing')).html).toContain('The “This wasn’t me” link is wrong, was already used, or has expired.');
  });
});

describe('shared error pages', () => {
  it('not found, in German and Arabic, unchanged in English', async () => {
    const german = await page('/no-such-page', GERMAN);
    expect(german.status).toBe(404);
    expect(german.html).toContain('<h1>Seite nicht gefunden</h1>');
    expect(german.html).toContain('Startseite');
    expect((await page('/no-such-page', { 'accept-language': 'ar' })).html).toContain('الصفحة غير موجودة');
    expect((await page('/no-such-page')).html).toContain('There is nothing at this address. Check the link, or start again from the home page.');
  });

  it('too many attempts, with the wait in the visitor’s words', async () => {
    const headers = { ...GERMAN, 'cf-connecting-ip': '198.51.100.77' };
    let refusal: Response | null = null;
    for (let i = 0; i < 11 && !refusal; i++) {
      const response = await postForm('/password-reset', { email: `${uniqueName()}@example.com` }, { headers });
      if (response.status === 429) refusal = response;
    }
    expect(refusal?.status).toBe(429);
    const html = await refusal!.text();
    expect(html).toContain('<h1>Zu viele Versuche</h1>');
    expect(html).toMatch(/Bitte versuchen Sie es in etwa \d+ Sekunden erneut\./);
  });
});

describe('flash messages', () => {
  it('welcome after sign-up and signed out, in German', async () => {
    const username = uniqueName();
    const signedUp = await postForm(
      '/register',
      { username, email: `${username}@example.com`, password: 'correct horse battery staple 42', passwordConfirm: 'correct horse battery staple 42' },
      { headers: GERMAN },
    );
    expect(signedUp.status).toBe(303);
    const flash = cookieFrom(signedUp, 'flash')!;
    const session = signedUp.headers.getSetCookie().find((c) => /^(__Host-)?session=/.test(c))!.split(';')[0]!;
    expect((await page('/dashboard', { ...GERMAN, cookie: `${session}; ${flash}` })).html).toContain(`Willkommen, ${username}! Ihr Konto ist bereit.`);

    const signedOut = await postForm('/logout', {}, { cookie: session, headers: GERMAN });
    expect(signedOut.status).toBe(303);
    expect((await page('/', { ...GERMAN, cookie: cookieFrom(signedOut, 'flash')! })).html).toContain('Sie wurden abgemeldet.');
  });

  it('signed out, in English without the header', async () => {
    const { cookie } = await signUpAndSignIn();
    const signedOut = await postForm('/logout', {}, { cookie });
    expect((await page('/', { cookie: cookieFrom(signedOut, 'flash')! })).html).toContain('You have been signed out.');
  });
});

// The messages passkeys.js says by itself, as the page hands them over (German).
const GERMAN_SCRIPT_MESSAGE = 'data-msg-generic="Etwas ist schiefgelaufen. Laden Sie die Seite neu und versuchen Sie es erneut."';
const ENGLISH_SCRIPT_MESSAGE = 'data-msg-generic="Something went wrong. Reload the page and try again."';

async function userIdOf(username: string): Promise<string> {
  return (await env.DB.prepare('select id from users where username = ?').bind(username).first<{ id: string }>())!.id;
}

describe('form errors of signing in and up', () => {
  it('a wrong password in German and Arabic, unchanged in English', async () => {
    const { username } = await signUpAndSignIn();
    const german = await postForm('/login', { login: username, password: 'not the password' }, { headers: GERMAN });
    expect(german.status).toBe(401);
    const germanHtml = await german.text();
    expect(germanHtml).toContain('Benutzername/E-Mail-Adresse oder Passwort ist falsch. Bitte versuchen Sie es erneut.');
    expect(germanHtml).not.toContain('Please try again');
    const arabic = await postForm('/login', { login: username, password: 'not the password' }, { headers: { 'accept-language': 'ar' } });
    expect(await arabic.text()).toContain('اسم المستخدم/البريد الإلكتروني أو كلمة المرور غير صحيحة. يُرجى المحاولة مرة أخرى.');
    const english = await postForm('/login', { login: username, password: 'not the password' });
    expect(await english.text()).toContain('Your username/email or password is wrong. Please try again.');
  });

  it('the hint for imported accounts, in German', async () => {
    // What an import leaves in KV; a 1 ms floor holds nothing noticeable.
    await env.SESSIONS.put(FAILURE_FLOOR_KEY, JSON.stringify({ floorMs: 1, setAt: Date.now() }));
    try {
      const german = await postForm('/login', { login: uniqueName('nobody'), password: 'not the password' }, { headers: GERMAN });
      expect(await german.text()).toContain('Hatten Sie ein Konto auf unserer bisherigen Website? Wenn Ihr Passwort hier nicht funktioniert');
      const english = await postForm('/login', { login: uniqueName('nobody'), password: 'not the password' });
      expect(await english.text()).toContain(
        'Had an account on our previous site? If your password does not work here, or you forgot it, choose a new one with &quot;Forgot your password?&quot; below.',
      );
    } finally {
      await env.SESSIONS.delete(FAILURE_FLOOR_KEY);
    }
  });

  it('a taken username or address at sign-up, in German, unchanged in English', async () => {
    const first = await signUpAndSignIn();
    const fields = (username: string, email: string) => ({ username, email, password: STRONG_PASSWORD, passwordConfirm: STRONG_PASSWORD });
    const name = await postForm('/register', fields(first.username, `${uniqueName()}@example.com`), { headers: GERMAN });
    expect(name.status).toBe(422);
    expect(await name.text()).toContain('Ein Konto mit diesem Benutzernamen existiert bereits.');
    const address = await postForm('/register', fields(uniqueName(), first.email), { headers: GERMAN });
    expect(await address.text()).toContain('Es gibt bereits ein Konto mit dieser E-Mail-Adresse. Möchten Sie sich stattdessen anmelden?');
    const english = await signUp({ username: first.username, email: `${uniqueName()}@example.com` });
    expect(await english.response.text()).toContain('A user with that username already exists.');
  });

  it('a taken username after a sign-in provider, in German, unchanged in English', async () => {
    const taken = await signUp();
    const { res } = await signInAtLocal(uniqueName('pde'));
    const pending = cookieFrom(res, 'provider_account')!;
    const german = await postForm('/oauth/local/username', { username: taken.username.toUpperCase() }, { cookie: pending, headers: GERMAN });
    expect(german.status).toBe(422);
    expect(await german.text()).toContain('Ein Konto mit diesem Benutzernamen existiert bereits.');
    const english = await postForm('/oauth/local/username', { username: taken.username.toUpperCase() }, { cookie: pending });
    expect(await english.text()).toContain('A user with that username already exists.');
  });

  it('a wrong code at the second step, in German, unchanged in English', async () => {
    const { username } = await accountWithTwoFactor();
    const { pending } = await passwordStep(username);
    const totp = await postForm('/login/two-factor', { method: 'totp', code: '000000' }, { cookie: pending, headers: GERMAN });
    expect(totp.status).toBe(401);
    expect(await totp.text()).toContain('Dieser Code hat nicht funktioniert. Geben Sie den neuesten Code ein, den Ihre App anzeigt');
    const recovery = await postForm('/login/two-factor', { method: 'recovery_code', code: 'AAAA-BBBB-CCCC' }, { cookie: pending, headers: GERMAN });
    expect(await recovery.text()).toContain('Dieser Wiederherstellungscode hat nicht funktioniert.');
    const english = await postForm('/login/two-factor', { method: 'totp', code: '000000' }, { cookie: pending });
    expect(await english.text()).toContain('That code did not work. Enter the newest code your app shows (the phone’s clock must be right).');
  });
});

describe('the passkey script’s own messages on every page that runs it', () => {
  it('sign-in, in German and Arabic, unchanged in English', async () => {
    const german = (await page('/login', GERMAN)).html;
    expect(german).toMatch(/data-passkey-sign-in="true" hidden="" data-msg-generic="Etwas ist schiefgelaufen\./);
    expect(german).toContain('data-msg-cancelled="Die Passkey-Anfrage wurde abgebrochen');
    expect((await page('/login', { 'accept-language': 'ar' })).html).toContain('data-msg-generic="حدث خطأ ما. أعد تحميل الصفحة وحاول مرة أخرى."');
    expect((await page('/login')).html).toContain(ENGLISH_SCRIPT_MESSAGE);
  });

  it('the second step with a passkey', async () => {
    const account = await accountWithTwoFactor();
    await addPasskey(account.cookie, await userIdOf(account.username));
    const { pending } = await passwordStep(account.username);
    const german = (await page('/login/two-factor', { ...GERMAN, cookie: pending })).html;
    expect(german).toContain('data-passkey-second-step');
    expect(german).toContain(GERMAN_SCRIPT_MESSAGE);
    expect((await page('/login/two-factor', { cookie: pending })).html).toContain(ENGLISH_SCRIPT_MESSAGE);
  });

  it('“Confirm it is you” with a passkey, and its JSON refusals in German', async () => {
    const account = await signUpAndSignIn();
    const userId = await userIdOf(account.username);
    await addPasskey(account.cookie, userId);
    // An account with a password is told to type it: the script shows the JSON's text as it is.
    const refusal = await postForm('/account/confirm-passkey/options', {}, { cookie: account.cookie, headers: GERMAN });
    expect(refusal.status).toBe(409);
    expect(await refusal.json()).toEqual({ error: 'Ihr Konto hat ein Passwort: Geben Sie es stattdessen im Formular ein.' });
    // Without a password (as after a sign-up through a provider), the page offers the passkey.
    await env.DB.prepare('update users set password_hash = ? where id = ?').bind(unusablePasswordHash(), userId).run();
    const german = (await page('/account/confirm?next=%2Faccount', { ...GERMAN, cookie: account.cookie })).html;
    expect(german).toContain('data-passkey-confirm');
    expect(german).toContain(GERMAN_SCRIPT_MESSAGE);
    expect((await page('/account/confirm?next=%2Faccount', { cookie: account.cookie })).html).toContain(ENGLISH_SCRIPT_MESSAGE);
  });

  it('the passkey JSON answers for a missing password, in German and English', async () => {
    const { cookie } = await signUpAndSignIn();
    const german = await postJson('/account/security/passkeys/options', { password: '' }, cookie, GERMAN);
    expect(german.status).toBe(422);
    expect(await german.json()).toEqual({ error: 'Geben Sie Ihr Passwort ein.', field: 'password' });
    const english = await postJson('/account/security/passkeys/options', { password: '' }, cookie);
    expect(await english.json()).toEqual({ error: 'Enter your password.', field: 'password' });
  });
});
