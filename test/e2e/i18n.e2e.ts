// Languages in a browser (issue 17):
// - every page in the testers' pseudo-language en-XA (English accented and ~40% longer,
//   src/i18n/pseudo.ts) at phone width: nothing scrolls sideways, and no English is left;
// - Arabic: sign-in, dashboard and sessions are right to left and mirrored (screenshots
//   ar-*-desktop|phone.png);
// - axe in Arabic and German on the main pages (checkPage: known issues only).
// The leftover English is collected over the whole tour and printed at the end, page by
// page (also written to test-results/i18n-leftovers.json), so a rerun shows what is left.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTotpCode, parseTotpKey, totpStep, TOTP_PERIOD_SECONDS } from '../../src/mfa/totp';
import {
  PASSWORD,
  PHONE,
  RESULTS_DIR,
  SCREENSHOT_DIR,
  checkPage,
  clickAndLoad,
  createSuperuser,
  enterSignUpCode,
  fillRegisterForm,
  launchBrowser,
  openMailLink,
  openPage,
  pathOf,
  setLanguage,
  signIn,
  signUp,
  uniqueUser,
  type TestPage,
} from './helpers';

const PSEUDO = 'en-XA';

// Words allowed to stay in plain ASCII: brand and product names (the app's own is
// pseudo-localised like any message), browser and system names from user agents, the
// local provider's configured name, and what dates and times are made of (Intl formats
// en-XA as English).
const ALLOWED = new Set(
  [
    'Edge', 'Accounts', 'Chrome', 'Chromium', 'HeadlessChrome', 'Firefox', 'Safari', 'Opera', 'Brave', 'Samsung', 'Internet',
    'Linux', 'Windows', 'macOS', 'Mac', 'Android', 'iOS', 'iPhone', 'iPad', 'ChromeOS', 'Ubuntu',
    'Local', 'OpenID', 'development', 'Connect',
    // Miniflare's stand-in request.cf (a session's location: data, not text).
    'Austin',
    'UTC', 'GMT', 'AM', 'PM',
    'Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Sept', 'Oct', 'Nov', 'Dec',
    'January', 'February', 'March', 'April', 'June', 'July', 'August', 'September', 'October', 'November', 'December',
    'Deutsch', 'Français', 'Español', 'English', 'Pseudo',
  ].map((w) => w.toLowerCase()),
);

interface PageReport {
  path: string;
  lang: string;
  overflow: string[];
  leftovers: string[];
}
const reports = new Map<string, PageReport>();

