import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { cookieFrom, ORIGIN, postForm, sessionCookieFrom, signUpAndSignIn, STRONG_PASSWORD } from './helpers';

// The account area speaks the visitor's language: its pages, the security events of the
// activity list, the flash messages of its forms, and dates in the visitor's time zone.
// Without Accept-Language, English exactly as before.

function page(path: string, cookie: string, language?: string) {
  return SELF.fetch(`${ORIGIN}${path}`, { redirect: 'manual', headers: { cookie, ...(language ? { 'accept-language': language } : {}) } });
}

async function html(path: string, cookie: string, language?: string): Promise<string> {
  const response = await page(path, cookie, language);
  expect(response.status, path).toBe(200);
  return response.text();
}

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0';

// Another session of the account, from Firefox on Linux.
async function signInWithFirefox(username: string) {
  const res = await postForm('/login', { login: username, password: STRONG_PASSWORD }, { headers: { 'user-agent': FIREFOX } });
  expect(res.status).toBe(303);
}

// The page after a form's redirect, with the flash cookie the form set.
async function flashAfter(response: Response, cookie: string, language: string): Promise<string> {
  expect(response.status).toBe(303);
  const flash = cookieFrom(response, 'flash');
  expect(flash).toBeDefined();
  const session = response.headers.getSetCookie().some((c) => /^(__Host-)?session=/.test(c)) ? sessionCookieFrom(response) : cookie;
  return html(response.headers.get('location')!, `${session}; ${flash}`, language);
}

describe('the account pages in German', () => {
  it('dashboard, account, password, deletion', async () => {
    const { cookie, username } = await signUpAndSignIn();
    const dashboard = await html('/dashboard', cookie, 'de');
    expect(dashboard).toContain('<title>Übersicht · Edge Accounts</title>');
    expect(dashboard).toContain('Mitglied seit');
    expect(dashboard).toContain('Profil bearbeiten');
    expect(dashboard).toContain(`alt="Profilbild von ${username}"`);

    const account = await html('/account', cookie, 'de');
    expect(account).toContain('<h1>Konto und Sicherheit</h1>');
    expect(account).toContain('Ihre Daten herunterladen');
    expect(account).toContain('Mein Konto löschen…');

    const password = await html('/account/password', cookie, 'de');
    expect(password).toContain('Neues Passwort bestätigen');
    expect(password).toContain('Hier bleiben Sie angemeldet; alle anderen Geräte werden abgemeldet.');

    const deletion = await html('/account/delete', cookie, 'de');
    expect(deletion).toContain(`Damit werden das Konto <strong>${username}</strong>, sein Profil`);
    expect(deletion).toContain('Mein Konto behalten');
  });

  it('sessions and activity, with security events, plurals and dates', async () => {
    const { cookie } = await signUpAndSignIn();
    const sessions = await html('/account/sessions', cookie, 'de');
    expect(sessions).toContain('<h1>Wo Sie angemeldet sind</h1>');
    expect(sessions).toContain('<span class="badge">Dieses Gerät</span>');
    expect(sessions).toContain('Dies ist das einzige Gerät, das bei Ihrem Konto angemeldet ist.');

    const activity = await html('/account/activity', cookie, 'de');
    expect(activity).toContain('Sicherheitsereignisse der letzten 90 Tage');
    expect(activity).toContain('<a href="/account/password">ändern Sie Ihr Passwort</a>');
    expect(activity).toContain('<td data-label="Ereignis">Konto erstellt</td>');
    // German date and 24-hour time, in UTC (the suite's requests name no time zone).
    expect(activity).toMatch(/<time datetime="[^"]+Z">\d{1,2}\. \S+ \d{4}, \d{2}:\d{2} UTC<\/time>/);
  });

  it('shows times in the account’s time zone', async () => {
    const { cookie, username } = await signUpAndSignIn();
    await env.DB.prepare("update users set time_zone = 'Asia/Tokyo' where username = ?").bind(username).run();
    const activity = await html('/account/activity', cookie, 'de');
    expect(activity).toMatch(/<time datetime="[^"]+Z">[^<]+GMT\+9<\/time>/);
    expect(activity).not.toContain(' UTC</time>');
  });

  it('profile, sign-in methods, export', async () => {
    const { cookie } = await signUpAndSignIn();
    const profile = await html('/profile', cookie, 'de');
    expect(profile).toContain('Neues Bild hochladen');
    expect(profile).toContain('JPEG, PNG, WebP, GIF oder AVIF, bis zu 5 MB.');

    const methods = await html('/account/sign-in-methods', cookie, 'de');
    expect(methods).toContain('<h1>Anmeldemethoden</h1>');
    expect(methods).toContain('<h2>Codes per E-Mail</h2>');
    expect(methods).toContain('<p>Keine.</p>');

    const exportPage = await html('/account/export', cookie, 'de');
    expect(exportPage).toContain('<code>account.json</code>: Ihr Benutzername');
    expect(exportPage).toContain('Meine Daten herunterladen');
  });

  it('flash messages', async () => {
    const { cookie, email } = await signUpAndSignIn();
    const nothing = await postForm('/profile', { email }, { cookie, headers: { 'accept-language': 'de' } });
    expect(await flashAfter(nothing, cookie, 'de')).toContain('Es gibt nichts zu ändern.');

    const revoked = await postForm('/account/sessions/revoke-others', {}, { cookie, headers: { 'accept-language': 'de' } });
    expect(await flashAfter(revoked, cookie, 'de')).toContain('0 andere Sitzungen wurden abgemeldet.');
  });
});

