import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { alertOnUnfamiliarSignIn } from '../src/auth/sign-in-alerts';
import { readConfig } from '../src/config';
import { createDb } from '../src/db/client';
import { loadCatalog } from '../src/i18n/load-catalog';
import { createTranslator, ENGLISH_TRANSLATOR } from '../src/i18n/translator';
import { absoluteUrl } from '../src/mail/links';
import { createMailer } from '../src/mail/mailer';
import { newSignInAlert, passwordResetNotice, recoveryCodeUsedNotice } from '../src/mail/messages';
import { securityEvent } from '../src/users/security-events';
import { ORIGIN, postForm, signUpAndSignIn, STRONG_PASSWORD, uniqueName, waitForMail } from './helpers';

// Every email in the recipient's language: their account's, else the language of the
// request that caused it; English, as before, when neither says otherwise.

const NEW_PASSWORD = 'a brand new passphrase 77';

async function setLocale(email: string, language: string | null, timeZone: string | null = null) {
  await env.DB.prepare('update users set language = ?, time_zone = ? where email = ?').bind(language, timeZone, email).run();
}

function changePassword(cookie: string, headers: Record<string, string> = {}) {
  return postForm('/account/password', { currentPassword: STRONG_PASSWORD, password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD }, { cookie, headers });
}

