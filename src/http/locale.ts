import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { languageDetector } from 'hono/language';
import { loadCatalog } from '../i18n/load-catalog';
import { DEFAULT_LANGUAGE, KNOWN_LANGUAGES, type Language } from '../i18n/languages';
import { createTranslator, DEFAULT_TIME_ZONE, validTimeZone } from '../i18n/translator';
import type { AppEnv } from './app-env';
import { defineCookie } from './cookies';

// Which language a page speaks, strongest first: the signed-in person's saved choice, the
// language menu's cookie, the browser's Accept-Language (hono's languageDetector, which
// falls back from de-CH to de), English. Only the languages this deployment offers
// (LANGUAGES). Nothing here reads storage: the saved language and time zone come with the
// user row the page loads anyway, the catalogue from an isolate-wide cache.

export const LANGUAGE_COOKIE_MAX_AGE = 365 * 24 * 60 * 60;
export const languageCookie = defineCookie({ name: 'lang', sameSite: 'Lax', httpOnly: true, maxAge: LANGUAGE_COOKIE_MAX_AGE });

// The header only, and no cookie of its own: the cookie and the account are read below.
export const detectLanguage = languageDetector({ supportedLanguages: [...KNOWN_LANGUAGES], fallbackLanguage: DEFAULT_LANGUAGE, order: ['header'], caches: false });

// The time zone Cloudflare puts on the request (cf.timezone), when it names one.
export function requestTimeZone(request: Request): string | null {
  return validTimeZone((request as { cf?: { timezone?: unknown } }).cf?.timezone);
}

export function chooseLanguage(offered: readonly Language[], candidates: (string | null | undefined)[]): Language {
  return (candidates.find((candidate) => offered.includes(candidate as Language)) as Language | undefined) ?? DEFAULT_LANGUAGE;
}

// The request's translator: the signed-in person's saved language and time zone first.
async function setTranslator(c: Context<AppEnv>, user: { language?: string | null; timeZone?: string | null } | null): Promise<void> {
  const language = chooseLanguage(c.get('config').languages, [user?.language, languageCookie.read(c), c.get('language')]);
  const timeZone = validTimeZone(user?.timeZone) ?? requestTimeZone(c.req.raw) ?? DEFAULT_TIME_ZONE;
  c.set('i18n', createTranslator(language, await loadCatalog(c.env.ASSETS, language), timeZone));
}

export const applyLocale = createMiddleware<AppEnv>(async (c, next) => {
  await setTranslator(c, c.get('user'));
  await next();
});

// For pages answered before the signed-in person is known: the cross-site refusal, the
// unreadable-form page, a failure. They still speak the visitor's language: the menu's
// cookie, then Accept-Language (detectLanguage runs first for this). No storage is read.
export async function applyVisitorLocale(c: Context<AppEnv>): Promise<void> {
  if (c.get('i18n') || !c.get('config')) return;
  await setTranslator(c, null);
}
