// Mistakes people make and pages they stumble on: errors shown beside the field with the
// rest of the input kept, a wrong password, a refused picture, sign-in-required pages,
// old addresses, and the 404 page.
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import {
  PASSWORD,
  accountNav,
  checkPage,
  clickAndLoad,
  enterSignUpCode,
  expectNoProblems,
  fillRegisterForm,
  fixture,
  imageState,
  launchBrowser,
  openPage,
  pathOf,
  signUp,
  uniqueUser,
  type TestPage,
} from './helpers';

// The error messages linked to a field through aria-describedby, as a screen reader
// would announce them, and whether they sit inside the field's own box.
async function fieldErrors(field: Locator): Promise<{ invalid: string | null; messages: string[]; beside: boolean }> {
  const invalid = await field.getAttribute('aria-invalid');
  const ids = ((await field.getAttribute('aria-describedby')) ?? '').split(/\s+/).filter(Boolean);
  const messages: string[] = [];
  let beside = ids.length > 0;
  for (const id of ids) {
    const described = field.page().locator(`[id="${id}"]`);
    if ((await described.getAttribute('role')) !== 'alert') continue;
    messages.push(...(await described.locator('li').allTextContents()).map((m) => m.trim()));
    // Same wrapper as the input: shown right next to it.
    beside &&= await described.evaluate((el, input) => el.parentElement === (input as unknown as { parentElement: unknown }).parentElement, await field.elementHandle());
  }
  return { invalid, messages, beside: beside && messages.length > 0 };
}

