// Passkeys through the real pages, with Chromium's virtual authenticator standing in for a
// phone or laptop (CDP WebAuthn domain: a platform authenticator that keeps discoverable
// credentials and verifies the user, answering at once). The browser is at
// http://localhost:PORT and the app's PUBLIC_ORIGIN is the same, so the RP ID is localhost.
import type { Browser, CDPSession } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, accountNav, checkPage, clickAndLoad, expectNoProblems, launchBrowser, openPage, pathOf, signOut, signUp, uniqueUser, type TestPage } from './helpers';

interface VirtualCredential {
  credentialId: string;
  isResidentCredential: boolean;
  rpId: string;
  signCount: number;
  userHandle?: string;
}

describe('passkeys', () => {
  let browser: Browser;
  let t: TestPage;
  let cdp: CDPSession;
  let authenticatorId: string;
  const user = uniqueUser('passkey');

  const credentials = async () => ((await cdp.send('WebAuthn.getCredentials', { authenticatorId })) as { credentials: VirtualCredential[] }).credentials;
  const status = () => t.page.getByRole('status').textContent();
  const passkeyButton = () => t.page.getByRole('button', { name: 'Sign in with a passkey' });

  beforeAll(async () => {
    browser = await launchBrowser();
    t = await openPage(browser);
    cdp = await t.context.newCDPSession(t.page);
    await cdp.send('WebAuthn.enable', { enableUI: false });
    const added = (await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    })) as { authenticatorId: string };
    authenticatorId = added.authenticatorId;
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('adds a passkey from the security page, with a name and the password', async () => {
    await signUp(t.page, user);
    await t.page.goto('/account/security');
    await clickAndLoad(t.page, () => t.page.getByRole('link', { name: 'Manage passkeys' }).click(), '/account/security/passkeys');
    await t.page.getByText('You have no passkeys yet.').waitFor();
    // The script shows the form (this browser has WebAuthn) and hides the note.
    await t.page.getByRole('button', { name: 'Add a passkey' }).waitFor();
    expect(await t.page.getByText('Adding a passkey needs a browser that supports passkeys').isVisible()).toBe(false);
    await checkPage(t.page, 'passkeys-empty');

    await t.page.getByLabel('Name', { exact: true }).fill('Test laptop');
    await t.page.getByLabel('Your password').fill(PASSWORD);
    await clickAndLoad(t.page, () => t.page.getByRole('button', { name: 'Add a passkey' }).click(), '/account/security/passkeys');
    await expect.poll(status).toBe('Passkey “Test laptop” added. You can now sign in with it.');
    await t.page.getByRole('heading', { level: 2, name: 'Test laptop' }).waitFor();

    const stored = await credentials();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ isResidentCredential: true, rpId: 'localhost' });
    await checkPage(t.page, 'passkeys');
    expectNoProblems(t);
  });

  it('says so when the password is wrong, and adds nothing', async () => {
    await t.page.getByLabel('Your password').fill('not the password');
    await t.page.getByRole('button', { name: 'Add a passkey' }).click();
    await expect.poll(() => t.page.locator('[data-passkey-error]').textContent()).toBe('That password is wrong.');
    expect(await credentials()).toHaveLength(1);
    // The refusal was the page's own request (a 422), not a broken page.
    expect(t.problems).toEqual([expect.stringMatching(/^422 for .*\/account\/security\/passkeys\/options$/)]);
    t.problems.length = 0;
  });

  it('signs in from the username field’s autofill (conditional mediation), no username typed', async () => {
    await signOut(t.page);
    const signCount = (await credentials())[0]!.signCount;
    // The virtual authenticator answers the autofill request at once, as a person picking
    // the passkey from the username field's suggestions would.
    await accountNav(t.page).getByRole('link', { name: 'Sign in' }).click();
    await t.page.waitForURL((url) => url.pathname === '/dashboard');
    await t.page.getByRole('heading', { level: 1, name: user.username }).waitFor();
    expect((await credentials())[0]!.signCount).toBeGreaterThan(signCount);
    expectNoProblems(t);
  });

  it('signs in with the button where the browser has no passkey autofill', async () => {
    // From here on this browser reports no conditional mediation (as browsers without
    // passkey autofill do), so only "Sign in with a passkey" starts a request.
    await t.context.addInitScript(() => {
      const credential = (globalThis as unknown as { PublicKeyCredential: { isConditionalMediationAvailable?: () => Promise<boolean> } }).PublicKeyCredential;
      credential.isConditionalMediationAvailable = () => Promise.resolve(false);
    });
    await signOut(t.page);
    await clickAndLoad(t.page, () => accountNav(t.page).getByRole('link', { name: 'Sign in' }).click(), '/login');
    await passkeyButton().waitFor();
    expect(await t.page.getByLabel('Username or email').getAttribute('autocomplete')).toBe('username webauthn');
    await checkPage(t.page, 'login-with-passkeys');
    await clickAndLoad(t.page, () => passkeyButton().click(), '/dashboard');
    await t.page.getByRole('heading', { level: 1, name: user.username }).waitFor();
    expectNoProblems(t);
  });

  it('returns to ?next= after a passkey sign-in, and shows when it was last used', async () => {
    await signOut(t.page);
    await t.page.goto(`/login?next=${encodeURIComponent('/account/security/passkeys')}`);
    await clickAndLoad(t.page, () => passkeyButton().click(), '/account/security/passkeys');
    const item = t.page.getByRole('listitem').filter({ has: t.page.getByRole('heading', { name: 'Test laptop' }) });
    // A time, not "Never": in the visitor's time zone (wrangler dev's request data names one),
    // so only its shape is checked: "Dec 4, 2026, 8:10 AM CST".
    await expect.poll(() => item.locator('dd').nth(1).textContent()).toMatch(/\d{4}, \d{1,2}:\d{2}\s?[AP]M \S+$/);
    expectNoProblems(t);
  });

  it('renames it and removes it with the password; it then no longer signs in', async () => {
    await t.page.locator('summary').filter({ hasText: 'Rename Test laptop' }).click();
    await t.page.getByLabel('New name').fill('Old laptop');
    await clickAndLoad(t.page, () => t.page.getByRole('button', { name: 'Save name' }).click(), '/account/security/passkeys');
    await expect.poll(status).toBe('Passkey renamed to “Old laptop”.');

    await clickAndLoad(t.page, () => t.page.getByRole('link', { name: 'Remove… Old laptop' }).click(), /^\/account\/security\/passkeys\/[^/]+\/remove$/);
    await t.page.getByRole('heading', { level: 1, name: 'Remove “Old laptop”' }).waitFor();
    await checkPage(t.page, 'passkey-remove');
    await t.page.getByLabel('Your password').fill(PASSWORD);
    await clickAndLoad(t.page, () => t.page.getByRole('button', { name: 'Remove passkey' }).click(), '/account/security/passkeys');
    await expect.poll(status).toMatch(/^Passkey “Old laptop” removed\. \d+ other sessions? (was|were) signed out\.$/);
    await t.page.getByText('You have no passkeys yet.').waitFor();
    expectNoProblems(t);

    // The authenticator still has it; the site no longer accepts it.
    await signOut(t.page);
    await t.page.goto('/login');
    await passkeyButton().click();
    await expect.poll(() => t.page.locator('[data-passkey-error]').textContent()).toContain('That passkey did not work.');
    expect(pathOf(t.page)).toBe('/login');
    expect(t.problems).toEqual([expect.stringMatching(/^401 for .*\/login\/passkey$/)]);
    t.problems.length = 0;
  });

  it('without JavaScript, the sign-in page shows only the password form', async () => {
    const plain = await openPage(browser, { javaScriptEnabled: false });
    await plain.page.goto('/login');
    await plain.page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    expect(await plain.page.getByRole('button', { name: 'Sign in with a passkey' }).isVisible()).toBe(false);
    expectNoProblems(plain);
    await plain.context.close();
  });
});
