// Keeping an account safe, through the pages: the signed-in devices list, changing the
// password, a forgotten password reset through the emailed link (the development mailbox
// at /dev/mail stands in for the inbox), and deleting the account.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  NEW_PASSWORD,
  PASSWORD,
  accountNav,
  checkPage,
  clickAndLoad,
  expectNoProblems,
  fixture,
  imageState,
  launchBrowser,
  openMailLink,
  openPage,
  pathOf,
  s3ObjectStatus,
  signIn,
  signOut,
  signUp,
  uniqueUser,
  type TestPage,
} from './helpers';

// The second device, as the sessions list should name it.
const FIREFOX_ON_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0';

async function goToAccount(page: Page) {
  if (pathOf(page) !== '/dashboard') await page.goto('/dashboard');
  await clickAndLoad(page, () => page.getByRole('link', { name: 'Account and security' }).click(), '/account');
}

async function signInFails(page: Page, login: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('Username or email').fill(login);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await clickAndLoad(page, () => page.getByRole('button', { name: 'Sign in', exact: true }).click(), '/login');
  await expect.poll(() => page.getByRole('alert').textContent()).toContain('Your username/email or password is wrong.');
  await page.goto('/');
}

describe('account lifecycle', () => {
  let browser: Browser;
  const opened: TestPage[] = [];
  const open = async (options = {}) => {
    const t = await openPage(browser, options);
    opened.push(t);
    return t;
  };

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('lists signed-in devices, signs another one out, and changes the password', async () => {
    const user = uniqueUser('devices');
    const here = await open();
    const phone = await open({ userAgent: FIREFOX_ON_WINDOWS });
    await signUp(here.page, user);
    await phone.page.goto('/');
    await signIn(phone.page, user.username, PASSWORD);

    await goToAccount(here.page);
    await checkPage(here.page, 'account');
    await clickAndLoad(here.page, () => here.page.getByRole('link', { name: 'Where you are signed in' }).click(), '/account/sessions');
    const rows = here.page.getByRole('table').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    await expect(rows.filter({ hasText: 'This device' }).count()).resolves.toBe(1);
    await expect(rows.filter({ hasText: 'Firefox on Windows' }).count()).resolves.toBe(1);
    await checkPage(here.page, 'sessions');

    await clickAndLoad(here.page, () => here.page.getByRole('button', { name: 'Sign out Firefox on Windows' }).click(), '/account/sessions');
    await expect.poll(() => here.page.getByRole('status').textContent()).toBe('That session has been signed out.');
    await expect.poll(() => rows.count()).toBe(1);
    await here.page.getByText('This is the only device signed in to your account.').waitFor();
    // The other device is signed out: its next page asks to sign in.
    await phone.page.goto('/dashboard');
    expect(pathOf(phone.page)).toBe('/login');

    // Change the password; the other device (signed in again) is signed out by it.
    await phone.page.goto('/');
    await signIn(phone.page, user.username, PASSWORD);
    await goToAccount(here.page);
    await clickAndLoad(here.page, () => here.page.getByRole('link', { name: 'Change password' }).click(), '/account/password');
    await checkPage(here.page, 'password-change');
    await here.page.getByLabel('Current password').fill('Not-my-password-1');
    await here.page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await here.page.getByLabel('Confirm new password').fill(NEW_PASSWORD);
    await clickAndLoad(here.page, () => here.page.getByRole('button', { name: 'Change password' }).click(), '/account/password');
    const current = here.page.getByLabel('Current password');
    await expect(current.getAttribute('aria-invalid')).resolves.toBe('true');
    const errorId = ((await current.getAttribute('aria-describedby')) ?? '').split(/\s+/).find((id) => id.endsWith('-error'));
    expect(errorId, 'the current-password error is linked to its field').toBeTruthy();
    expect((await here.page.locator(`[id="${errorId}"]`).textContent())?.trim()).toBeTruthy();
    await checkPage(here.page, 'password-change-errors');

    await current.fill(PASSWORD);
    await here.page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await here.page.getByLabel('Confirm new password').fill(NEW_PASSWORD);
    await clickAndLoad(here.page, () => here.page.getByRole('button', { name: 'Change password' }).click(), '/account');
    await expect.poll(() => here.page.getByRole('status').textContent()).toBe('Your password has been changed. 1 other session was signed out.');

    await phone.page.goto('/dashboard');
    expect(pathOf(phone.page)).toBe('/login');
    await signInFails(phone.page, user.username, PASSWORD);
    await signIn(phone.page, user.username, NEW_PASSWORD);
    // Still signed in here.
    await here.page.goto('/dashboard');
    expect(pathOf(here.page)).toBe('/dashboard');
    expectNoProblems(here);
    expectNoProblems(phone);
  });

  it('resets a forgotten password with the emailed link, then deletes the account and its picture', async () => {
    const user = uniqueUser('forgot');
    const t = await open();
    const { page } = t;
    await signUp(page, user);
    // A picture, to see it go with the account.
    await page.goto('/profile');
    await page.getByLabel('Upload a new picture').setInputFiles(fixture('small.png'));
    await clickAndLoad(page, () => page.getByRole('button', { name: 'Save changes' }).click(), '/dashboard');
    const avatar = await imageState(page, page.getByRole('img', { name: `Profile picture of ${user.username}` }));
    expect(avatar.src).toMatch(/^\/media\/avatars\//);
    expect(avatar.naturalWidth).toBeGreaterThan(0);
    const keys = [avatar.src, avatar.src.replace(/\.webp$/, '-96.webp')].map((src) => src.slice('/media/'.length));
    for (const key of keys) expect(await s3ObjectStatus(key), `${key} is in the bucket`).toBe(200);
    await signOut(page);

    // Forgot it: from the sign-in page.
    await clickAndLoad(page, () => accountNav(page).getByRole('link', { name: 'Sign in' }).click(), '/login');
    await clickAndLoad(page, () => page.getByRole('link', { name: 'Forgot your password?' }).click(), '/password-reset');
    await checkPage(page, 'password-reset');
    await page.getByLabel('Email address').fill(user.email);
    await clickAndLoad(page, () => page.getByRole('button', { name: 'Send me a link' }).click(), '/password-reset');
    await expect.poll(() => page.getByRole('status').textContent()).toContain('If an account uses that address, we have sent it a link');
    await checkPage(page, 'password-reset-sent');

    const link = await openMailLink(page, user.email, 'Reset your Edge Accounts password');
    // The token left the address bar at once.
    expect(page.url()).toBe(new URL('/password-reset/confirm', link).toString());
    await page.getByRole('heading', { level: 1, name: 'Choose a new password' }).waitFor();
    await checkPage(page, 'password-reset-confirm');
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('Confirm new password').fill(NEW_PASSWORD);
    await clickAndLoad(page, () => page.getByRole('button', { name: 'Set new password' }).click(), '/login');
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Your password has been changed');

    // The link works once.
    const again = await page.goto(link);
    expect(again?.status()).toBe(400);
    await page.getByRole('heading', { level: 1, name: 'This link no longer works' }).waitFor();
    await checkPage(page, 'link-invalid');

    await page.goto('/');
    await signInFails(page, user.username, PASSWORD);
    await signIn(page, user.email, NEW_PASSWORD);

    // Delete the account: a wrong password deletes nothing.
    await goToAccount(page);
    await clickAndLoad(page, () => page.getByRole('link', { name: 'Delete my account…' }).click(), '/account/delete');
    await checkPage(page, 'account-delete');
    await page.getByLabel('Your password, to confirm').fill(PASSWORD);
    await clickAndLoad(page, () => page.getByRole('button', { name: 'Delete my account' }).click(), '/account/delete');
    await page.getByText('That password is wrong, so nothing was deleted.').waitFor();
    await expect(page.getByLabel('Your password, to confirm').getAttribute('aria-invalid')).resolves.toBe('true');
    await checkPage(page, 'account-delete-errors');

    await page.getByLabel('Your password, to confirm').fill(NEW_PASSWORD);
    await clickAndLoad(page, () => page.getByRole('button', { name: 'Delete my account' }).click(), '/');
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Your account and everything in it has been deleted.');
    await accountNav(page).getByRole('link', { name: 'Sign in' }).waitFor();

    // Gone: the dashboard asks to sign in, the username and email no longer work.
    await page.goto('/dashboard');
    expect(pathOf(page)).toBe('/login');
    await signInFails(page, user.username, NEW_PASSWORD);
    // The picture's objects are gone from the bucket.
    for (const key of keys) expect(await s3ObjectStatus(key), `${key} was deleted from the bucket`).toBe(404);
    // And from this location's edge cache: the deletion purged the cached copy too.
    const media = await page.request.get(avatar.src);
    expect(media.status(), `${avatar.src} after the account was deleted`).toBe(404);
    expectNoProblems(t);
  });
});