describe('emails in the recipient’s language', () => {
  it('a German account gets its password-changed notice in German, whatever the request’s language', async () => {
    const { cookie, email, username } = await signUpAndSignIn();
    await setLocale(email, 'de');
    expect((await changePassword(cookie, { 'accept-language': 'fr' })).status).toBe(303);
    const mail = await waitForMail(email, 'Das Passwort Ihres Edge Accounts-Kontos wurde geändert');
    expect(mail.text).toContain(`Hallo ${username}, das Passwort Ihres Edge Accounts-Kontos wurde soeben geändert`);
    expect(mail.text).toContain(`Passwort zurücksetzen: ${ORIGIN}/password-reset`);
    expect(mail.text.endsWith('\n\n— Edge Accounts')).toBe(true);
    expect(mail.html).toContain('<html lang="de" dir="ltr">');
    expect(mail.html).toContain('Oder kopieren Sie diese Adresse in Ihren Browser:');
    expect(mail.link).toBe(`${ORIGIN}/password-reset`);
  });

  it('an address with no account gets the language of the request: a sign-in code asked for in French', async () => {
    const unknown = `${uniqueName('nobody')}@example.com`;
    expect((await postForm('/login/code', { email: unknown }, { headers: { 'accept-language': 'fr' } })).status).toBe(303);
    const mail = await waitForMail(unknown, 'Votre code de connexion Edge Accounts');
    expect(mail.text).toContain(`Quelqu’un a demandé un code de connexion pour ${unknown}, mais aucun compte Edge Accounts n’utilise cette adresse`);
    expect(mail.text).toContain(`Créer un compte\u00a0: ${ORIGIN}/register`);
    expect(mail.html).toContain('<html lang="fr" dir="ltr">');
    expect(mail.link).toBe(`${ORIGIN}/register`);
  });

  it('Arabic reads right to left', async () => {
    const { cookie, email } = await signUpAndSignIn();
    await setLocale(email, 'ar');
    await changePassword(cookie);
    const mail = await waitForMail(email, 'تم تغيير كلمة المرور لحسابك في Edge Accounts');
    expect(mail.html).toContain('<html lang="ar" dir="rtl">');
    expect(mail.text).toContain('إعادة تعيين كلمة المرور: ');
  });

  it('English, word for word as before, without a header or a saved language', async () => {
    const unknown = `${uniqueName('nobody')}@example.com`;
    await postForm('/login/code', { email: unknown });
    const notice = await waitForMail(unknown, 'Your Edge Accounts sign-in code');
    expect(notice.subject).toBe('Your Edge Accounts sign-in code');
    expect(notice.text).toBe(
      [
        `Someone asked for a sign-in code for ${unknown}, but no Edge Accounts account uses this address, so there is no code.`,
        `Create an account: ${ORIGIN}/register`,
        'If you meant to create an account, use the link above. If you did not ask for a code, ignore this email.',
        '— Edge Accounts',
      ].join('\n\n'),
    );

    const { cookie, email, username } = await signUpAndSignIn();
    await setLocale(email, null);
    await changePassword(cookie);
    const changed = await waitForMail(email, 'Your Edge Accounts password was changed');
    expect(changed.text).toContain(`Hello ${username}, the password of your Edge Accounts account was just changed, and other devices were signed out.`);
    expect(changed.html).toContain('Or paste this address into your browser: ');
  });

  it('the new-sign-in alert gives the time in the recipient’s time zone and language', async () => {
    const { email, username } = await signUpAndSignIn();
    await setLocale(email, 'de', 'Europe/Berlin');
    const id = (await env.DB.prepare('select id from users where email = ?').bind(email).first<{ id: string }>())!.id;
    const db = createDb(env.DB);
    const signedInAt = Date.UTC(2026, 0, 15, 13, 0);
    const firefox = 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0';
    await securityEvent(db, { type: 'sign_in', userId: id }, { country: 'FR', userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/140.0', location: 'Paris, FR' }, signedInAt - 5000);
    const config = readConfig(env);
    const mailer = createMailer(env.EMAIL, env.SESSIONS, config.mail, { assets: env.ASSETS, db, offered: config.languages, request: ENGLISH_TRANSLATOR });
    const linkTo = (path: string, query: Record<string, string>) => absoluteUrl(config, path, query);
    expect(await alertOnUnfamiliarSignIn(db, mailer, linkTo, id, { country: 'BR', location: 'São Paulo, BR', userAgent: firefox }, signedInAt)).toBe(true);
    const mail = await waitForMail(email, 'Neue Anmeldung bei Ihrem Edge Accounts-Konto');
    expect(mail.text).toContain(`Hallo ${username}, bei Ihrem Konto hat sich soeben jemand`);
    expect(mail.text).toContain('in der Nähe von São Paulo, BR, am 15. Januar 2026 um 14:00');
    expect(mail.text).toContain('Das war ich nicht: http');
  });
});

describe('the new-sign-in alert names the device and the place in the recipient’s language', () => {
  const firefox = 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0';

  // A first sign-in (no browser named), then one from Firefox: unfamiliar, so the alert goes out.
  async function signInFromFirefox(language?: string) {
    const { email, username } = await signUpAndSignIn();
    await setLocale(email, null);
    expect((await postForm('/login', { login: username, password: STRONG_PASSWORD })).status).toBe(303);
    const before = Date.now();
    const headers: Record<string, string> = { 'user-agent': firefox, ...(language ? { 'accept-language': language } : {}) };
    expect((await postForm('/login', { login: username, password: STRONG_PASSWORD }, { headers })).status).toBe(303);
    return { email, username, before };
  }

  it('German over HTTP: the device, and an unknown place (the suite’s requests name none)', async () => {
    const { email, username, before } = await signInFromFirefox('de');
    const mail = await waitForMail(email, 'Neue Anmeldung bei Ihrem Edge Accounts-Konto', { after: before });
    expect(mail.text).toContain(`Hallo ${username}, bei Ihrem Konto hat sich soeben jemand`);
    expect(mail.text).toContain('der in letzter Zeit nicht verwendet wurde: Firefox unter Linux, von einem unbekannten Ort, am ');
    expect(mail.html).toContain('Firefox unter Linux, von einem unbekannten Ort');
    expect(mail.text).not.toMatch(/unknown|Firefox on/);
  });

  it('English, as before, without the header', async () => {
    const { email, username, before } = await signInFromFirefox();
    const mail = await waitForMail(email, 'New sign-in to your Edge Accounts account', { after: before });
    expect(mail.text).toContain(
      `Hello ${username}, your account was just signed in to from a place or browser it has not used recently: Firefox on Linux, near an unknown place, on `,
    );
  });

  it('reads as a whole sentence in every language, with or without a place', async () => {
    const when = new Date(Date.UTC(2026, 0, 15, 13, 0));
    const expected = {
      de: ['Firefox unter Linux, von einem unbekannten Ort, am', 'Firefox unter Linux, in der Nähe von Lyon, FR, am'],
      fr: ['Firefox sous Linux, depuis un endroit inconnu, le', 'Firefox sous Linux, près de Lyon, FR, le'],
      es: ['Firefox en Linux, desde una ubicación desconocida, el', 'Firefox en Linux, cerca de Lyon, FR, el'],
      ja: ['Linux 上の Firefox、場所不明、', 'Linux 上の Firefox、Lyon, FR 付近、'],
      ar: ['Firefox على Linux، من مكان غير معروف، في', 'Firefox على Linux، بالقرب من Lyon, FR، في'],
    } as const;
    for (const [language, [unknown, known]] of Object.entries(expected)) {
      const translator = createTranslator(language as keyof typeof expected, await loadCatalog(env.ASSETS, language as keyof typeof expected));
      const compose = (where: string | null) => newSignInAlert('a@example.com', 'anna', { when, where, userAgent: firefox }, ORIGIN).compose(translator).text;
      expect(compose(null), language).toContain(unknown);
      expect(compose('Lyon, FR'), language).toContain(known);
      expect(compose(null), language).not.toMatch(/[{}]/);
    }
    const english = newSignInAlert('a@example.com', 'anna', { when, where: null, userAgent: undefined }, ORIGIN).compose(ENGLISH_TRANSLATOR).text;
    expect(english).toContain('it has not used recently: Unknown device, near an unknown place, on January 15, 2026');
  });
});

describe('composing a message in a language', () => {
  it('plurals and lists come from the catalogue', async () => {
    const de = createTranslator('de', await loadCatalog(env.ASSETS, 'de'));
    const reset = passwordResetNotice('a@example.com', 'anna', `${ORIGIN}/account/security`, {
      left: { passkeys: ['Laptop', 'Telefon'], twoFactor: false, providers: ['github'] },
      removed: { passkeys: ['x'], twoFactor: true, providers: [] },
    }).compose(de);
    expect(reset.text).toContain('vor Ihnen eingerichtet hat: ein Passkey und die Authenticator-App und ihre Wiederherstellungscodes.');
    expect(reset.text).toContain('hat Ihr Konto jetzt die Passkeys „Laptop“, „Telefon“, die Anmeldung über github, und die Zwei-Faktor-Authentifizierung ist deaktiviert.');

    const ar = createTranslator('ar', await loadCatalog(env.ASSETS, 'ar'));
    const used = (count: number) => recoveryCodeUsedNotice('a@example.com', 'anna', ORIGIN, count).compose(ar).text;
    expect(used(2)).toContain('تبقّى رمزان غير مستخدمين.');
    expect(recoveryCodeUsedNotice('a@example.com', 'anna', ORIGIN, 1).compose(ENGLISH_TRANSLATOR).text).toContain('from your authenticator app. 1 unused code is left.');
  });
});
