// Sign-in with a provider through the real pages: the app's "Continue with" buttons, the
// local OpenID Connect provider's own development login screen (oidc-provider, started by
// scripts/e2e.mjs on 127.0.0.1, another site than the app's localhost, so the trip there
// and back is cross-site as with Google or GitHub), and back.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_URL, PASSWORD, accountNav, checkPage, clickAndLoad, launchBrowser, openPage, pathOf, signIn, signOut, signUp, uniqueUser, type TestPage } from './helpers';

const PROVIDER = 'Local OpenID (development)';
const issuer = process.env.E2E_OIDC_ISSUER;
if (!issuer) throw new Error('E2E_OIDC_ISSUER is not set: run the browser tests with `npm run test:e2e`.');
const PROVIDER_ORIGIN = new URL(issuer).origin;
const APP_ORIGIN = new URL(BASE_URL).origin;

// oidc-provider's development screens @import a Google font: the browser's localhost-only
// rule refuses it (nothing leaves this machine), and that refusal is the provider's, not ours.
const PROVIDER_FONT = 'request outside localhost: https://fonts.googleapis.com/';

function expectNoProblemsOfOurs(t: TestPage) {
  expect(t.problems.filter((p) => !p.startsWith(PROVIDER_FONT)), 'problems seen by the browser').toEqual([]);
  t.problems.length = 0;
}

const originOf = (page: Page) => new URL(page.url()).origin;
const status = (page: Page) => page.getByRole('status').textContent();
const continueButton = (page: Page) => page.getByRole('button', { name: `Continue with ${PROVIDER}` });

// A button that leaves for the provider: back at once if the provider still has a session
// (as a real one does), else on its login screen.
async function leaveForProvider(page: Page, click: () => Promise<void>) {
  await clickAndLoad(page, click);
  return originOf(page) === PROVIDER_ORIGIN;
}

// The provider's development login screen, as a person uses it: any login and password.
// It asks for consent only when configured to (a first-party app skips it); if it asks, agree.
async function logInAtProvider(page: Page, login: string, expectedPath: string) {
  expect(originOf(page)).toBe(PROVIDER_ORIGIN);
  await page.getByRole('heading', { level: 1, name: 'Sign-in' }).waitFor();
  await page.getByPlaceholder('Enter any login').fill(login);
  await page.getByPlaceholder('and password').fill('any password at all');
  await clickAndLoad(page, () => page.getByRole('button', { name: 'Sign-in' }).click());
  if (originOf(page) === PROVIDER_ORIGIN) await clickAndLoad(page, () => page.getByRole('button', { name: 'Continue' }).click());
  expect(originOf(page)).toBe(APP_ORIGIN);
  expect(pathOf(page), `back from the provider on "${await page.title()}"`).toBe(expectedPath);
}

