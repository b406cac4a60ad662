import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { cookieFrom, ORIGIN, postForm, sessionCookieFrom, signUpAndSignIn, STRONG_PASSWORD } from './helpers';
import { addPasskey, postJson } from './passkeys-helpers';
import { recoveryCodesFrom, startEnrolment } from './two-factor-helpers';

// Two-factor sign-in, recovery codes and passkeys speak the visitor's language (German here,
// Arabic for one page and the JSON refusals), and English stays as it was without a header.
// Accounts are made without Accept-Language, so none has a saved language.

const DE = { 'accept-language': 'de' };
const AR = { 'accept-language': 'ar' };

function page(path: string, cookie: string, headers: Record<string, string> = {}) {
  return SELF.fetch(`${ORIGIN}${path}`, { redirect: 'manual', headers: { cookie, ...headers } });
}

async function html(path: string, cookie: string, headers: Record<string, string> = {}) {
  const res = await page(path, cookie, headers);
  expect(res.status).toBe(200);
  return res.text();
}

async function userIdOf(username: string): Promise<string> {
  return (await env.DB.prepare('select id from users where username = ?').bind(username).first<{ id: string }>())!.id;
}

describe('the security page and the authenticator app', () => {
  it('speaks German with Accept-Language: de, English without', async () => {
    const { cookie } = await signUpAndSignIn();
    const german = await html('/account/security', cookie, DE);
    expect(german).toContain('<h1>Zwei-Faktor-Authentifizierung</h1>');
    expect(german).toContain('Authenticator-App einrichten');
    expect(german).toContain('Passkeys verwalten');
    expect(german).toContain('<label for="field-password">Ihr Passwort</label>');
    expect(german).not.toContain('Set up an authenticator app');

    const english = await html('/account/security', cookie);
    expect(english).toContain('<h1>Two-factor sign-in</h1>');
    expect(english).toContain('Set up an authenticator app');
    expect(english).toContain('Sign in with your fingerprint, face or screen lock instead of a password and code.');
  });

  it('says a wrong password in German', async () => {
    const { cookie } = await signUpAndSignIn();
    const res = await postForm('/account/security/totp', { password: 'not the password' }, { cookie, headers: DE });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('Das Passwort ist falsch.');
  });

  it('sets up, shows the recovery codes and turns off in German', async () => {
    const account = await signUpAndSignIn();
    const { app } = await startEnrolment(account.cookie);
    const setup = await html('/account/security/totp/setup', account.cookie, DE);
    expect(setup).toContain('aria-label="QR-Code zum Scannen mit Ihrer Authenticator-App"');
    expect(setup).toContain(`Konto: ${account.username}. Typ: zeitbasiert, 6 Ziffern.`);
    expect(setup).toContain('Zwei-Faktor-Authentifizierung einschalten');

    const done = await postForm('/account/security/totp/setup', { code: await app.nextCode() }, { cookie: account.cookie, headers: DE });
    expect(done.status).toBe(200);
    const codesPage = await done.text();
    expect(codesPage).toContain('<h1>Wiederherstellungscodes speichern</h1>');
    expect(codesPage).toContain('Die Zwei-Faktor-Authentifizierung ist eingeschaltet.');
    expect(codesPage).toContain('<strong>Die Codes werden nur dieses eine Mal angezeigt:</strong>');
    expect(codesPage).toContain(encodeURIComponent(`Edge Accounts – Wiederherstellungscodes für ${account.username}`));
    expect(codesPage).toContain('data-copied-message="Kopiert.');
    // copy-text.js says only what the button carries.
    expect(codesPage).toContain('data-copy-failed-message="Kopieren nicht möglich. Markieren und kopieren Sie die Codes oder laden Sie die Datei herunter."');
    expect(recoveryCodesFrom(codesPage)).toHaveLength(10);
    const cookie = sessionCookieFrom(done);

    const security = await html('/account/security', cookie, DE);
    expect(security).toContain('<span class="badge badge-success">An</span>');
    expect(security).toContain('Eingeschaltet am <time');
    expect(security).toContain('10 unbenutzte Codes.');

    expect(await html('/account/security/recovery-codes', cookie, DE)).toContain('Sie erhalten zehn neue Codes');
    expect(await html('/account/security/totp/disable', cookie, DE)).toContain('Eingeschaltet lassen');

    const wrong = await postForm('/account/security/totp/disable', { password: STRONG_PASSWORD, code: '000000' }, { cookie, headers: DE });
    expect(wrong.status).toBe(422);
    expect(await wrong.text()).toContain('Dieser Code hat nicht funktioniert. Geben Sie den neuesten Code aus Ihrer App oder einen unbenutzten Wiederherstellungscode ein.');

    const off = await postForm('/account/security/totp/disable', { password: STRONG_PASSWORD, code: await app.nextCode() }, { cookie, headers: DE });
    expect(off.status).toBe(303);
    // The flash is made in the POST's language and shown on the next page.
    expect(await html('/account/security', `${cookie}; ${cookieFrom(off, 'flash')}`, DE)).toContain('Die Zwei-Faktor-Authentifizierung ist ausgeschaltet.');
  });

  it('writes the page in Arabic, right to left, with the plural the count needs', async () => {
    const account = await signUpAndSignIn();
    const { app } = await startEnrolment(account.cookie);
    const done = await postForm('/account/security/totp/setup', { code: await app.nextCode() }, { cookie: account.cookie });
    // Without a header, the codes page and its file stay English.
    const codesPage = await done.text();
    expect(codesPage).toContain('Two-factor sign-in is on. From now on, signing in asks for a code from your app. 0 other sessions were signed out.');
    expect(codesPage).toContain(encodeURIComponent(`Edge Accounts recovery codes for ${account.username}`));
    expect(codesPage).toContain('data-copied-message="Copied. Paste them somewhere safe, such as a password manager."');
    expect(codesPage).toContain('data-copy-failed-message="Could not copy. Select the codes and copy them, or download the file."');
    const arabic = await html('/account/security', sessionCookieFrom(done), AR);
    expect(arabic).toContain('<html lang="ar" dir="rtl">');
    expect(arabic).toContain('<h1>التحقق بخطوتين</h1>');
    expect(arabic).toContain('رموز غير مستخدمة.');
    expect(arabic).toContain('إيقاف التحقق بخطوتين');
  });
});

