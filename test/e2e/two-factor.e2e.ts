// Two-factor sign-in through the pages, as a person with an authenticator app would do it:
// the test plays the app, computing codes from the key shown on the setup page.
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOTP_PERIOD_SECONDS, generateTotpCode, parseTotpKey, totpStep } from '../../src/mfa/totp';
import { BASE_URL, PASSWORD, accountNav, checkPage, clickAndLoad, expectNoProblems, launchBrowser, openPage, pathOf, signOut, signUp, uniqueUser, type TestPage } from './helpers';

const STEP_MS = TOTP_PERIOD_SECONDS * 1000;

// Hands out codes the server accepts: each from a later step than the last (a code works
// once), at most one step ahead of now, never just before a step ends.
function authenticatorApp(key: Uint8Array) {
  let lastStep = -Infinity;
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  return async function nextCode(): Promise<string> {
    for (;;) {
      const intoStep = Date.now() % STEP_MS;
      if (intoStep > STEP_MS - 5000) await sleep(STEP_MS - intoStep + 100);
      const current = totpStep(Date.now());
      const step = Math.max(current - 1, lastStep + 1);
      if (step <= current + 1) {
        lastStep = step;
        return generateTotpCode(key, step * STEP_MS);
      }
      await sleep(STEP_MS - (Date.now() % STEP_MS) + 100);
    }
  };
}

async function passwordStep(page: Page, login: string) {
  await clickAndLoad(page, () => accountNav(page).getByRole('link', { name: 'Sign in' }).click(), '/login');
  await page.getByLabel('Username or email').fill(login);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await clickAndLoad(page, () => page.getByRole('button', { name: 'Sign in', exact: true }).click(), '/login/two-factor');
}

