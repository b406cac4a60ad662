// Keyboard-only use: the skip link, the sign-in form reached with Tab in order, a visible
// focus ring on each stop, and Enter to submit.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, PASSWORD, accountNav, checkPage, clickAndLoad, expectNoProblems, launchBrowser, openPage, signUp, uniqueUser, type TestPage } from './helpers';

interface Focused {
  tag: string;
  id: string;
  name: string;
  outlineStyle: string;
  outlineWidth: number;
  boxShadow: string;
  inViewport: boolean;
}

// What has the keyboard focus now, and whether it visibly shows it.
async function focused(page: Page): Promise<Focused> {
  return page.evaluate(() => {
    type El = {
      tagName: string;
      id: string;
      textContent: string | null;
      getAttribute(name: string): string | null;
      getBoundingClientRect(): { top: number; left: number; bottom: number; right: number };
      labels?: ArrayLike<{ textContent: string | null }> | null;
    };
    const w = globalThis as unknown as {
      document: { activeElement: El | null };
      getComputedStyle(el: El): { outlineStyle: string; outlineWidth: string; boxShadow: string };
      innerWidth: number;
      innerHeight: number;
    };
    const el = w.document.activeElement;
    if (!el) return { tag: 'none', id: '', name: '', outlineStyle: 'none', outlineWidth: 0, boxShadow: 'none', inViewport: false };
    const style = w.getComputedStyle(el);
    const box = el.getBoundingClientRect();
    const label = el.labels && el.labels.length ? el.labels[0]!.textContent : el.textContent;
    return {
      tag: el.tagName.toLowerCase(),
      id: el.id,
      name: (label ?? '').replace(/\s+/g, ' ').trim(),
      outlineStyle: style.outlineStyle,
      outlineWidth: parseFloat(style.outlineWidth) || 0,
      boxShadow: style.boxShadow,
      inViewport: box.bottom > 0 && box.right > 0 && box.top < w.innerHeight && box.left < w.innerWidth,
    };
  });
}

const shows = (f: Focused) => (f.outlineStyle !== 'none' && f.outlineWidth > 0) || f.boxShadow !== 'none';

describe('keyboard only', () => {
  let browser: Browser;
  let t: TestPage;
  const user = uniqueUser('keys');

  beforeAll(async () => {
    browser = await launchBrowser();
    // An account to sign in to, made through the pages in another browser profile.
    const setup = await openPage(browser);
    await signUp(setup.page, user);
    await setup.context.close();
    t = await openPage(browser);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('the first Tab reaches a visible "Skip to content" link that moves focus to the page content', async () => {
    await t.page.goto('/');
    await t.page.keyboard.press('Tab');
    const skip = await focused(t.page);
    expect(skip).toMatchObject({ tag: 'a', name: 'Skip to content', inViewport: true });
    expect(shows(skip), `focus ring on the skip link: ${JSON.stringify(skip)}`).toBe(true);
    await t.page.keyboard.press('Enter');
    await expect.poll(async () => (await focused(t.page)).id).toBe('main');
    expect(new URL(t.page.url()).hash).toBe('#main');
    expectNoProblems(t);
  });

  it('the sign-in form: the login field has focus, Tab goes field, field, button, each with a visible focus ring, Enter submits', async () => {
    await t.page.goto('/');
    await clickAndLoad(t.page, () => accountNav(t.page).getByRole('link', { name: 'Sign in' }).click(), '/login');
    await checkPage(t.page, 'login');
    await t.page.setViewportSize(DESKTOP);

    // autofocus: a keyboard user can type at once.
    await expect.poll(() => focused(t.page)).toMatchObject({ tag: 'input', id: 'field-login', name: 'Username or email' });

    // Back to the top with Shift+Tab, then forward through the whole page to the button.
    for (let i = 0; i < 10 && (await focused(t.page)).name !== 'Skip to content'; i++) await t.page.keyboard.press('Shift+Tab');
    const stops: Focused[] = [await focused(t.page)];
    for (let i = 0; i < 12 && !(stops.at(-1)!.tag === 'button'); i++) {
      await t.page.keyboard.press('Tab');
      stops.push(await focused(t.page));
    }
    expect(stops.map((s) => `${s.tag}:${s.name}`)).toEqual([
      'a:Skip to content',
      'a:Edge Accounts',
      'a:Sign in',
      'a:Sign up',
      'input:Username or email',
      'input:Password',
      'button:Sign in',
    ]);
    for (const stop of stops) {
      expect(shows(stop), `visible focus on ${stop.tag} "${stop.name}": ${JSON.stringify(stop)}`).toBe(true);
      expect(stop.inViewport, `${stop.name} is on screen when focused`).toBe(true);
    }

    // Type with the keyboard alone: back to the login field, fill both, Enter.
    await t.page.keyboard.press('Shift+Tab');
    await t.page.keyboard.press('Shift+Tab');
    expect((await focused(t.page)).id).toBe('field-login');
    await t.page.keyboard.type(user.username);
    await t.page.keyboard.press('Tab');
    expect((await focused(t.page)).id).toBe('field-password');
    await t.page.keyboard.type(PASSWORD);
    await clickAndLoad(t.page, () => t.page.keyboard.press('Enter'), '/dashboard');
    await t.page.getByRole('heading', { level: 1, name: user.username }).waitFor();
    expectNoProblems(t);
  });

  it('after a failed sign-in, the error is announced and Tab still reaches the fields', async () => {
    await clickAndLoad(t.page, () => accountNav(t.page).getByRole('button', { name: 'Sign out' }).click(), '/');
    await t.page.goto('/login');
    // autofocus lands just after the page loads.
    await expect.poll(async () => (await focused(t.page)).id).toBe('field-login');
    await t.page.keyboard.type(user.username);
    await t.page.keyboard.press('Tab');
    await t.page.keyboard.type('Wrong-password-123');
    await clickAndLoad(t.page, () => t.page.keyboard.press('Enter'), '/login');
    await expect.poll(() => t.page.getByRole('alert').textContent()).toContain('password is wrong');
    // The page comes back with the login kept and the password field focused: what to retype.
    expect(await t.page.getByLabel('Username or email').inputValue()).toBe(user.username);
    await expect.poll(async () => (await focused(t.page)).id).toBe('field-password');
    await t.page.keyboard.press('Shift+Tab');
    expect((await focused(t.page)).id).toBe('field-login');
    await t.page.keyboard.press('Tab');
    await t.page.keyboard.type(PASSWORD);
    await clickAndLoad(t.page, () => t.page.keyboard.press('Enter'), '/dashboard');
    expectNoProblems(t);
  });
});