describe('passkeys', () => {
  it('lists, renames and removes in German, with the script’s own messages on the form', async () => {
    const account = await signUpAndSignIn();
    const empty = await html('/account/security/passkeys', account.cookie, DE);
    expect(empty).toContain('Sie haben noch keine Passkeys.');
    expect(empty).toContain('data-msg-generic="Etwas ist schiefgelaufen. Laden Sie die Seite neu und versuchen Sie es erneut."');
    expect(empty).toContain('data-msg-cancelled="Die Passkey-Anfrage wurde abgebrochen');

    await addPasskey(account.cookie, await userIdOf(account.username), 'My laptop');
    const list = await html('/account/security/passkeys', account.cookie, DE);
    expect(list).toContain('Umbenennen<span class="visually-hidden"> My laptop</span>');
    expect(list).toContain('<dt>Zuletzt verwendet</dt>');
    expect(list).toContain('<dd>Nie</dd>');
    const id = /\/account\/security\/passkeys\/([^/"]+)\/remove/.exec(list)![1]!;

    const renamed = await postForm(`/account/security/passkeys/${id}/rename`, { name: 'Work' }, { cookie: account.cookie, headers: DE });
    expect(renamed.status).toBe(303);
    expect(await html('/account/security/passkeys', `${account.cookie}; ${cookieFrom(renamed, 'flash')}`, DE)).toContain('Passkey in „Work“ umbenannt.');

    const removePage = await html(`/account/security/passkeys/${id}/remove`, account.cookie, DE);
    expect(removePage).toContain('<h1>„Work“ entfernen</h1>');
    expect(removePage).toContain('Hinzugefügt am <time');

    const removed = await postForm(`/account/security/passkeys/${id}/remove`, { password: STRONG_PASSWORD }, { cookie: account.cookie, headers: DE });
    expect(removed.status).toBe(303);
    const after = await html('/account/security/passkeys', `${sessionCookieFrom(removed)}; ${cookieFrom(removed, 'flash')}`, DE);
    expect(after).toContain('Passkey „Work“ entfernt. 0 andere Sitzungen wurden abgemeldet.');
  });

  it('keeps the English page and flash without a header', async () => {
    const account = await signUpAndSignIn();
    const empty = await html('/account/security/passkeys', account.cookie);
    expect(empty).toContain('You have no passkeys yet.');
    expect(empty).toContain('data-msg-generic="Something went wrong. Reload the page and try again."');
    await addPasskey(account.cookie, await userIdOf(account.username), 'My laptop');
    const list = await html('/account/security/passkeys', account.cookie);
    expect(list).toContain('Rename<span class="visually-hidden"> My laptop</span>');
    expect(list).toContain('Remove…<span class="visually-hidden"> My laptop</span>');
    const id = /\/account\/security\/passkeys\/([^/"]+)\/remove/.exec(list)![1]!;
    const renamed = await postForm(`/account/security/passkeys/${id}/rename`, { name: 'Work' }, { cookie: account.cookie });
    expect(await html('/account/security/passkeys', `${account.cookie}; ${cookieFrom(renamed, 'flash')}`)).toContain('Passkey renamed to “Work”.');
  });

  it('answers the script in the visitor’s language', async () => {
    const { cookie } = await signUpAndSignIn();
    const path = '/account/security/passkeys/options';
    const english = await postJson(path, { password: 'not the password' }, cookie);
    expect(english.status).toBe(422);
    expect(await english.json()).toEqual({ error: 'That password is wrong.', field: 'password' });
    const german = await postJson(path, { password: 'not the password' }, cookie, DE);
    expect(await german.json()).toEqual({ error: 'Das Passwort ist falsch.', field: 'password' });
    const arabic = await postJson(path, { password: 'not the password' }, cookie, AR);
    expect(await arabic.json()).toEqual({ error: 'كلمة المرور غير صحيحة.', field: 'password' });
  });
});

describe('the scripts carry no English of their own', () => {
  it('copy-text.js and passkeys.js take every message from the page', async () => {
    for (const script of ['copy-text.js', 'passkeys.js']) {
      const source = await (await SELF.fetch(`${ORIGIN}/static/${script}`)).text();
      expect(source, script).not.toMatch(/Copied|Could not copy|Something went wrong|was cancelled|already keeps|cannot be used/);
    }
  });
});

describe('the name a new passkey is offered', () => {
  const FIREFOX_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0';

  it('names the device in the visitor’s language', async () => {
    const { cookie } = await signUpAndSignIn();
    expect(await html('/account/security/passkeys', cookie, { ...DE, 'user-agent': FIREFOX_WINDOWS })).toMatch(/value="Firefox unter Windows"/);
    expect(await html('/account/security/passkeys', cookie, { 'user-agent': FIREFOX_WINDOWS })).toMatch(/value="Firefox on Windows"/);
    expect(await html('/account/security/passkeys', cookie, { ...DE, 'user-agent': '' })).not.toMatch(/value="Unbekanntes Gerät"/);
  });
});
