import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import app from '../src/index';
import { ENGLISH } from '../src/i18n/catalog';
import { formatMessage, placeholdersIn, splitTags, tagsIn, type Message } from '../src/i18n/message-format';
import { pseudoLocalize } from '../src/i18n/pseudo';
import { fetchWith } from './email-code-helpers';
import { ORIGIN, STRONG_PASSWORD, uniqueName } from './helpers';

// The tester's pseudo-language en-XA (src/i18n/pseudo.ts): every English message accented
// and longer, formatting exactly as the English one does; offered only when LANGUAGES names it.

const textsOf = (message: Message) => (typeof message === 'string' ? [message] : Object.values(message) as string[]);

describe('pseudoLocalize', () => {
  it('accents every letter and makes the text about 40% longer', () => {
    const pseudo = pseudoLocalize('Sign in') as string;
    expect(pseudo).toMatch(/^\[Šîĝñ îñ ~+\]$/);
    expect(pseudo.length).toBeGreaterThanOrEqual(Math.round('Sign in'.length * 1.4));
    for (const [key, message] of Object.entries(ENGLISH)) {
      const pseudoTexts = textsOf(pseudoLocalize(message));
      for (const [i, english] of textsOf(message).entries()) {
        const pseudo = pseudoTexts[i]!;
        if (!/[a-zA-Z]/.test(english.replace(/\{\w+\}|<\/?\w+>/g, ''))) continue;
        expect(pseudo.length, key).toBeGreaterThanOrEqual(Math.floor(english.length * 1.3));
        // No plain letters outside placeholders and tag names.
        expect(pseudo.replace(/\{\w+\}|<\/?\w+>/g, ''), key).not.toMatch(/[a-zA-Z]/);
      }
    }
  });

  it('keeps every placeholder, tag and plural category', () => {
    for (const [key, message] of Object.entries(ENGLISH)) {
      const pseudo = pseudoLocalize(message);
      expect(placeholdersIn(pseudo), key).toEqual(placeholdersIn(message));
      expect(tagsIn(pseudo), key).toEqual(tagsIn(message));
      if (typeof message !== 'string') expect(Object.keys(pseudo).sort(), key).toEqual(Object.keys(message).sort());
    }
  });

  it('formats like the English message: plural forms, filled placeholders, tagged parts', () => {
    const plural = { one: '1 passkey', other: '{count} passkeys' };
    expect(formatMessage('en-XA', pseudoLocalize(plural), { count: 1 })).toMatch(/^\[1 ṕáššķëý ~+\]$/);
    expect(formatMessage('en-XA', pseudoLocalize(plural), { count: 3 })).toMatch(/^\[3 ṕáššķëýš ~+\]$/);
    expect(formatMessage('en-XA', pseudoLocalize('Hello {name}'), { name: 'ada' })).toMatch(/^\[Ĥëļļö ada ~+\]$/);
    const parts = splitTags(formatMessage('en-XA', pseudoLocalize('New here? <a>Create an account</a>')));
    expect(parts).toEqual([expect.stringMatching(/^\[Ñëŵ ĥëŕë\? $/), { tag: 'a', text: 'Çŕëáţë áñ áççöûñţ' }, expect.stringMatching(/^ ~+\]$/)]);
  });

  it('leaves a message with no words as it is', () => {
    expect(pseudoLocalize(', ')).toBe(', ');
  });
});

// The app with another LANGUAGES than vitest.config.ts's, as a deployment would set it.
async function fetchPage(languages: string | undefined, path: string, headers: Record<string, string>): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await app.fetch(new Request(`${ORIGIN}${path}`, { headers: { 'cf-connecting-ip': '192.0.2.77', ...headers }, redirect: 'manual' }), { ...env, LANGUAGES: languages } as Env, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

describe('en-XA over HTTP', () => {
  const tester = 'en,de,fr,es,ja,ar,en-XA';

  it('speaks it to Accept-Language: en-XA and to the lang cookie when LANGUAGES lists it', async () => {
    for (const headers of [{ 'accept-language': 'en-XA' }, { cookie: 'lang=en-XA' }] as Record<string, string>[]) {
      const html = await (await fetchPage(tester, '/login', headers)).text();
      expect(html).toContain('<html lang="en-XA" dir="ltr">');
      expect(html).toContain(`>${pseudoLocalize(ENGLISH['auth.login.title'])}<`);
    }
  });

  it('is not in the language menu', async () => {
    const html = await (await fetchPage(tester, '/login', { 'accept-language': 'en-XA' })).text();
    expect(html).toContain('<option value="ar"');
    expect(html).not.toContain('value="en-XA"');
  });

  it('is English where LANGUAGES does not list it (production: the six, or unset)', async () => {
    for (const languages of ['en,de,fr,es,ja,ar', undefined]) {
      for (const headers of [{ 'accept-language': 'en-XA' }, { cookie: 'lang=en-XA' }] as Record<string, string>[]) {
        const html = await (await fetchPage(languages, '/login', headers)).text();
        expect(html).toContain('<html lang="en" dir="ltr">');
        expect(html).not.toMatch(/Šîĝñ/);
      }
    }
    // en-US still finds plain English when en-XA is offered.
    expect(await (await fetchPage(tester, '/login', { 'accept-language': 'en-US' })).text()).toContain('<html lang="en" dir="ltr">');
  });

  it('is never saved on an account made while browsing in it', async () => {
    const username = uniqueName('pseudo');
    const testerEnv = { ...env, LANGUAGES: tester } as Env;
    const made = await fetchWith(testerEnv, '/register', { cookie: 'lang=en-XA', fields: { username, email: `${username}@example.com`, password: STRONG_PASSWORD, passwordConfirm: STRONG_PASSWORD } });
    expect(made.status).toBe(303);
    expect(await env.DB.prepare('select language from users where username = ?').bind(username).first('language')).toBeNull();
  });
});
