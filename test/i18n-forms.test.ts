import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { englishFieldErrors, englishFieldMessage, fieldMessage, parseFieldMessage, translateFieldMessage } from '../src/auth/field-errors';
import { registerErrors } from '../src/auth/forms';
import { newPasswordErrors } from '../src/auth/password-rules';
import { ENGLISH } from '../src/i18n/catalog';
import { createTranslator } from '../src/i18n/translator';
import { signUpMember, signUpStaff } from './admin-helpers';
import { ORIGIN, postForm, signUpAndSignIn, STRONG_PASSWORD } from './helpers';
import { postProfile } from './profile-helpers';

// Form errors are made outside any page as catalogue references, and the field components
// translate them when they render: German (and Arabic) with the header, the English of
// today without it.

const EMPTY_LIST: ReadonlySet<string> = new Set();

function postIn(path: string, fields: Record<string, string>, language?: string, cookie?: string) {
  return postForm(path, fields, { cookie, headers: language ? { 'accept-language': language } : {} });
}

async function pageIn(path: string, cookie: string, language?: string): Promise<string> {
  const response = await SELF.fetch(`${ORIGIN}${path}`, { redirect: 'manual', headers: { cookie, ...(language ? { 'accept-language': language } : {}) } });
  expect(response.status, path).toBe(200);
  return response.text();
}

// The page a staff action redirects to, with its flash message.
async function afterRedirect(response: Response, cookie: string, language?: string): Promise<string> {
  expect(response.status).toBe(303);
  const flash = response.headers.getSetCookie().find((c) => c.startsWith('flash='))?.split(';')[0];
  return pageIn(response.headers.get('location')!, [cookie, flash].filter(Boolean).join('; '), language);
}

describe('field error references', () => {
  it('read as English without a request, and leave plain text alone', () => {
    expect(englishFieldMessage(fieldMessage('forms.password.mismatch'))).toBe('The two passwords do not match.');
    // A length is text, so English keeps "1024" (a number would become "1,024").
    expect(englishFieldMessage(fieldMessage('forms.field.tooLong', { max: '1024' }))).toBe('Use at most 1024 characters.');
    expect(englishFieldMessage('Your current password is wrong.')).toBe('Your current password is wrong.');
    expect(parseFieldMessage('Enter a username.')).toBeNull();
    // A reference to a key no longer in the catalogue is shown as it is, not thrown on.
    expect(parseFieldMessage('\u0001forms.gone.away')).toBeNull();
  });

  it('keep the rules’ messages as they were, in English', () => {
    expect(englishFieldErrors(newPasswordErrors('12345', '1234', {}, EMPTY_LIST))).toEqual({
      passwordConfirm: ['The two passwords do not match.'],
      password: ['Use at least 8 characters.', 'The password cannot be entirely numeric.'],
    });
    expect(englishFieldErrors(registerErrors({ username: 'no spaces', email: 'nope', password: '', passwordConfirm: 'x' }, EMPTY_LIST))).toEqual({
      username: ['Use only letters, digits and @ . + - _'],
      email: ['Enter a valid email address, like name@example.com.'],
      password: ['Type the password in both fields, or leave both empty to sign in with emailed codes.'],
    });
  });

  it('translate with a translator, params included', () => {
    const german = createTranslator('de', { ...ENGLISH, 'forms.password.tooShort': 'Verwenden Sie mindestens {min} Zeichen.' });
    expect(translateFieldMessage(fieldMessage('forms.password.tooShort', { min: '8' }), german)).toBe('Verwenden Sie mindestens 8 Zeichen.');
  });
});