describe('forms and error pages', () => {
  let browser: Browser;
  let t: TestPage;
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    t = await openPage(browser);
    page = t.page;
  });
  afterEach(async () => {
    await t.context.close();
  });

  it('sign-up with mismatching passwords: the error is beside the field, the other input is kept', async () => {
    const user = uniqueUser('mismatch');
    await page.goto('/register');
    await fillRegisterForm(page, user, `${user.password}-typo`);
    const response = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/register');
    await clickAndLoad(page, () => page.getByRole('button', { name: 'Create account' }).click(), '/register');
    expect((await response).status()).toBe(422);

    const confirm = page.getByLabel('Confirm password', { exact: true });
    expect(await fieldErrors(confirm)).toEqual({ invalid: 'true', messages: ['The two passwords do not match.'], beside: true });
    await expect(page.getByText('The two passwords do not match.').isVisible()).resolves.toBe(true);
    // The other fields are fine and keep what was typed; passwords are never sent back.
    expect(await page.getByLabel('Username', { exact: true }).inputValue()).toBe(user.username);
    expect(await page.getByLabel('Email address', { exact: true }).inputValue()).toBe(user.email);
    expect(await page.getByLabel('Password', { exact: true }).inputValue()).toBe('');
    expect(await confirm.inputValue()).toBe('');
    expect((await fieldErrors(page.getByLabel('Username', { exact: true }))).invalid).toBeNull();
    await checkPage(page, 'register-errors');

    // Fixing it is enough: the kept values go through with the passwords typed again.
    await page.getByLabel('Password', { exact: true }).fill(user.password);
    await confirm.fill(user.password);
    await clickAndLoad(page, () => page.getByRole('button', { name: 'Create account' }).click(), '/register/code');
    // Then the emailed code, as every sign-up (SIGN_UP_CONFIRMATION=before).
    await enterSignUpCode(page, user.email);
    await page.getByRole('heading', { level: 1, name: user.username }).waitFor();
    expectNoProblems(t);
  });

  it('sign-in with an empty form and then a wrong password says so and keeps the login', async () => {
    await page.goto('/login');
    await clickAndLoad(page, () => page.getByRole('button', { name: 'Sign in', exact: true }).click(), '/login');
    expect(await fieldErrors(page.getByLabel('Username or email'))).toEqual({ invalid: 'true', messages: ['Enter your username or email.'], beside: true });
    expect(await fieldErrors(page.getByLabel('Password', { exact: true }))).toEqual({ invalid: 'true', messages: ['Enter your password.'], beside: true });
    await checkPage(page, 'login-errors');

    const stranger = uniqueUser('nobody');
    await page.getByLabel('Username or email').fill(stranger.username);
    await page.getByLabel('Password', { exact: true }).fill('Not-the-right-one-1');
    await clickAndLoad(page, () => page.getByRole('button', { name: 'Sign in', exact: true }).click(), '/login');
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent()).toContain('Your username/email or password is wrong.');
    expect(await page.getByLabel('Username or email').inputValue()).toBe(stranger.username);
    expect(await page.getByLabel('Password', { exact: true }).inputValue()).toBe('');
    await checkPage(page, 'login-wrong-password');
    expectNoProblems(t);
  });

  it('a page that needs an account sends a visitor to sign in and back; a refused picture; 404 and /logout signed in', async () => {
    const user = uniqueUser('next');
    await signUp(page, user);
    await signOutQuietly(page);

    await page.goto('/profile');
    expect(pathOf(page)).toBe('/login');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/profile');
    await page.getByLabel('Username or email').fill(user.email);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await clickAndLoad(page, () => page.getByRole('button', { name: 'Sign in', exact: true }).click(), '/profile');
    await page.getByRole('heading', { level: 1, name: 'Edit profile' }).waitFor();

    // A picture that is not one (SVG) is refused beside the file field; nothing changes.
    await page.getByLabel('Upload a new picture').setInputFiles(fixture('vector.svg'));
    await clickAndLoad(page, () => page.getByRole('button', { name: 'Save changes' }).click(), '/profile');
    const avatarField = await fieldErrors(page.getByLabel('Upload a new picture'));
    expect(avatarField.invalid).toBe('true');
    expect(avatarField.beside).toBe(true);
    expect(avatarField.messages).toHaveLength(1);
    expect(await page.getByLabel('Email address').inputValue()).toBe(user.email);
    expect((await imageState(page, page.getByRole('img', { name: `Profile picture of ${user.username}` }))).src).toBe('/static/default-avatar.svg');
    await checkPage(page, 'profile-errors');

    // A wrong address keeps a signed-in person signed in.
    const missing = await page.goto('/dashboard/nothing-here');
    expect(missing?.status()).toBe(404);
    await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
    await accountNav(page).getByRole('link', { name: user.username }).waitFor();
    await checkPage(page, '404-signed-in');

    // An old link to /logout asks before signing out.
    await page.goto('/logout');
    await page.getByRole('heading', { level: 1, name: 'Sign out?' }).waitFor();
    await checkPage(page, 'logout');
    await clickAndLoad(page, () => page.getByRole('main').getByRole('button', { name: 'Sign out' }).click(), '/');
    await accountNav(page).getByRole('link', { name: 'Sign in' }).waitFor();
    expectNoProblems(t);
  });

  it("sign-up and sign-in link to each other; the original app's addresses still work", async () => {
    await page.goto('/register/');
    expect(pathOf(page)).toBe('/register');
    await clickAndLoad(page, () => page.getByRole('main').getByRole('link', { name: 'Sign in' }).click(), '/login');
    await clickAndLoad(page, () => page.getByRole('main').getByRole('link', { name: 'Create an account' }).click(), '/register');
    await page.goto('/login/');
    expect(pathOf(page)).toBe('/login');
    await page.goto('/edit_profile/');
    // Signed out: the profile asks to sign in first.
    expect(pathOf(page)).toBe('/login');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/profile');
    expectNoProblems(t);
  });

  it('an unknown address shows the 404 page, with a way home', async () => {
    const response = await page.goto('/no/such/page');
    expect(response?.status()).toBe(404);
    await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
    await expect(page.title()).resolves.toBe('Page not found · Edge Accounts');
    await checkPage(page, '404');
    await clickAndLoad(page, () => page.getByRole('main').getByRole('link', { name: 'Home' }).click(), '/');
    expectNoProblems(t);
  });
});

async function signOutQuietly(page: Page) {
  await clickAndLoad(page, () => accountNav(page).getByRole('button', { name: 'Sign out' }).click(), '/');
}
