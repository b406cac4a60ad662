import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { cookieFrom, ORIGIN, postForm, signUpAndSignIn, uniqueName } from './helpers';
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