describe('form errors over HTTP', () => {
  it('sign-up: German with the header, English without', async () => {
    const fields = { username: 'no spaces', email: 'nope', password: '12345', passwordConfirm: '54321' };
    const german = await postIn('/register', fields, 'de');
    expect(german.status).toBe(422);
    const html = await german.text();
    expect(html).toContain('Geben Sie eine gültige E-Mail-Adresse ein, z. B. name@example.com.');
    expect(html).toContain('Verwenden Sie nur Buchstaben, Ziffern und @ . + - _');
    expect(html).toContain('Verwenden Sie mindestens 8 Zeichen.');
    expect(html).toContain('Das Passwort darf nicht nur aus Ziffern bestehen.');
    expect(html).toContain('Die beiden Passwörter stimmen nicht überein.');
    expect(html).not.toContain('\u0001');

    const english = await (await postIn('/register', fields)).text();
    expect(english).toContain('Enter a valid email address, like name@example.com.');
    expect(english).toContain('Use only letters, digits and @ . + - _');
    expect(english).toContain('Use at least 8 characters.');
    expect(english).toContain('The password cannot be entirely numeric.');
    expect(english).toContain('The two passwords do not match.');
    expect(english).not.toContain('\u0001');
  });

  it('sign-in: German and Arabic with the header, English without', async () => {
    const german = await postIn('/login', { login: '', password: '' }, 'de');
    expect(german.status).toBe(422);
    const html = await german.text();
    expect(html).toContain('Geben Sie Ihren Benutzernamen oder Ihre E-Mail-Adresse ein.');
    expect(html).toContain('Geben Sie Ihr Passwort ein.');

    const arabic = await (await postIn('/login', { login: '', password: '' }, 'ar')).text();
    expect(arabic).toContain('أدخل اسم المستخدم أو عنوان البريد الإلكتروني.');
    expect(arabic).toContain('أدخل كلمة المرور.');

    const english = await (await postIn('/login', { login: '', password: '' })).text();
    expect(english).toContain('Enter your username or email.');
    expect(english).toContain('Enter your password.');
  });
});

// The profile form with an Accept-Language header (postProfile sends none of its own).
function inLanguage(language: string): { fetch: typeof fetch } {
  return {
    fetch: ((input: RequestInfo | URL, init: RequestInit = {}) =>
      SELF.fetch(input, { ...init, headers: { ...(init.headers as Record<string, string>), 'accept-language': language } })) as typeof fetch,
  };
}

const EMPTY_FILE = { bytes: new Uint8Array(), name: 'empty.png', type: 'image/png' };

describe('profile picture and password errors', () => {
  it('an empty picture: German on the profile page, Arabic, English without the header', async () => {
    const { cookie, email } = await signUpAndSignIn();
    const german = await postProfile(cookie, { email, file: EMPTY_FILE }, inLanguage('de'));
    expect(german.status).toBe(422);
    const html = await german.text();
    expect(html).toMatch(/id="field-avatar-error"[^>]*>(?:(?!<\/ul>).)*Die Datei ist leer\. Wählen Sie ein Bild zum Hochladen aus\./s);
    expect(html).not.toContain('\u0001');

    const arabic = await (await postProfile(cookie, { email, file: EMPTY_FILE }, inLanguage('ar'))).text();
    expect(arabic).toContain('الملف فارغ. اختر صورة لرفعها.');

    const english = await (await postProfile(cookie, { email, file: EMPTY_FILE })).text();
    expect(english).toContain('The file is empty. Choose a picture to upload.');
    expect(english).not.toContain('\u0001');
  });

  it('changing the password: the current one wrong, missing, or the same, in German; English unchanged', async () => {
    const { cookie } = await signUpAndSignIn();
    const change = (fields: Record<string, string>, language?: string) => postIn('/account/password', fields, language, cookie);
    const wrong = await change({ currentPassword: 'not it at all', password: 'amber harbour kettle 31', passwordConfirm: 'amber harbour kettle 31' }, 'de');
    expect(wrong.status).toBe(422);
    expect(await wrong.text()).toContain('Ihr aktuelles Passwort ist falsch.');

    const same = await (await change({ currentPassword: STRONG_PASSWORD, password: STRONG_PASSWORD, passwordConfirm: STRONG_PASSWORD }, 'de')).text();
    expect(same).toContain('Wählen Sie ein anderes Passwort als das aktuelle.');

    const missing = await (await change({ currentPassword: '', password: 'amber harbour kettle 31', passwordConfirm: 'amber harbour kettle 31' }, 'de')).text();
    expect(missing).toContain('Geben Sie Ihr aktuelles Passwort ein.');
    expect(missing).not.toContain('\u0001');

    const english = await (await change({ currentPassword: 'not it at all', password: 'amber harbour kettle 31', passwordConfirm: 'amber harbour kettle 31' })).text();
    expect(english).toContain('Your current password is wrong.');
    const sameInEnglish = await (await change({ currentPassword: STRONG_PASSWORD, password: STRONG_PASSWORD, passwordConfirm: STRONG_PASSWORD })).text();
    expect(sameInEnglish).toContain('Choose a password different from the current one.');
  });
});

