import type { Context } from 'hono';
import { loadCatalog } from '../i18n/load-catalog';
import { createTranslator, DEFAULT_TIME_ZONE } from '../i18n/translator';
import type { AppEnv } from './app-env';
import { chooseLanguage, languageCookie, requestTimeZone } from './locale';

// For pages answered before the signed-in person is known: the cross-site refusal, the
// unreadable-form page, a failure. They still speak the visitor's language: the menu's
// cookie, then Accept-Language (detectLanguage runs first for this). No storage is read.
export async function applyVisitorLocale(c: Context<AppEnv>): Promise<void> {
  const config = c.get('config');
  if (c.get('i18n') || !config) return;
  const language = chooseLanguage(config.languages, [languageCookie.read(c), c.get('language')]);
  c.set('i18n', createTranslator(language, await loadCatalog(c.env.ASSETS, language), requestTimeZone(c.req.raw) ?? DEFAULT_TIME_ZONE));
}
