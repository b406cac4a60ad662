// Codes by email through the real pages: a sign-up without a password that the emailed code
// completes (a wrong code first, then the code pasted as a person copies it), a sign-in with
// a code asked for from the sign-in page, and the mail's link opened in another browser,
// where a button (not the link alone) signs that browser in.
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accountNav,
  checkPage,
  clickAndLoad,
  dashboardEmail,
  expectNoProblems,
  launchBrowser,
  openPage,
  pathOf,
  readMailedCode,
  signOut,
  uniqueUser,
  type TestPage,
} from './helpers';

const codeField = (page: Page) => page.getByLabel('Code', { exact: true });

// The error messages a screen reader announces with the field (aria-describedby -> role="alert").
async function linkedErrors(field: Locator): Promise<string[]> {
  const ids = ((await field.getAttribute('aria-describedby')) ?? '').split(/\s+/).filter(Boolean);
  const messages: string[] = [];
  for (const id of ids) {
    const described = field.page().locator(`[id="${id}"]`);
    if ((await described.getAttribute('role')) === 'alert') messages.push(((await described.textContent()) ?? '').replace(/\s+/g, ' ').trim());
  }
  return messages;
}

// The code field as password managers and OTP autofill look for it, with the keyboard in it.
async function expectCodeField(page: Page) {
  const field = codeField(page);
  await expect(field.getAttribute('autocomplete')).resolves.toBe('one-time-code');
  await expect(field.evaluate((el) => el === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement)).resolves.toBe(true);
}

// Another code of the same shape: one letter changed, so surely not the one sent.
function wrongCode(code: string): string {
  return `${code.slice(0, -1)}${code.endsWith('X') ? 'Y' : 'X'}`;
}

// What a person does: copy the text, click the field, paste.
async function pasteInto(page: Page, field: Locator, text: string) {
  await page.evaluate((value) => (globalThis as unknown as { navigator: { clipboard: { writeText(v: string): Promise<void> } } }).navigator.clipboard.writeText(value), text);
  await field.click();
  await page.keyboard.press('ControlOrMeta+V');
}