describe('the staff area', () => {
  it('lists users in German, Arabic and English', async () => {
    const staff = await signUpStaff();
    const german = await pageIn('/admin/users', staff.cookie, 'de');
    expect(german).toContain('<title>Benutzer · Verwaltung · Edge Accounts</title>');
    expect(german).toContain('Benutzername oder E-Mail-Adresse beginnt mit');
    expect(german).toContain('Sortiert nach Registrierungsdatum, neueste zuerst.');
    expect(german).toContain('Letzte Anmeldung');

    const arabic = await pageIn('/admin/audit', staff.cookie, 'ar');
    expect(arabic).toContain('dir="rtl"');
    expect(arabic).toContain('<h1>سجل التدقيق</h1>');
    expect(arabic).toContain('عضو الإدارة (اسم المستخدم)');

    const english = await pageIn('/admin/users', staff.cookie);
    expect(english).toContain('<title>Users · Staff · Edge Accounts</title>');
    expect(english).toContain('Sorted by date joined, newest first.');
  });

  it('names the staff member’s device on the audit page in Arabic and German; English unchanged', async () => {
    const staff = await signUpStaff();
    const member = await signUpMember();
    const firefox = 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0';
    const done = await postForm(`/admin/users/${member.id}/deactivate`, { sudoPassword: STRONG_PASSWORD }, { cookie: staff.cookie, headers: { 'user-agent': firefox } });
    expect(done.status).toBe(303);
    const query = `/admin/audit?target=${encodeURIComponent(member.username)}`;
    expect(await pageIn(query, staff.cookie, 'ar')).toContain('<span class="muted">Firefox على Linux</span>');
    expect(await pageIn(query, staff.cookie, 'de')).toContain('<span class="muted">Firefox unter Linux</span>');
    expect(await pageIn(query, staff.cookie)).toContain('<span class="muted">Firefox on Linux</span>');
  });

  it('shows an account, asks for the password and reports the action in German; English unchanged', async () => {
    const staff = await signUpStaff();
    const member = await signUpMember();
    const account = await pageIn(`/admin/users/${member.id}`, staff.cookie, 'de');
    expect(account).toContain('Dieses Konto löschen');
    expect(account).toContain('Deaktivieren');
    expect(account).toContain('Zwei-Faktor-Authentifizierung');

    const prompt = await (await postIn(`/admin/users/${member.id}/deactivate`, {}, 'de', staff.cookie)).text();
    expect(prompt).toContain('Bestätigen Sie Ihr Passwort für die Aktion <strong>Deaktivieren</strong>');
    const englishPrompt = await (await postIn(`/admin/users/${member.id}/deactivate`, {}, undefined, staff.cookie)).text();
    expect(englishPrompt).toContain('To <strong>deactivate</strong> for <strong class="break-anywhere">');

    const wrong = await postIn(`/admin/users/${member.id}/deactivate`, { sudoPassword: 'Not-my-password-15' }, 'de', staff.cookie);
    expect(wrong.status).toBe(422);
    expect(await wrong.text()).toContain('Das Passwort ist falsch, daher wurde nichts ausgeführt.');

    const mismatch = await postIn(`/admin/users/${member.id}/delete`, { confirmUsername: 'someone-else', sudoPassword: STRONG_PASSWORD }, 'de', staff.cookie);
    expect(mismatch.status).toBe(422);
    expect(await mismatch.text()).toContain('Geben Sie den Benutzernamen genau wie angezeigt ein, um dieses Konto zu löschen.');

    const done = await postIn(`/admin/users/${member.id}/deactivate`, { sudoPassword: STRONG_PASSWORD }, 'de', staff.cookie);
    expect(await afterRedirect(done, staff.cookie, 'de')).toContain(`${member.username} wurde deaktiviert und überall abgemeldet.`);

    const refused = await postIn(`/admin/users/${staff.id}/sign-out`, { sudoPassword: STRONG_PASSWORD }, 'de', staff.cookie);
    expect(await afterRedirect(refused, staff.cookie, 'de')).toContain('Sie können dies hier nicht mit Ihrem eigenen Konto tun; verwenden Sie Ihre Kontoseiten.');
    const refusedInEnglish = await postIn(`/admin/users/${staff.id}/sign-out`, { sudoPassword: STRONG_PASSWORD }, undefined, staff.cookie);
    expect(await afterRedirect(refusedInEnglish, staff.cookie)).toContain('You cannot do this to your own account here; use your account pages.');
  });
});