describe('devices in the visitor’s language (brand names kept)', () => {
  it('German: sessions and activity', async () => {
    const { cookie, username } = await signUpAndSignIn();
    await signInWithFirefox(username);
    const sessions = await html('/account/sessions', cookie, 'de');
    expect(sessions).toContain('Firefox unter Linux');
    expect(sessions).toContain('Abmelden<span class="visually-hidden"> Firefox unter Linux</span>');
    // This session's request named no browser.
    expect(sessions).toContain('Unbekanntes Gerät');
    expect(sessions).not.toContain('Firefox on Linux');

    const activity = await html('/account/activity', cookie, 'de');
    expect(activity).toContain('<td data-label="Gerät">Firefox unter Linux</td>');
    expect(activity).toContain('<td data-label="Gerät">Unbekanntes Gerät</td>');
  });

  it('Arabic, and English without the header', async () => {
    const { cookie, username } = await signUpAndSignIn();
    await signInWithFirefox(username);
    const arabic = await html('/account/sessions', cookie, 'ar');
    expect(arabic).toContain('Firefox على Linux');
    expect(arabic).toContain('جهاز غير معروف');

    const english = await html('/account/sessions', cookie);
    expect(english).toContain('Firefox on Linux');
    expect(english).toContain('Sign out<span class="visually-hidden"> Firefox on Linux</span>');
    expect(english).toContain('Unknown device');
    const activity = await html('/account/activity', cookie);
    expect(activity).toContain('Firefox on Linux</td>');
  });
});

describe('the account pages in Arabic', () => {
  it('activity: right to left, the plural of 90 days', async () => {
    const { cookie } = await signUpAndSignIn();
    const activity = await html('/account/activity', cookie, 'ar');
    expect(activity).toContain('<html lang="ar" dir="rtl">');
    expect(activity).toContain('<h1>نشاط الحساب</h1>');
    expect(activity).toMatch(/الأحداث الأمنية لآخر (90|٩٠) يومًا/);
    expect(activity).toContain('تم إنشاء الحساب');
  });
});

describe('the account pages without Accept-Language', () => {
  it('stay in English, as before', async () => {
    const { cookie, email } = await signUpAndSignIn();
    const dashboard = await html('/dashboard', cookie);
    expect(dashboard).toContain('<dt>Member since</dt>');
    expect(dashboard).toContain('Send the confirmation link again');
    const activity = await html('/account/activity', cookie);
    expect(activity).toContain(
      'Security events of the last 90 days, newest first. Locations are approximate. If something here was not you, <a href="/account/password">change your password</a> and <a href="/account/sessions">sign out other sessions</a>.',
    );
    expect(activity).toContain('<td data-label="What">Account created</td>');
    expect(activity).toMatch(/<time datetime="[^"]+Z">[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}\s[AP]M UTC<\/time>/);
    const sessions = await html('/account/sessions', cookie);
    expect(sessions).toContain('This is the only device signed in to your account.');

    const nothing = await postForm('/profile', { email }, { cookie });
    expect(nothing.status).toBe(303);
    const flash = cookieFrom(nothing, 'flash')!;
    expect(await html('/dashboard', `${cookie}; ${flash}`)).toContain('Nothing to change.');
  });
});
