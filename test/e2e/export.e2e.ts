// "Download my data" in a real browser: the page passes axe, a wrong password comes back
// beside the field, the right one downloads a ZIP that opens.
import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountNav, checkPage, clickAndLoad, expectNoProblems, launchBrowser, openPage, signUp, uniqueUser, type TestPage } from './helpers';

describe('downloading your data', () => {
  let browser: Browser;
  let t: TestPage;
  const user = uniqueUser('export');

  beforeAll(async () => {
    browser = await launchBrowser();
    t = await openPage(browser, { acceptDownloads: true });
    await signUp(t.page, user);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('is reached from the account page and explains what the file holds', async () => {
    await clickAndLoad(t.page, () => accountNav(t.page).getByRole('link', { name: 'Account', exact: true }).click(), '/account');
    await clickAndLoad(t.page, () => t.page.getByRole('link', { name: 'Download your data' }).click(), '/account/export');
    await t.page.getByRole('heading', { level: 1, name: 'Download your data' }).waitFor();
    await checkPage(t.page, 'export');
    expectNoProblems(t);
  });

  it('says a wrong password is wrong, beside the field', async () => {
    await t.page.getByLabel('Your password, to confirm').fill('not the password');
    await clickAndLoad(t.page, () => t.page.getByRole('button', { name: 'Download my data' }).click(), '/account/export');
    const field = t.page.getByLabel('Your password, to confirm');
    await expect.poll(() => field.getAttribute('aria-invalid')).toBe('true');
    expect(await t.page.getByRole('alert').allTextContents()).toContain('That password is wrong, so nothing was downloaded.');
    await checkPage(t.page, 'export-wrong-password');
    expectNoProblems(t);
  });

  it('downloads a ZIP named after the account, holding account.json', async () => {
    await t.page.getByLabel('Your password, to confirm').fill(user.password);
    const [download] = await Promise.all([t.page.waitForEvent('download'), t.page.getByRole('button', { name: 'Download my data' }).click()]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^edge-accounts-${user.username}-\\d{4}-\\d{2}-\\d{2}\\.zip$`));
    const files = unzipSync(new Uint8Array(readFileSync((await download.path())!)));
    const doc = JSON.parse(new TextDecoder().decode(files['account.json'])) as { formatVersion: number; account: { username: string; email: string } };
    expect(doc.formatVersion).toBe(1);
    expect(doc.account).toMatchObject({ username: user.username, email: user.email });
    expect(Object.keys(files)).toEqual(['account.json']);
    expectNoProblems(t);
  });
});
