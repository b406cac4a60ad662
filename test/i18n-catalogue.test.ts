import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { AREAS, type Area } from '../src/i18n/catalog';
import { LANGUAGES } from '../src/i18n/languages';
import { placeholdersIn, tagsIn, type Message } from '../src/i18n/message-format';

// Every language has exactly the English keys, area by area, with the same placeholders
// and tags, and a plural message has every form its language's plural rules use.

async function translation(language: string, area: Area): Promise<Record<string, Message>> {
  const response = await env.ASSETS.fetch(`https://assets.invalid/i18n/${language}/${area}.json`);
  expect(response.status, `${language}/${area}.json`).toBe(200);
  return response.json();
}

const others = LANGUAGES.filter((language) => language !== 'en');

describe('the catalogues', () => {
  for (const language of others) {
    for (const area of Object.keys(AREAS) as Area[]) {
      it(`${language}/${area}: the same keys, placeholders and tags as English, every plural form`, async () => {
        const english = AREAS[area] as Record<string, Message>;
        const translated = await translation(language, area);
        expect(Object.keys(translated).sort(), 'keys').toEqual(Object.keys(english).sort());
        const categories = new Intl.PluralRules(language).resolvedOptions().pluralCategories;
        for (const [key, message] of Object.entries(translated)) {
          const source = english[key]!;
          expect(placeholdersIn(message), `${key}: placeholders`).toEqual(placeholdersIn(source));
          expect(tagsIn(message), `${key}: tags`).toEqual(tagsIn(source));
          expect(typeof message, `${key}: plural or not, as in English`).toBe(typeof source);
          if (typeof message !== 'string') {
            expect(Object.keys(message).sort(), `${key}: plural forms`).toEqual([...categories].sort());
            for (const text of Object.values(message)) expect(text.trim(), key).not.toBe('');
          } else {
            expect(message.trim(), key).not.toBe('');
          }
        }
      });
    }
  }

  it('English keys start with their area', () => {
    for (const [area, messages] of Object.entries(AREAS)) {
      for (const key of Object.keys(messages)) expect(key.startsWith(`${area}.`), key).toBe(true);
    }
  });

  // One typographic convention for French: a no-break space before ":" and inside « »,
  // a narrow one before ; ! ? (so a line never starts with the mark).
  for (const area of Object.keys(AREAS) as Area[]) {
    it(`fr/${area}: the spaces before : ; ! ? and inside « » do not break`, async () => {
      for (const [key, message] of Object.entries(await translation('fr', area))) {
        for (const text of typeof message === 'string' ? [message] : Object.values(message)) {
          expect(text, `${key}: a space that may break, or none, before ; ! ?`).not.toMatch(/(?:[ \u00a0]|[\p{L}\d)}»])[;!?]/u);
          expect(text, `${key}: before :`).not.toMatch(/(?:[ \u202f]|[\p{L})}»]):(?=\s|$)/u);
          expect(text, `${key}: inside « »`).not.toMatch(/«(?!\u00a0)|(?<!\u00a0)»/u);
        }
      }
    });
  }
});
