// One person's account, from sign-up to signing in again, through the real pages:
// clicking links and buttons, typing into labelled fields, choosing a file.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PASSWORD,
  accountNav,
  checkPage,
  clickAndLoad,
  dashboardEmail,
  expectNoProblems,
  fixture,
  imageState,
  launchBrowser,
  openMailLink,
  openPage,
  signIn,
  signOut,
  signUp,
  uniqueUser,
  type TestPage,
} from './helpers';

const DEFAULT_AVATAR = '/static/default-avatar.svg';
const MEDIA_AVATAR = /^\/media\/avatars\/[^/]+\/[^/]+\.webp$/;

describe('an account from sign-up to signing in again', () => {
  let browser: Browser;
  let t: TestPage;
  const user = uniqueUser('journey');
  // Typed in mixed case; stored and shown in lower case.
  const newEmail = `Moved.${user.username}@Example.test`;

  beforeAll(async () => {
    browser = await launchBrowser();
    t = await openPage(browser);
  });

  afterAll(async () => {
    await browser?.close();
  });

  const largeAvatar = () => t.page.getByRole('img', { name: `Profile picture of ${user.username}` });
  const headerAvatar = () => accountNav(t.page).locator('img');

  it('shows the home page to a visitor', async () => {
    const response = await t.page.goto('/');
    expect(response?.status()).toBe(200);
    await expect(t.page.title()).resolves.toBe('Welcome · Edge Accounts');
    await t.page.getByRole('heading', { level: 1, name: 'Your account, close to you' }).waitFor();
    await checkPage(t.page, 'home');
    expectNoProblems(t);
  });

  // The sign-up's emailed code confirms the address (SIGN_UP_CONFIRMATION=before): the
  // account starts out verified. The confirmation link is exercised by the address change below.
  it('signs up with the emailed code and lands on the dashboard, address verified, with the default avatar', async () => {
    await signUp(t.page, user, { check: true });
    await expect.poll(() => t.page.getByRole('status').textContent()).toContain(`Welcome, ${user.username}! Your address is confirmed and your account is ready.`);
    await t.page.getByRole('heading', { level: 1, name: user.username }).waitFor();
    expect(await dashboardEmail(t.page)).toEqual({ email: user.email, badge: 'Verified' });

    const avatar = await imageState(t.page, largeAvatar());
    expect(avatar.src).toBe(DEFAULT_AVATAR);
    expect(avatar.naturalWidth).toBeGreaterThan(0);
    expect((await imageState(t.page, headerAvatar())).src).toBe(DEFAULT_AVATAR);
    await expect(accountNav(t.page).getByRole('link', { name: user.username }).isVisible()).resolves.toBe(true);

    await checkPage(t.page, 'dashboard');
    expectNoProblems(t);
  });

  it('uploads a picture on Edit profile, and the dashboard shows it', async () => {
    await clickAndLoad(t.page, () => t.page.getByRole('link', { name: 'Edit profile' }).click(), '/profile');
    await t.page.getByRole('heading', { level: 1, name: 'Edit profile' }).waitFor();
    expect((await imageState(t.page, largeAvatar())).src).toBe(DEFAULT_AVATAR);
    // No picture yet, so nothing to remove.
    expect(await t.page.getByLabel('Remove my picture and use the default').count()).toBe(0);
    await checkPage(t.page, 'profile');

    // Like a person: click the file field, pick the file in the chooser.
    const chooserOpened = t.page.waitForEvent('filechooser');
    await t.page.getByLabel('Upload a new picture').click();
    const chooser = await chooserOpened;
    expect(chooser.isMultiple()).toBe(false);
    await chooser.setFiles(fixture('photo-gps.jpg'));

    // The page previews the chosen file before it is sent.
    const preview = t.page.getByRole('img', { name: 'Preview of the chosen picture' });
    await preview.waitFor({ state: 'visible' });
    const previewState = await imageState(t.page, preview);
    expect(previewState.src).toMatch(/^blob:/);
    expect(previewState.naturalWidth).toBeGreaterThan(0);
    await checkPage(t.page, 'profile-picture-chosen');

    await clickAndLoad(t.page, () => t.page.getByRole('button', { name: 'Save changes' }).click(), '/dashboard');
    await expect.poll(() => t.page.getByRole('status').textContent()).toBe('Your profile has been saved.');

    // The new picture, served by the Worker from S3, square and at most 512 px.
    const avatar = await imageState(t.page, largeAvatar());
    expect(avatar.src).toMatch(MEDIA_AVATAR);
    expect(avatar.complete).toBe(true);
    expect(avatar.naturalWidth).toBeGreaterThan(0);
    expect(avatar.naturalWidth).toBe(avatar.naturalHeight);
    expect(avatar.naturalWidth).toBeLessThanOrEqual(512);
    const small = await imageState(t.page, headerAvatar());
    expect(small.src).toMatch(MEDIA_AVATAR);
    expect(small.src).not.toBe(avatar.src);
    expect(small.naturalWidth).toBeGreaterThan(0);

    const media = await t.page.request.get(avatar.src);
    expect(media.status()).toBe(200);
    expect(media.headers()['content-type']).toBe('image/webp');

    await checkPage(t.page, 'dashboard-with-picture');
    expectNoProblems(t);
  });

  it('changes the email address on Edit profile: it changes once the new address is confirmed', async () => {
    await clickAndLoad(t.page, () => t.page.getByRole('link', { name: 'Edit profile' }).click(), '/profile');
    const email = t.page.getByLabel('Email address');
    await expect(email.inputValue()).resolves.toBe(user.email);
    // Now there is a picture, it can be removed (left unticked here).
    await expect(t.page.getByLabel('Remove my picture and use the default').isChecked()).resolves.toBe(false);
    await checkPage(t.page, 'profile-with-picture');

    await email.fill(newEmail);
    // The step-up a new address needs.
    await t.page.getByLabel('Current password').fill(PASSWORD);
    await clickAndLoad(t.page, () => t.page.getByRole('button', { name: 'Save changes' }).click(), '/dashboard');
    const stored = newEmail.toLowerCase();
    await expect.poll(() => t.page.getByRole('status').textContent()).toContain(`We sent a confirmation link to ${stored}.`);
    // Not yet: the current address stays until the new one is confirmed.
    expect((await dashboardEmail(t.page)).email).toBe(user.email);

    // The link in the mail opens a page with a button (mail scanners open links too).
    await openMailLink(t.page, stored, 'Confirm your email address', { check: 'dev-mail' });
    expect(new URL(t.page.url()).pathname).toBe('/verify-email');
    await t.page.getByRole('heading', { level: 1, name: 'Confirm your email address' }).waitFor();
    await t.page.getByText(`Confirm that ${stored} is the email address of your account.`).waitFor();
    await checkPage(t.page, 'verify-email');
    await clickAndLoad(t.page, () => t.page.getByRole('button', { name: 'Confirm this address' }).click(), '/dashboard');
    await expect.poll(() => t.page.getByRole('status').textContent()).toContain(`Your email address is now ${stored}.`);
    expect(await dashboardEmail(t.page)).toEqual({ email: stored, badge: 'Verified' });
    // The picture stayed.
    expect((await imageState(t.page, largeAvatar())).src).toMatch(MEDIA_AVATAR);

    // The old address was told about the change.
    await t.page.goto('/dev/mail');
    await t.page
      .getByRole('article')
      .filter({ has: t.page.getByRole('heading', { name: 'Your Edge Accounts email address was changed' }) })
      .filter({ hasText: `To ${user.email} ` })
      .first()
      .waitFor();
    await t.page.goto('/dashboard');
    expectNoProblems(t);
  });

  it('signs out from the header', async () => {
    await signOut(t.page);
    await checkPage(t.page, 'home-signed-out');
    // The dashboard now asks to sign in first.
    await t.page.goto('/dashboard');
    expect(new URL(t.page.url()).pathname).toBe('/login');
    await t.page.goto('/');
    expectNoProblems(t);
  });

  it('signs in again with the username', async () => {
    await signIn(t.page, user.username, PASSWORD);
    await t.page.getByRole('heading', { level: 1, name: user.username }).waitFor();
    expect(await dashboardEmail(t.page)).toEqual({ email: newEmail.toLowerCase(), badge: 'Verified' });
    expect((await imageState(t.page, largeAvatar())).src).toMatch(MEDIA_AVATAR);
    await signOut(t.page);
    expectNoProblems(t);
  });

  it('signs in with the new email address, typed in another case; the old one no longer works', async () => {
    await clickAndLoad(t.page, () => accountNav(t.page).getByRole('link', { name: 'Sign in' }).click(), '/login');
    await t.page.getByLabel('Username or email').fill(user.email);
    await t.page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await clickAndLoad(t.page, () => t.page.getByRole('button', { name: 'Sign in', exact: true }).click(), '/login');
    await expect.poll(() => t.page.getByRole('alert').textContent()).toContain('Your username/email or password is wrong.');
    await t.page.goto('/');

    await signIn(t.page, newEmail.toUpperCase(), PASSWORD);
    await t.page.getByRole('heading', { level: 1, name: user.username }).waitFor();
    expectNoProblems(t);
  });
});
