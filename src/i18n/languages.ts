// The languages the app speaks. English is the source: its catalogue is in the Worker
// (src/i18n/en/); the others are JSON in the Worker's assets (assets/i18n/<language>/),
// read on first use in an isolate and kept (src/i18n/load-catalog.ts).
export const LANGUAGES = ['en', 'de', 'fr', 'es', 'ja', 'ar'] as const;
// A tester's pseudo-language (BCP 47 pseudo-locale): English accented and padded by
// src/i18n/pseudo.ts, to see untranslated text and tight layouts. Never offered unless
// LANGUAGES names it (the browser tests do), never in the language menu.
export const PSEUDO_LANGUAGE = 'en-XA' as const;
export type Language = (typeof LANGUAGES)[number] | typeof PSEUDO_LANGUAGE;
export const KNOWN_LANGUAGES: readonly Language[] = [...LANGUAGES, PSEUDO_LANGUAGE];
export const DEFAULT_LANGUAGE: Language = 'en';

// Each language's name in itself, for the menu.
export const LANGUAGE_NAMES: Record<Language, string> = {
  en: 'English',
  de: 'Deutsch',
  fr: 'Français',
  es: 'Español',
  ja: '日本語',
  ar: 'العربية',
  'en-XA': 'Pseudo',
};

const RIGHT_TO_LEFT = new Set<Language>(['ar']);

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (KNOWN_LANGUAGES as readonly string[]).includes(value);
}

export function directionOf(language: Language): 'ltr' | 'rtl' {
  return RIGHT_TO_LEFT.has(language) ? 'rtl' : 'ltr';
}
