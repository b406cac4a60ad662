import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { cookieFrom, get, ORIGIN, postForm, signUpAndSignIn, STRONG_PASSWORD } from './helpers';

// Which language a page speaks: the account's saved choice, then the menu's cookie, then
// Accept-Language, then English.

function page(path: string, headers: Record<string, string> = {}) {
  return SELF.fetch(`${ORIGIN}${path}`, { redirect: 'manual', headers });
}

async function htmlTag(response: Response): Promise<string> {
  const html = await response.text();
  return /<html[^>]*>/.exec(html)![0];
}

describe('choosing the language', () => {
  it('follows Accept-Language, with a region falling back to its language', async () => {
    expect(await htmlTag(await page('/login', { 'accept-language': 'de-CH,de;q=0.9,en;q=0.5' }))).toBe('<html lang="de" dir="ltr">');
    expect(await (await page('/login', { 'accept-language': 'fr-CA' })).text()).toContain('Se connecter');
  });

  it('falls back to English for a language it does not speak', async () => {
    expect(await htmlTag(await page('/login', { 'accept-language': 'pt-BR,pt;q=0.9' }))).toBe('<html lang="en" dir="ltr">');
    expect(await htmlTag(await page('/login'))).toBe('<html lang="en" dir="ltr">');
  });

  it('writes Arabic right to left', async () => {
    expect(await htmlTag(await page('/login', { 'accept-language': 'ar' }))).toBe('<html lang="ar" dir="rtl">');
  });

  it('lets the language menu override the header with a cookie, and come back to the same page', async () => {
    const chosen = await postForm('/language', { language: 'ja', next: '/login?next=/profile' }, { headers: { 'accept-language': 'de' } });
    expect(chosen.status).toBe(303);
    expect(chosen.headers.get('location')).toBe('/login?next=/profile');
    const cookie = cookieFrom(chosen, 'lang')!;
    expect(cookie).toBe('lang=ja');
    expect(await htmlTag(await page('/login', { cookie, 'accept-language': 'de' }))).toBe('<html lang="ja" dir="ltr">');
  });

  it('refuses a language it does not offer, changing nothing', async () => {
    const refused = await postForm('/language', { language: 'xx', next: '/' });
    expect(refused.status).toBe(303);
    expect(cookieFrom(refused, 'lang')).toBeUndefined();
  });

  it('saves a signed-in person’s choice on the account, which then wins over header and cookie', async () => {
    const { username, cookie } = await signUpAndSignIn();
    const chosen = await postForm('/language', { language: 'es', next: '/dashboard' }, { cookie });
    expect(chosen.status).toBe(303);
    const row = await env.DB.prepare('select language from users where username = ?').bind(username).first<{ language: string }>();
    expect(row?.language).toBe('es');
    // Another browser of the same account, with another cookie and header.
    expect(await htmlTag(await page('/dashboard', { cookie: `${cookie}; lang=fr`, 'accept-language': 'de' }))).toBe('<html lang="es" dir="ltr">');
  });

  it('offers the menu in the footer, each language named in itself', async () => {
    const html = await (await get('/')).text();
    expect(html).toContain('<form method="post" action="/language" class="language-menu">');
    expect(html).toContain('<option value="ar" lang="ar">العربية</option>');
  });
});

describe('pages refused before the account is read', () => {
  it('refuse a cross-site form in the visitor’s language, the menu’s cookie first', async () => {
    const crossSite = (headers: Record<string, string>) =>
      SELF.fetch(`${ORIGIN}/login`, { method: 'POST', redirect: 'manual', headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: 'login=a&password=b' });
    const german = await crossSite({ 'accept-language': 'de' });
    expect(german.status).toBe(403);
    const html = await german.text();
    expect(html).toContain('<html lang="de" dir="ltr">');
    expect(html).toContain('Anfrage abgelehnt');
    const french = await crossSite({ 'accept-language': 'de', cookie: 'lang=fr' });
    expect(await french.text()).toContain('<html lang="fr" dir="ltr">');
    expect(await (await crossSite({})).text()).toContain('Request refused');
  });

  it('answer an unreadable form in the visitor’s language', async () => {
    const broken = await SELF.fetch(`${ORIGIN}/login`, { method: 'POST', redirect: 'manual', headers: { origin: ORIGIN, 'content-type': 'text/plain', 'accept-language': 'ar' }, body: 'login=a' });
    expect(broken.status).toBe(400);
    const html = await broken.text();
    expect(html).toContain('<html lang="ar" dir="rtl">');
    expect(html).not.toContain('We could not read that form');
  });
});

describe('what an account keeps for its emails', () => {
  function signInWith(login: string, headers: Record<string, string>, cf: Record<string, string> = {}) {
    return SELF.fetch(`${ORIGIN}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN, 'sec-fetch-site': 'same-origin', ...headers },
      body: new URLSearchParams({ login, password: STRONG_PASSWORD }).toString(),
      cf,
    } as RequestInit);
  }

  async function saved(username: string) {
    return env.DB.prepare('select language, time_zone as timeZone from users where username = ?').bind(username).first<{ language: string | null; timeZone: string | null }>();
  }

  it('a sign-in in German keeps German and the time zone it came from; English keeps nothing', async () => {
    const { username } = await signUpAndSignIn();
    expect(await saved(username)).toEqual({ language: null, timeZone: null });
    expect((await signInWith(username, { 'accept-language': 'en-GB' }, { timezone: 'Europe/London' })).status).toBe(303);
    expect(await saved(username)).toEqual({ language: null, timeZone: 'Europe/London' });
    expect((await signInWith(username, { 'accept-language': 'de-DE' }, { timezone: 'Europe/Berlin' })).status).toBe(303);
    expect(await saved(username)).toEqual({ language: 'de', timeZone: 'Europe/Berlin' });
  });

  it('a language chosen in the menu is not replaced by a later sign-in’s', async () => {
    const { username, cookie } = await signUpAndSignIn();
    await postForm('/language', { language: 'fr', next: '/' }, { cookie });
    expect((await signInWith(username, { 'accept-language': 'ja' })).status).toBe(303);
    expect((await saved(username))?.language).toBe('fr');
  });

  it('ignores a time zone the runtime does not know', async () => {
    const { username } = await signUpAndSignIn();
    expect((await signInWith(username, {}, { timezone: 'Mars/Olympus_Mons' })).status).toBe(303);
    expect((await saved(username))?.timeZone).toBeNull();
  });
});