// A word a person reads that is still plain English: 3+ ASCII letters (apostrophes and
// hyphens inside allowed), not a brand, not data (anything with a digit, @, /, _, or a dot
// inside: usernames, addresses, URLs, codes).
function englishLeftovers(texts: string[], data: string[] = []): string[] {
  const dataWords = new Set(data.flatMap((d) => d.toLowerCase().split(/[^a-z0-9]+/)).filter(Boolean));
  const found = new Set<string>();
  for (const text of texts) {
    for (const raw of text.split(/\s+/)) {
      if (!raw || /[0-9@/_\\]|\w\.\w/.test(raw)) continue;
      const word = raw.replace(/^[^A-Za-z\u00C0-\u024F\u1E00-\u1EFF]+|[^A-Za-z\u00C0-\u024F\u1E00-\u1EFF]+$/g, '');
      if (!/^[A-Za-z]+(?:['’-][A-Za-z]+)*$/.test(word)) continue;
      if (word.replace(/[^A-Za-z]/g, '').length < 3) continue;
      // A recovery code "abcd-efgh-jkmn" is data when each of its parts is.
      if (ALLOWED.has(word.toLowerCase()) || word.toLowerCase().split(/['’-]/).every((part) => dataWords.has(part))) continue;
      found.add(word);
    }
  }
  return [...found];
}

// What the page shows and says: its visible text, its title, and the labels and hints
// that live in attributes (aria-label, title, placeholder, alt).
// Also the text of <time>, <code>, <kbd> and <samp>: dates, keys and codes are data.
async function readableTexts(page: Page): Promise<{ lines: string[]; attributes: string[]; data: string[] }> {
  return page.evaluate(() => {
    const doc = (globalThis as unknown as { document: { title: string; body: { innerText: string }; querySelectorAll(s: string): ArrayLike<{ getAttribute(n: string): string | null; textContent: string | null }> } }).document;
    const data = Array.from(doc.querySelectorAll('time, code, kbd, samp')).map((el) => el.textContent ?? '');
    const attributes: string[] = [doc.title];
    for (const el of Array.from(doc.querySelectorAll('[aria-label],[title],[placeholder],img[alt]'))) {
      for (const name of ['aria-label', 'title', 'placeholder', 'alt']) {
        const value = el.getAttribute(name);
        if (value) attributes.push(value);
      }
    }
    return { lines: doc.body.innerText.split('\n'), attributes, data };
  });
}

/**
 * One page in the pseudo-language at phone width: it must say lang="en-XA", must not scroll
 * sideways, and every English word left is recorded under its name (the final tests
 * fail with the list). Also a phone screenshot, pseudo-<name>-phone.png.
 */
async function pseudoCheck(page: Page, name: string, data: string[] = []) {
  await page.waitForLoadState('load');
  await page.setViewportSize(PHONE);
  const lang = (await page.getAttribute('html', 'lang')) ?? '';
  const { scrollWidth, clientWidth } = await page.evaluate(() => {
    const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
    return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth };
  });
  const overflow = scrollWidth > clientWidth ? [`${scrollWidth} px of content in ${clientWidth} px`] : [];
  // Which elements stick out, to say where to look.
  if (overflow.length) {
    overflow.push(
      ...(await page.evaluate((width) => {
        const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<{ tagName: string; className: string; id: string; getBoundingClientRect(): { right: number } }> } }).document;
        return Array.from(doc.querySelectorAll('body *'))
          .filter((el) => el.getBoundingClientRect().right > width + 1)
          .slice(0, 5)
          .map((el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className ? `.${String(el.className).split(' ').join('.')}` : ''}`);
      }, clientWidth)),
    );
  }
  const texts = await readableTexts(page);
  data = [...data, ...texts.data];
  const leftovers = englishLeftovers([...texts.lines, ...texts.attributes], data);
  // Each with the line (or attribute) that holds it, so it can be found in src/.
  const where = (text: string, attribute: boolean) => {
    const words = englishLeftovers([text], data);
    return words.length ? `${words.join(', ')}  <-  ${attribute ? '[attribute] ' : ''}"${text.trim()}"` : '';
  };
  const found = [...texts.lines.map((line) => where(line, false)), ...texts.attributes.map((text) => where(text, true))].filter(Boolean);
  reports.set(name, { path: pathOf(page), lang, overflow, leftovers: [...new Set(found)] });
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `pseudo-${name}-phone.png`), fullPage: true });
  expect(lang, `${name} speaks the pseudo-language`).toBe(PSEUDO);
  return leftovers;
}

async function submit(page: Page, form: string, expectedPath?: string | RegExp) {
  await clickAndLoad(page, () => page.locator(`${form} [type=submit]`).first().click(), expectedPath);
}

// Plays the authenticator app: a code from a later step each time (a code works once).
function authenticatorApp(key: Uint8Array) {
  const stepMs = TOTP_PERIOD_SECONDS * 1000;
  let lastStep = -Infinity;
  return async function nextCode(): Promise<string> {
    for (;;) {
      const intoStep = Date.now() % stepMs;
      if (intoStep > stepMs - 5000) await new Promise((r) => setTimeout(r, stepMs - intoStep + 100));
      const current = totpStep(Date.now());
      const step = Math.max(current - 1, lastStep + 1);
      if (step <= current + 1) {
        lastStep = step;
        return generateTotpCode(key, step * stepMs);
      }
      await new Promise((r) => setTimeout(r, stepMs - (Date.now() % stepMs) + 100));
    }
  };
}

describe('the pseudo-language en-XA at phone width', () => {
  let browser: Browser;
  let anon: TestPage;
  let member: TestPage;
  let staff: TestPage;
  const person = uniqueUser('pseudo');
  const chief = uniqueUser('chief');
  let nextCode: () => Promise<string>;

  beforeAll(async () => {
    browser = await launchBrowser();
    anon = await openPage(browser, { viewport: PHONE });
    await setLanguage(anon.context, PSEUDO);
  });

  afterAll(async () => {
    // The list to work from, page by page, whatever happened above.
    const leftovers = [...reports].filter(([, r]) => r.leftovers.length);
    writeFileSync(join(RESULTS_DIR, 'i18n-leftovers.json'), JSON.stringify(Object.fromEntries(reports), null, 2));
    if (leftovers.length) console.warn(`English left in en-XA (${leftovers.length} of ${reports.size} pages):\n${leftovers.map(([name, r]) => `  ${name} (${r.path}):\n${r.leftovers.map((l) => `    - ${l}`).join('\n')}`).join('\n')}`);
    await browser?.close();
  });

  it('signed out: home, sign-in (and its errors), sign-up, the code pages, password reset, 404', async () => {
    const { page } = anon;
    await page.goto('/');
    await pseudoCheck(page, 'home');
    await page.goto('/login');
    await pseudoCheck(page, 'login');
    await page.locator('input[name=login]').fill(person.username);
    await page.locator('input[name=password]').fill('not-the-password');
    await submit(page, 'form[action^="/login"]', '/login');
    await pseudoCheck(page, 'login-wrong-password');
    await page.goto('/login/code');
    await pseudoCheck(page, 'login-code-request');
    const nobody = `nobody.${Date.now()}@example.test`;
    await page.locator('input[name=email]').fill(nobody);
    await submit(page, 'form[action^="/login/code"]');
    await pseudoCheck(page, 'login-code', [nobody]);
    await page.goto('/password-reset');
    await pseudoCheck(page, 'password-reset');
    await page.locator('input[name=email]').fill(`nobody.${Date.now()}@example.test`);
    await submit(page, 'form[action="/password-reset"]');
    await pseudoCheck(page, 'password-reset-sent');
    await page.goto('/register');
    await pseudoCheck(page, 'register');
    // Too short a password: the form's errors.
    const stranger = uniqueUser('pseudo');
    await page.locator('input[name=username]').fill(stranger.username);
    await page.locator('input[name=email]').fill(stranger.email);
    await page.locator('input[name=password]').fill('short');
    await page.locator('input[name=passwordConfirm]').fill('short');
    await submit(page, 'form[action="/register"]', '/register');
    await pseudoCheck(page, 'register-errors');
    await page.locator('input[name=password]').fill(PASSWORD);
    await page.locator('input[name=passwordConfirm]').fill(PASSWORD);
    await submit(page, 'form[action="/register"]', '/register/code');
    await pseudoCheck(page, 'register-code', [stranger.email]);
    const missing = await page.goto('/no-such-page');
    expect(missing?.status()).toBe(404);
    await pseudoCheck(page, 'not-found');
  });

  it('signed in: dashboard, profile, account, sessions, activity, sign-in methods, export, delete', async () => {
    member = await openPage(browser);
    // Signed up in English (the helpers read the English mail), then switched.
    await signUp(member.page, person);
    await setLanguage(member.context, PSEUDO);
    const { page } = member;
    const data = [person.username, person.email];
    for (const [name, path] of [
      ['dashboard', '/dashboard'],
      ['profile', '/profile'],
      ['edit-profile', '/edit_profile'],
      ['account', '/account'],
      ['password', '/account/password'],
      ['sessions', '/account/sessions'],
      ['activity', '/account/activity'],
      ['sign-in-methods', '/account/sign-in-methods'],
      ['export', '/account/export'],
      ['delete-account', '/account/delete'],
      ['logout', '/logout'],
    ] as const) {
      await page.goto(path);
      await pseudoCheck(page, name, data);
    }
    // A wrong current password on the password form.
    await page.goto('/account/password');
    await page.locator('input[name=currentPassword]').fill('not-the-password');
    await page.locator('form[action="/account/password"] input[name=password]').fill('Another-long-passphrase-11');
    await page.locator('input[name=passwordConfirm]').fill('Another-long-passphrase-11');
    await submit(page, 'form[action="/account/password"]');
    await pseudoCheck(page, 'password-wrong-password', data);
  });

  it('without a password: confirming it is you by other means', async () => {
    const codes = await openPage(browser);
    const user = uniqueUser('pseudo');
    // Signed up in English with the emailed code and no password, then switched.
    await codes.page.goto('/register');
    await fillRegisterForm(codes.page, { ...user, password: '' });
    await clickAndLoad(codes.page, () => codes.page.getByRole('button', { name: 'Create account' }).click(), '/register/code');
    await enterSignUpCode(codes.page, user.email);
    await setLanguage(codes.context, PSEUDO);
    await codes.page.goto('/account/confirm?next=/account/export');
    expect(pathOf(codes.page)).toBe('/account/confirm');
    await pseudoCheck(codes.page, 'confirm-identity', [user.username, user.email]);
    await codes.page.goto('/account/security');
    await pseudoCheck(codes.page, 'security-no-password', [user.username, user.email]);
    await codes.context.close();
  });

  it('the password-reset link from the mail', async () => {
    const reset = await openPage(browser);
    // Asked for in English (so the mail is), opened in the pseudo-language.
    await reset.page.goto('/password-reset');
    await reset.page.getByLabel('Email address').fill(person.email);
    await clickAndLoad(reset.page, () => reset.page.getByRole('button', { name: 'Send me a link' }).click(), '/password-reset');
    await setLanguage(reset.context, PSEUDO);
    await openMailLink(reset.page, person.email, 'Reset your Edge Accounts password');
    expect(pathOf(reset.page)).toBe('/password-reset/confirm');
    await pseudoCheck(reset.page, 'password-reset-confirm', [person.username, person.email]);
    await reset.context.close();
  });

  it('security: two-factor setup, recovery codes, turning off, passkeys, the two-factor sign-in', async () => {
    const { page } = member;
    const data = [person.username, person.email];
    await page.goto('/account/security');
    await pseudoCheck(page, 'security-off', data);
    await page.locator('form[action="/account/security/totp"] input[name=password]').fill('not-the-password');
    await submit(page, 'form[action="/account/security/totp"]');
    await pseudoCheck(page, 'security-wrong-password', data);
    await page.locator('form[action="/account/security/totp"] input[name=password]').fill(PASSWORD);
    await submit(page, 'form[action="/account/security/totp"]', '/account/security/totp/setup');
    await pseudoCheck(page, 'totp-setup', data);
    nextCode = authenticatorApp(parseTotpKey((await page.locator('#totp-key').textContent())!));
    await page.locator('input[name=code]').fill('000000');
    await submit(page, 'form[action="/account/security/totp/setup"]', '/account/security/totp/setup');
    await pseudoCheck(page, 'totp-setup-errors', data);
    await page.locator('input[name=code]').fill(await nextCode());
    await submit(page, 'form[action="/account/security/totp/setup"]', '/account/security/totp/setup');
    await pseudoCheck(page, 'recovery-codes', data);
    for (const [name, path] of [
      ['security-on', '/account/security'],
      ['recovery-codes-new', '/account/security/recovery-codes'],
      ['totp-disable', '/account/security/totp/disable'],
      ['passkeys', '/account/security/passkeys'],
    ] as const) {
      await page.goto(path);
      await pseudoCheck(page, name, data);
    }
    // Signed out, and in again: the two-factor step.
    await page.goto('/logout');
    await submit(page, 'form[action="/logout"]', '/');
    await pseudoCheck(page, 'signed-out');
    await page.goto('/login');
    await page.locator('input[name=login]').fill(person.username);
    await page.locator('input[name=password]').fill(PASSWORD);
    await submit(page, 'form[action^="/login"]', '/login/two-factor');
    await pseudoCheck(page, 'two-factor-sign-in', data);
    await page.locator('input[name=code]').fill(await nextCode());
    await submit(page, 'form[action="/login/two-factor"]', '/dashboard');
  });

  it('the staff area', async () => {
    const created = await createSuperuser(chief.username, chief.email);
    expect(created.code, created.output).toBe(0);
    staff = await openPage(browser);
    await staff.page.goto('/');
    await signIn(staff.page, chief.username, PASSWORD);
    await setLanguage(staff.context, PSEUDO);
    const { page } = staff;
    const data = [chief.username, chief.email, person.username, person.email];
    await page.goto('/admin/users');
    await pseudoCheck(page, 'admin-users', data);
    await page.goto(`/admin/users?q=${encodeURIComponent(person.username)}`);
    await clickAndLoad(page, () => page.locator(`a[href^="/admin/users/"]`).filter({ hasText: person.username }).first().click(), /^\/admin\/users\/[0-9a-f]+$/);
    await pseudoCheck(page, 'admin-user', data);
    // A staff action asks for the password first.
    await submit(page, 'form[action$="/deactivate"]');
    await pseudoCheck(page, 'admin-sudo', data);
    await page.goto('/admin/audit');
    await pseudoCheck(page, 'admin-audit', data);
  });

  it('no page scrolls sideways at 390 px', () => {
    const wide = [...reports].filter(([, r]) => r.overflow.length).map(([name, r]) => `${name} (${r.path}): ${r.overflow.join('; ')}`);
    expect(wide).toEqual([]);
  });

  it('no English is left (the list: test-results/i18n-leftovers.json)', () => {
    const left = [...reports].filter(([, r]) => r.leftovers.length).map(([name, r]) => `${name} (${r.path}): ${r.leftovers.join(' | ')}`);
    expect(left).toEqual([]);
  });
});

// Where the text of an element's first line sits inside it: right to left puts a
// start-aligned heading's text against its right edge.
async function textSide(page: Page, selector: string): Promise<{ box: { left: number; right: number }; text: { left: number; right: number } }> {
  return page.locator(selector).first().evaluate((el) => {
    const doc = (globalThis as unknown as { document: { createRange(): { selectNodeContents(n: unknown): void; getBoundingClientRect(): { left: number; right: number } } } }).document;
    const range = doc.createRange();
    range.selectNodeContents(el);
    const box = (el as unknown as { getBoundingClientRect(): { left: number; right: number } }).getBoundingClientRect();
    const text = range.getBoundingClientRect();
    return { box: { left: box.left, right: box.right }, text: { left: text.left, right: text.right } };
  });
}

async function expectMirrored(page: Page, name: string) {
  expect(await page.getAttribute('html', 'dir'), `${name} is right to left`).toBe('rtl');
  expect(await page.getAttribute('html', 'lang')).toBe('ar');
  const { box, text } = await textSide(page, 'main h1');
  // Start-aligned, so on the right; and not stretched across the whole line.
  expect(Math.abs(box.right - text.right), `${name}: the heading's text ends at its right edge`).toBeLessThan(3);
  expect(text.left - box.left, `${name}: room on the heading's left`).toBeGreaterThan(20);
}

const MAIN_PAGES = [
  ['login', '/login'],
  ['register', '/register'],
  ['dashboard', '/dashboard'],
  ['profile', '/profile'],
  ['security', '/account/security'],
  ['sessions', '/account/sessions'],
  ['activity', '/account/activity'],
] as const;
const SIGNED_OUT = new Set(['login', 'register']);

// axe (checkPage: desktop, dark theme, phone; known-a11y-issues.ts only) on the main pages,
// in Arabic (right to left, and its screenshots) and in German (long words).
for (const language of ['ar', 'de'] as const) {
  describe(`${language === 'ar' ? 'Arabic' : 'German'} pages`, () => {
    let browser: Browser;
    let visitor: TestPage;
    let member: TestPage;

    beforeAll(async () => {
      browser = await launchBrowser();
      visitor = await openPage(browser);
      await setLanguage(visitor.context, language);
      member = await openPage(browser);
      await signUp(member.page, uniqueUser(language));
      await setLanguage(member.context, language);
    });
    afterAll(async () => {
      await browser?.close();
    });

    for (const [name, path] of MAIN_PAGES) {
      it(`${name}: axe finds nothing new${language === 'ar' ? ', right to left and mirrored' : ''}`, async () => {
        const { page } = SIGNED_OUT.has(name) ? visitor : member;
        await page.goto(path);
        expect(pathOf(page)).toBe(path);
        expect(await page.getAttribute('html', 'lang')).toBe(language);
        if (language === 'ar') await expectMirrored(page, name);
        await checkPage(page, `${language}-${name}`);
      });
    }
  });
}