describe('two-factor sign-in', () => {
  let browser: Browser;
  const opened: TestPage[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const t of opened) await t.context.close().catch(() => {});
    await browser?.close();
  });

  it('turns on an authenticator app, signs in with a code and a recovery code, and turns it off', async () => {
    const user = uniqueUser('totp');
    const t = await openPage(browser);
    opened.push(t);
    const { page, context } = t;
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE_URL });
    await signUp(page, user);

    await page.goto('/account');
    await clickAndLoad(page, () => page.getByRole('link', { name: 'Two-factor sign-in' }).click(), '/account/security');
    await checkPage(page, 'security-off');
    await page.getByLabel('Your password').fill(PASSWORD);
    await clickAndLoad(page, () => page.getByRole('button', { name: 'Set up an authenticator app' }).click(), '/account/security/totp/setup');
    const qr = page.getByRole('img', { name: 'QR code to scan with your authenticator app' });
    expect((await qr.boundingBox())!.width).toBeGreaterThan(150);
    const nextCode = authenticatorApp(parseTotpKey((await page.locator('#totp-key').textContent())!));
    await checkPage(page, 'totp-setup');

    // A wrong code first: refused beside the field, nothing switched on.
    await page.getByLabel('Code from the app').fill('000000');
    await clickAndLoad(page, () => page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click(), '/account/security/totp/setup');
    await expect(page.getByLabel('Code from the app').getAttribute('aria-invalid')).resolves.toBe('true');
    await page.getByText('That code did not work.').waitFor();
    await checkPage(page, 'totp-setup-errors');

    await page.getByLabel('Code from the app').fill(await nextCode());
    await clickAndLoad(page, () => page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click(), '/account/security/totp/setup');
    await page.getByRole('heading', { level: 1, name: 'Save your recovery codes' }).waitFor();
    const codes = (await page.locator('#recovery-codes code').allTextContents()).map((c) => c.trim());
    expect(codes).toHaveLength(10);
    await checkPage(page, 'recovery-codes');

    // Download: a text file with every code, allowed by the page's CSP.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download as a text file' }).click()]);
    expect(download.suggestedFilename()).toBe('edge-accounts-recovery-codes.txt');
    const file = readFileSync((await download.path())!, 'utf8');
    for (const code of codes) expect(file).toContain(code);
    // Copy: the script shows the button; the clipboard gets the same text.
    await page.getByRole('button', { name: 'Copy the codes' }).click();
    await expect.poll(() => page.locator('#copy-status').textContent()).toContain('Copied');
    expect(await page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText())).toBe(file);

    await clickAndLoad(page, () => page.getByRole('link', { name: 'I have saved them' }).click(), '/account/security');
    await page.getByText('10 unused codes').waitFor();
    await checkPage(page, 'security-on');

    // Signing in now takes a code after the password; a wrong one is refused.
    await signOut(page);
    await passwordStep(page, user.username);
    await checkPage(page, 'two-factor-sign-in');
    await page.getByLabel('6-digit code').fill('123456');
    await clickAndLoad(page, () => page.getByRole('button', { name: 'Sign in', exact: true }).click(), '/login/two-factor');
    await page.getByText('That code did not work.').waitFor();
    await checkPage(page, 'two-factor-sign-in-errors');
    await page.getByLabel('6-digit code').fill(await nextCode());
    await clickAndLoad(page, () => page.getByRole('button', { name: 'Sign in', exact: true }).click(), '/dashboard');

    // A recovery code instead of the app.
    await signOut(page);
    await passwordStep(page, user.email);
    await clickAndLoad(page, () => page.getByRole('link', { name: 'Use a recovery code instead' }).click(), '/login/two-factor');
    await checkPage(page, 'two-factor-recovery');
    await page.getByLabel('Recovery code').fill(codes[0]!);
    await clickAndLoad(page, () => page.getByRole('button', { name: 'Sign in', exact: true }).click(), '/dashboard');

    // New codes page, then turning it off with the password and a code.
    await page.goto('/account/security');
    await page.getByText('9 unused codes').waitFor();
    await clickAndLoad(page, () => page.getByRole('link', { name: 'Make new recovery codes…' }).click(), '/account/security/recovery-codes');
    await checkPage(page, 'recovery-codes-new');
    await page.goto('/account/security');
    await clickAndLoad(page, () => page.getByRole('link', { name: 'Turn off…' }).click(), '/account/security/totp/disable');
    await checkPage(page, 'totp-disable');
    await page.getByLabel('Your password').fill(PASSWORD);
    await page.getByLabel('Code from your app, or a recovery code').fill(await nextCode());
    await clickAndLoad(page, () => page.getByRole('button', { name: 'Turn off two-factor sign-in' }).click(), '/account/security');
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Two-factor sign-in is off');
    expectNoProblems(t);
    // Eight pages through axe and screenshots, and codes that may wait for the next step.
  }, 150_000);

  it('works without JavaScript: setup, recovery codes with a download link, sign-in', async () => {
    const user = uniqueUser('nojs');
    const t = await openPage(browser, { javaScriptEnabled: false });
    opened.push(t);
    const { page } = t;
    await signUp(page, user);
    await page.goto('/account/security');
    await page.getByLabel('Your password').fill(PASSWORD);
    await clickAndLoad(page, () => page.getByRole('button', { name: 'Set up an authenticator app' }).click(), '/account/security/totp/setup');
    const nextCode = authenticatorApp(parseTotpKey((await page.locator('#totp-key').textContent())!));
    await page.getByLabel('Code from the app').fill(await nextCode());
    await clickAndLoad(page, () => page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click(), '/account/security/totp/setup');
    await page.getByRole('heading', { level: 1, name: 'Save your recovery codes' }).waitFor();
    // No script: no copy button that could not work; the download link is there.
    expect(await page.getByRole('button', { name: 'Copy the codes' }).count()).toBe(0);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download as a text file' }).click()]);
    expect(readFileSync((await download.path())!, 'utf8')).toContain((await page.locator('#recovery-codes code').first().textContent())!.trim());
    await page.goto('/');
    await signOut(page);
    await passwordStep(page, user.username);
    await page.getByLabel('6-digit code').fill(await nextCode());
    await clickAndLoad(page, () => page.getByRole('button', { name: 'Sign in', exact: true }).click(), '/dashboard');
    expect(pathOf(page)).toBe('/dashboard');
    expectNoProblems(t);
  }, 90_000);
});