describe('sign-in with a provider', () => {
  let browser: Browser;
  const opened: TestPage[] = [];
  const open = async () => {
    const t = await openPage(browser);
    opened.push(t);
    return t;
  };

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const t of opened) await t.context.close().catch(() => {});
    await browser?.close();
  });

  describe('an account made with the provider', () => {
    let t: TestPage;
    // The login at the provider is the identity's subject; its address is <login>@local.example.
    const { username: login } = uniqueUser('oidc');
    const username = `${login}_me`;

    beforeAll(async () => {
      t = await open();
    });

    it('signs up through the provider’s login screen, chooses a username, and lands signed in', async () => {
      const { page } = t;
      await page.goto('/');
      await clickAndLoad(page, () => accountNav(page).getByRole('link', { name: 'Sign up' }).click(), '/register');
      expect(await leaveForProvider(page, () => continueButton(page).click())).toBe(true);
      await logInAtProvider(page, login, '/oauth/local/callback');

      await page.getByRole('heading', { level: 1, name: 'Choose your username' }).waitFor();
      await page.getByText(`You signed in with ${PROVIDER} as ${login}@local.example.`).waitFor();
      // Prefilled from the provider's preferred username.
      expect(await page.getByLabel('Username', { exact: true }).inputValue()).toBe(login);
      await checkPage(page, 'provider-username');

      await page.getByLabel('Username', { exact: true }).fill('not a username!');
      await clickAndLoad(page, () => page.getByRole('button', { name: 'Create account' }).click(), '/oauth/local/username');
      await expect(page.getByLabel('Username', { exact: true }).getAttribute('aria-invalid')).resolves.toBe('true');
      await page.getByText('Use only letters, digits and @ . + - _').first().waitFor();
      await checkPage(page, 'provider-username-errors');

      await page.getByLabel('Username', { exact: true }).fill(username);
      await clickAndLoad(page, () => page.getByRole('button', { name: 'Create account' }).click(), '/dashboard');
      await expect.poll(() => status(page)).toContain(`Welcome, ${username}! Your account is ready.`);
      await page.getByRole('heading', { level: 1, name: username }).waitFor();
      expectNoProblemsOfOurs(t);
    });

    it('signs out and in again with the provider: at once while the provider remembers, else through its login screen', async () => {
      const { page, context } = t;
      await signOut(page);
      await clickAndLoad(page, () => accountNav(page).getByRole('link', { name: 'Sign in' }).click(), '/login');
      expect(await leaveForProvider(page, () => continueButton(page).click())).toBe(false);
      expect(pathOf(page)).toBe('/dashboard');
      await page.getByRole('heading', { level: 1, name: username }).waitFor();

      // Another day: the provider's session is over too, so its login screen comes back.
      await signOut(page);
      await context.clearCookies({ domain: new URL(PROVIDER_ORIGIN).hostname });
      await clickAndLoad(page, () => accountNav(page).getByRole('link', { name: 'Sign in' }).click(), '/login');
      expect(await leaveForProvider(page, () => continueButton(page).click())).toBe(true);
      await logInAtProvider(page, login, '/dashboard');
      await page.getByRole('heading', { level: 1, name: username }).waitFor();
      expectNoProblemsOfOurs(t);
    });

    // The provider verified the address, so emailed codes sign in too: the provider is not
    // the last way in (the last-way refusal is tested over HTTP with an unconfirmed address).
    it('unlinks its only provider after the provider confirms it is you, since emailed codes still sign in', async () => {
      const { page } = t;
      await page.goto('/account');
      await clickAndLoad(page, () => page.getByRole('link', { name: 'Sign-in methods' }).click(), '/account/sign-in-methods');
      await page.getByText('No password: this account signs in with emailed codes or the methods below.').waitFor();
      const item = page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 2, name: PROVIDER }) });
      await item.getByText(`${login}@local.example`).waitFor();
      await checkPage(page, 'sign-in-methods-provider-only');

      // No password to type: a sign-in with the provider again stands in for it (whether the
      // provider asks for the login again is its business: this one remembers the browser).
      await clickAndLoad(page, () => item.getByRole('button', { name: `Unlink ${PROVIDER}` }).click(), '/account/confirm');
      await page.getByRole('heading', { level: 1, name: 'Confirm it is you' }).waitFor();
      await page.getByRole('button', { name: 'Email me a code' }).waitFor();
      await checkPage(page, 'confirm-identity');
      if (await leaveForProvider(page, () => continueButton(page).click())) await logInAtProvider(page, login, '/account/sign-in-methods');
      expect(pathOf(page)).toBe('/account/sign-in-methods');
      await expect.poll(() => status(page)).toContain(`you confirmed it is you with ${PROVIDER}`);

      await clickAndLoad(page, () => item.getByRole('button', { name: `Unlink ${PROVIDER}` }).click(), '/account/sign-in-methods');
      await expect.poll(() => status(page)).toContain(`${PROVIDER} was unlinked.`);
      await page.getByText('“Email me a sign-in code” sends a code to').waitFor();
      expect(await item.count()).toBe(0);
      await checkPage(page, 'sign-in-methods-codes-only');
      expectNoProblemsOfOurs(t);
    });
  });

  it('says what happened when the person cancels at the provider, and changes nothing', async () => {
    const t = await open();
    const { page } = t;
    await page.goto('/login');
    expect(await leaveForProvider(page, () => continueButton(page).click())).toBe(true);
    await clickAndLoad(page, () => page.getByRole('link', { name: '[ Cancel ]' }).click(), '/oauth/local/callback');
    expect(originOf(page)).toBe(APP_ORIGIN);
    await page.getByRole('heading', { level: 1, name: 'Sign-in cancelled' }).waitFor();
    await page.getByText(`You cancelled at ${PROVIDER}, so nothing was changed and you are not signed in.`).waitFor();
    await accountNav(page).getByRole('link', { name: 'Sign in' }).waitFor();
    await checkPage(page, 'provider-cancelled');
    await clickAndLoad(page, () => page.getByRole('main').getByRole('link', { name: 'Back to sign-in' }).click(), '/login');
    expectNoProblemsOfOurs(t);
  });

  it('an account made with a password: "sign in first", then links the provider with the password, signs in with it, and unlinks it', async () => {
    const t = await open();
    const { page } = t;
    // Its address is the one the provider gives for this login. The sign-up's emailed code
    // confirmed it here (SIGN_UP_CONFIRMATION=before), but the provider does not vouch for it
    // (the local provider's "+unverified" login): one side unverified, so the provider
    // sign-in must not take the account over.
    const user = uniqueUser('linker');
    const email = `${user.username}@local.example`;
    const providerLogin = `${email}+unverified`;
    await signUp(page, { ...user, email });
    await signOut(page);

    await clickAndLoad(page, () => accountNav(page).getByRole('link', { name: 'Sign in' }).click(), '/login');
    expect(await leaveForProvider(page, () => continueButton(page).click())).toBe(true);
    await logInAtProvider(page, providerLogin, '/oauth/local/callback');
    await page.getByRole('heading', { level: 1, name: 'Sign in to your account first' }).waitFor();
    await page.getByText(`Sign in to it first, then link ${PROVIDER} from Account → Sign-in methods.`).waitFor();
    await checkPage(page, 'provider-sign-in-first');

    await signIn(page, user.username, PASSWORD);
    await page.goto('/account');
    await clickAndLoad(page, () => page.getByRole('link', { name: 'Sign-in methods' }).click(), '/account/sign-in-methods');
    await page.getByRole('heading', { level: 2, name: 'Password' }).waitFor();
    expect(await page.getByRole('heading', { level: 2, name: PROVIDER }).count()).toBe(0);
    await checkPage(page, 'sign-in-methods');

    const linkPassword = page.getByLabel(`Your password, to link ${PROVIDER}`);
    await linkPassword.fill('not the password');
    await clickAndLoad(page, () => page.getByRole('button', { name: `Link ${PROVIDER}` }).click(), `/account/sign-in-methods/local/link`);
    await expect(linkPassword.getAttribute('aria-invalid')).resolves.toBe('true');
    await page.getByText('That password is wrong.').waitFor();
    await checkPage(page, 'sign-in-methods-wrong-password');

    await linkPassword.fill(PASSWORD);
    if (await leaveForProvider(page, () => page.getByRole('button', { name: `Link ${PROVIDER}` }).click())) await logInAtProvider(page, providerLogin, '/account/sign-in-methods');
    expect(pathOf(page)).toBe('/account/sign-in-methods');
    await expect.poll(() => status(page)).toBe(`${PROVIDER} is now linked: you can sign in with it.`);
    const item = page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 2, name: PROVIDER }) });
    await item.getByText(email).waitFor();
    await checkPage(page, 'sign-in-methods-linked');

    // The link works: the provider alone now signs in to this account.
    await signOut(page);
    await clickAndLoad(page, () => accountNav(page).getByRole('link', { name: 'Sign in' }).click(), '/login');
    await leaveForProvider(page, () => continueButton(page).click());
    expect(pathOf(page)).toBe('/dashboard');
    await page.getByRole('heading', { level: 1, name: user.username }).waitFor();

    await page.goto('/account/sign-in-methods');
    await item.getByLabel('Your password, to unlink').fill(PASSWORD);
    await clickAndLoad(page, () => item.getByRole('button', { name: `Unlink ${PROVIDER}` }).click(), '/account/sign-in-methods');
    await expect.poll(() => status(page)).toBe(`${PROVIDER} was unlinked. It can no longer sign in to this account.`);
    expect(await page.getByRole('heading', { level: 2, name: PROVIDER }).count()).toBe(0);
    await page.getByRole('button', { name: `Link ${PROVIDER}` }).waitFor();

    // And it no longer signs in: the provider still does not vouch for the address, so "sign in first".
    await signOut(page);
    await clickAndLoad(page, () => accountNav(page).getByRole('link', { name: 'Sign in' }).click(), '/login');
    await leaveForProvider(page, () => continueButton(page).click());
    await page.getByRole('heading', { level: 1, name: 'Sign in to your account first' }).waitFor();
    expectNoProblemsOfOurs(t);
  });
});