describe('codes by email', () => {
  let browser: Browser;
  let t: TestPage;
  // No password: the emailed codes are how this account signs in.
  const user = uniqueUser('codes');

  beforeAll(async () => {
    browser = await launchBrowser();
    t = await openPage(browser, { permissions: ['clipboard-read', 'clipboard-write'] });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('signs up without a password: a wrong code is refused beside the field, the pasted grouped code creates the account', async () => {
    const { page } = t;
    await page.goto('/');
    await clickAndLoad(page, () => accountNav(page).getByRole('link', { name: 'Sign up' }).click(), '/register');
    await page.getByLabel('Username', { exact: true }).fill(user.username);
    await page.getByLabel('Email address', { exact: true }).fill(user.email);
    await clickAndLoad(page, () => page.getByRole('button', { name: 'Create account' }).click(), '/register/code');

    await page.getByRole('heading', { level: 1, name: 'Confirm your email address' }).waitFor();
    await page.getByText(`We sent a code to ${user.email}`).waitFor();
    // Not yet an account: nobody is signed in.
    await accountNav(page).getByRole('link', { name: 'Sign in' }).waitFor();
    await expectCodeField(page);
    await checkPage(page, 'register-code');

    const mail = await readMailedCode(t.context, user.email, 'sign-up');
    expect(mail.text).toContain(`Hello ${user.username}`);
    expect(mail.link).toMatch(/\/email-link\?token=/);

    // A wrong code: refused, said beside the field and announced with it; still no account.
    await codeField(page).fill(wrongCode(mail.code));
    const refused = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/register/code');
    await clickAndLoad(page, () => page.getByRole('button', { name: 'Create account' }).click(), '/register/code');
    expect((await refused).status()).toBe(401);
    await expect(codeField(page).getAttribute('aria-invalid')).resolves.toBe('true');
    expect(await linkedErrors(codeField(page))).toEqual(['That code is not right. Check the newest email and try again (4 tries left).']);
    await expectCodeField(page);
    await checkPage(page, 'register-code-wrong');

    // The right one, pasted grouped and in lower case as it may be copied: the dash or space
    // and the case do not matter, and the field is long enough to take it whole.
    const pasted = mail.code.toLowerCase().replace('-', ' ');
    await codeField(page).fill('');
    await pasteInto(page, codeField(page), pasted);
    await expect(codeField(page).inputValue()).resolves.toBe(pasted);
    await clickAndLoad(page, () => page.getByRole('button', { name: 'Create account' }).click(), '/dashboard');
    await expect.poll(() => page.getByRole('status').textContent()).toContain(`Welcome, ${user.username}! Your address is confirmed and your account is ready.`);
    await page.getByRole('heading', { level: 1, name: user.username }).waitFor();
    expect(await dashboardEmail(page)).toEqual({ email: user.email, badge: 'Verified' });

    // The code and the link are one: the link, opened now, has been used up.
    const spent = await page.goto(mail.link!);
    expect(spent?.status()).toBe(400);
    await page.getByRole('heading', { level: 1, name: 'This link no longer works' }).waitFor();
    await checkPage(page, 'email-link-expired');
    await page.goto('/dashboard');
    expectNoProblems(t);
  });

  it('signs in with a code from the sign-in page’s "Email me a sign-in code"', async () => {
    const { page } = t;
    await signOut(page);
    await clickAndLoad(page, () => accountNav(page).getByRole('link', { name: 'Sign in' }).click(), '/login');
    await clickAndLoad(page, () => page.getByRole('link', { name: 'Email me a sign-in code' }).click(), '/login/code');
    await page.getByRole('heading', { level: 1, name: 'Sign in with a code' }).waitFor();
    await checkPage(page, 'login-code');

    await page.getByLabel('Email address', { exact: true }).fill(user.email);
    await clickAndLoad(page, () => page.getByRole('button', { name: 'Email me a sign-in code' }).click(), '/login/code/enter');
    await page.getByRole('heading', { level: 1, name: 'Enter your sign-in code' }).waitFor();
    await page.getByText(`We sent a code to ${user.email}`).waitFor();
    await expectCodeField(page);
    await checkPage(page, 'login-code-enter');

    const { code } = await readMailedCode(t.context, user.email, 'sign-in');
    await codeField(page).fill(code);
    await clickAndLoad(page, () => page.getByRole('main').getByRole('button', { name: 'Sign in', exact: true }).click(), '/dashboard');
    await page.getByRole('heading', { level: 1, name: user.username }).waitFor();
    await accountNav(page).getByRole('link', { name: user.username }).waitFor();
    expectNoProblems(t);
  });

  it('the link from the sign-in mail, opened in another browser, shows a button that signs that browser in', async () => {
    const { page } = t;
    await signOut(page);
    await page.goto('/login/code');
    await page.getByLabel('Email address', { exact: true }).fill(user.email);
    await clickAndLoad(page, () => page.getByRole('button', { name: 'Email me a sign-in code' }).click(), '/login/code/enter');
    const { code, link } = await readMailedCode(t.context, user.email, 'sign-in');
    expect(link).toMatch(/\/email-link\?token=/);

    // Another browser (say, the phone the mail was read on). Opening the link alone signs
    // nobody in: mail scanners open links too.
    const other = await openPage(browser);
    try {
      await other.page.goto(link!);
      expect(pathOf(other.page)).toBe('/email-link');
      await other.page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
      await other.page.getByText(`Press the button to sign in to the account of ${user.email} in this browser.`).waitFor();
      await accountNav(other.page).getByRole('link', { name: 'Sign in' }).waitFor();
      await checkPage(other.page, 'email-link');

      await clickAndLoad(other.page, () => other.page.getByRole('button', { name: 'Sign me in' }).click(), '/dashboard');
      await other.page.getByRole('heading', { level: 1, name: user.username }).waitFor();
      await accountNav(other.page).getByRole('link', { name: user.username }).waitFor();
      expectNoProblems(other);
    } finally {
      await other.context.close();
    }

    // The code went with the link: in the first browser it no longer signs in.
    await codeField(page).fill(code);
    await clickAndLoad(page, () => page.getByRole('main').getByRole('button', { name: 'Sign in', exact: true }).click(), '/login');
    await expect.poll(() => page.getByRole('status').textContent()).toContain('That code has expired. Please start again.');
    await accountNav(page).getByRole('link', { name: 'Sign in' }).waitFor();
    expectNoProblems(t);
  });
});
