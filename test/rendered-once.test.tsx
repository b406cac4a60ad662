import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { contextStorage } from 'hono/context-storage';
import type { AppEnv } from '../src/http/app-env';
import { ENGLISH } from '../src/i18n/catalog';
import { createTranslator } from '../src/i18n/translator';
import { renderedOnce } from '../src/views/rendered-once';
import { useI18n } from '../src/views/use-i18n';
import { signUpStaff } from './admin-helpers';
import { ORIGIN, signUpAndSignIn } from './helpers';

// Markup kept per isolate (src/views/rendered-once.ts) must still differ wherever its
// readers differ: language, staff or not, signed in or not. These requests all run in
// the same isolate, one after another.
async function page(path: string, headers: Record<string, string> = {}): Promise<string> {
  const res = await SELF.fetch(`${ORIGIN}${path}`, { headers, redirect: 'manual' });
  expect(res.status).toBe(200);
  return res.text();
}

describe('markup rendered once per isolate', () => {
  it('follows the language of each request', async () => {
    const { cookie } = await signUpAndSignIn();
    for (const language of ['de', 'en', 'de', 'en']) {
      const html = await page('/dashboard', { cookie, 'accept-language': language });
      if (language === 'de') {
        expect(html).toContain('Profil bearbeiten');
        expect(html).toContain('Abmelden');
        expect(html).not.toContain('Edit profile');
      } else {
        expect(html).toContain('Edit profile');
        expect(html).toContain('Sign out');
        expect(html).not.toContain('Profil bearbeiten');
      }
      // The menu marks the page's own language, and only that one.
      expect(html).toContain(`<option value="${language}" lang="${language}" selected="">`);
      expect(html.match(/selected=""/g)).toHaveLength(1);
    }
  });

  it('shows the staff link to staff only, and the sign-in links to visitors only', async () => {
    const staff = await signUpStaff();
    const member = await signUpAndSignIn();
    for (const [cookie, isStaff] of [[staff.cookie, true], [member.cookie, false], [staff.cookie, true]] as const) {
      const html = await page('/dashboard', { cookie });
      expect(html.includes('href="/admin"')).toBe(isStaff);
      expect(html).toContain('action="/logout"');
      expect(html).not.toContain('href="/register"');
    }
    const visitor = await page('/');
    expect(visitor).toContain('href="/register"');
    expect(visitor).not.toContain('action="/logout"');
  });

  it('keeps each page its own title, and the language menu its own way back', async () => {
    expect(await page('/login')).toContain(
      '<head><meta charset="utf-8"/><meta name="viewport" content="width=device-width, initial-scale=1"/><title>Sign in · Edge Accounts</title><link rel="stylesheet" href="/static/app.css"/>',
    );
    expect(await page('/register')).toContain('<title>Create an account · Edge Accounts</title>');
    expect(await page('/login?next=%2Fprofile')).toContain('<input type="hidden" name="next" value="/login?next=%2Fprofile"/>');
    expect(await page('/register')).toContain('<input type="hidden" name="next" value="/register"/>');
  });
});

describe('renderedOnce', () => {
  it('renders a key once and hands back the same markup', () => {
    let renders = 0;
    const render = () => {
      renders++;
      return <p>kept</p>;
    };
    const key = `test-${crypto.randomUUID()}`;
    expect(String(renderedOnce(key, render))).toBe('<p>kept</p>');
    expect(String(renderedOnce(key, render))).toBe('<p>kept</p>');
    expect(renders).toBe(1);
    expect(String(renderedOnce(`${key}-other`, () => <p>other</p>))).toBe('<p>other</p>');
  });

  it('keeps languages apart even when they share a catalogue (one whose messages could not be read speaks English)', async () => {
    // A request's translator comes through hono's context storage, as in the app.
    const app = new Hono<AppEnv>().use(contextStorage()).get('/:language', (c) => {
      c.set('i18n', createTranslator(c.req.param('language') as 'de' | 'en', ENGLISH));
      return c.html(renderedOnce('test-language', () => <p>{useI18n().language}</p>));
    });
    const texts = [];
    for (const language of ['de', 'en', 'de']) texts.push(await (await app.request(`/${language}`)).text());
    expect(texts).toEqual(['<p>de</p>', '<p>en</p>', '<p>de</p>']);
  });

  it('refuses markup with an async part rather than keep a promise', () => {
    async function Later() {
      return <p>later</p>;
    }
    expect(() => renderedOnce(`test-${crypto.randomUUID()}`, () => <Later />)).toThrow(/no async part/);
  });
});
