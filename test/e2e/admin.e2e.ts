// The staff area in a browser: a superuser made with `npm run createsuperuser` signs in,
// finds an account, deactivates it after confirming their password, and reads the audit
// log. Every staff page is checked with axe and photographed at desktop and phone sizes.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, accountNav, checkPage, clickAndLoad, createSuperuser, expectNoProblems, launchBrowser, openPage, signIn, signUp, uniqueUser, type TestPage } from './helpers';

describe('the staff area', () => {
  let browser: Browser;
  let staff: TestPage;
  let member: TestPage;
  const admin = uniqueUser('chief');
  const person = uniqueUser('member');

  beforeAll(async () => {
    browser = await launchBrowser();
    staff = await openPage(browser);
    member = await openPage(browser);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('is a plain 404 for someone who is not staff', async () => {
    await signUp(member.page, person);
    const response = await member.page.goto('/admin/users');
    expect(response?.status()).toBe(404);
    await member.page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
    expect(await accountNav(member.page).getByRole('link', { name: 'Staff' }).count()).toBe(0);
  });

  it('a superuser from `npm run createsuperuser` signs in and finds the Staff link', async () => {
    const created = await createSuperuser(admin.username, admin.email);
    expect(created.code, created.output).toBe(0);
    await staff.page.goto('/');
    await signIn(staff.page, admin.username, PASSWORD);
    await clickAndLoad(staff.page, () => accountNav(staff.page).getByRole('link', { name: 'Staff' }).click(), '/admin/users');
    await staff.page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
    await checkPage(staff.page, 'admin-users');
    expectNoProblems(staff);
  });

  it('searches by the beginning of a username and opens the account', async () => {
    await staff.page.getByLabel('Username or email starts with').fill(person.username.slice(0, -2).toUpperCase());
    await staff.page.getByLabel('Staff', { exact: true }).selectOption('no');
    await clickAndLoad(staff.page, () => staff.page.getByRole('button', { name: 'Search' }).click(), '/admin/users');
    await checkPage(staff.page, 'admin-users-search');
    await clickAndLoad(staff.page, () => staff.page.getByRole('link', { name: person.username }).click(), /^\/admin\/users\/[0-9a-f]+$/);
    await staff.page.getByRole('heading', { level: 1, name: person.username }).waitFor();
    await checkPage(staff.page, 'admin-user');
    expectNoProblems(staff);
  });

  it('deactivates it after asking for the password once', async () => {
    const userPage = staff.page.url();
    await clickAndLoad(staff.page, () => staff.page.getByRole('button', { name: 'Deactivate' }).click());
    await staff.page.getByRole('heading', { level: 1, name: 'Confirm your password' }).waitFor();
    await checkPage(staff.page, 'admin-sudo');
    await staff.page.getByLabel('Your password').fill(PASSWORD);
    await clickAndLoad(staff.page, () => staff.page.getByRole('button', { name: 'Confirm and continue' }).click());
    expect(staff.page.url()).toBe(userPage);
    await expect.poll(() => staff.page.getByRole('status').textContent()).toContain(`${person.username} was deactivated and signed out everywhere.`);
    // Within 15 minutes the next action goes straight through.
    await clickAndLoad(staff.page, () => staff.page.getByRole('button', { name: 'Reactivate' }).click());
    await expect.poll(() => staff.page.getByRole('status').textContent()).toContain(`${person.username} was reactivated.`);
    await checkPage(staff.page, 'admin-user-after-action');
    expectNoProblems(staff);

    // The person was signed out everywhere.
    const response = await member.page.goto('/dashboard');
    expect(new URL(member.page.url()).pathname).toBe('/login');
    expect(response?.ok()).toBe(true);
  });

  it('lists the actions in the audit log', async () => {
    await clickAndLoad(staff.page, () => staff.page.getByRole('navigation', { name: 'Staff area' }).getByRole('link', { name: 'Audit log' }).click(), '/admin/audit');
    const rows = staff.page.locator('tbody tr');
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(3);
    expect(await rows.nth(0).textContent()).toContain('Reactivate');
    expect(await rows.nth(1).textContent()).toContain('Deactivate');
    expect(await rows.nth(2).textContent()).toContain('Confirmed password for staff actions');
    await checkPage(staff.page, 'admin-audit');
    await staff.page.getByLabel('Action').selectOption('staff_deactivated');
    await clickAndLoad(staff.page, () => staff.page.getByRole('button', { name: 'Filter' }).click(), '/admin/audit');
    expect(await rows.count()).toBe(1);
    expectNoProblems(staff);
  });
});
