import type { Child } from 'hono/jsx';
import { ENGLISH, type Catalog, type MessageKey, type ParamsArg } from './catalog';
import { DEFAULT_LANGUAGE, directionOf, type Language } from './languages';
import { formatMessage, splitTags, type ParamValue } from './message-format';
import { isolateMemo } from '../isolate-memo';

// What a page or an email needs to speak someone's language: the messages, and dates and
// times in their language and time zone.
export interface Translator {
  language: Language;
  // The messages it speaks: the language's own, or English where they could not be read.
  catalog: Catalog;
  dir: 'ltr' | 'rtl';
  timeZone: string;
  t<K extends MessageKey>(key: K, ...params: ParamsArg<K>): string;
  // A message with <tag>text</tag> parts, each wrapped by `tags` (a link, <strong>).
  rich<K extends MessageKey>(key: K, tags: Record<string, (text: string) => Child>, ...params: ParamsArg<K>): Child[];
  dateTime(when: number | Date, style?: 'medium' | 'long'): string;
  date(when: number | Date, style?: 'medium' | 'long'): string;
}

export const DEFAULT_TIME_ZONE = 'UTC';

// Building a DateTimeFormat to check a time zone was an eighth of a signed-in page's CPU:
// each one is checked once per isolate.
const isKnownTimeZone = isolateMemo((value: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
});

// A time zone the runtime knows (an IANA name such as Europe/Paris), else null.
export function validTimeZone(value: unknown): string | null {
  if (typeof value !== 'string' || !value || value.length > 64) return null;
  return isKnownTimeZone(value) ? value : null;
}

type DateKind = 'date' | 'dateTime';
type DateStyle = 'medium' | 'long';

// Fields spelled out for a date and time: Intl refuses dateStyle together with timeZoneName.
function dateOptions(kind: DateKind, style: DateStyle): Intl.DateTimeFormatOptions {
  if (kind === 'date') return { dateStyle: style };
  return { year: 'numeric', month: style === 'long' ? 'long' : 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' };
}

// Intl constructors are slow, and so is formatting: one format per language, time zone and
// style, and the text of each moment a page shows again and again (a member-since date).
const dateFormat = isolateMemo(
  (language: Language, timeZone: string, kind: DateKind, style: DateStyle) => new Intl.DateTimeFormat(language, { ...dateOptions(kind, style), timeZone }),
  (language, timeZone, kind, style) => `${language}|${timeZone}|${kind}|${style}`,
);
const formattedDate = isolateMemo(
  (language: Language, timeZone: string, kind: DateKind, style: DateStyle, time: number) => dateFormat(language, timeZone, kind, style).format(time),
  (language, timeZone, kind, style, time) => `${language}|${timeZone}|${kind}|${style}|${time}`,
);

export function createTranslator(language: Language, catalog: Catalog, timeZone: string = DEFAULT_TIME_ZONE): Translator {
  const text = (key: MessageKey, params?: Record<string, ParamValue>) => formatMessage(language, catalog[key] ?? ENGLISH[key], params);
  return {
    language,
    catalog,
    dir: directionOf(language),
    timeZone,
    t: (key, ...params) => text(key, params[0] as Record<string, ParamValue> | undefined),
    rich: (key, tags, ...params) =>
      splitTags(text(key, params[0] as Record<string, ParamValue> | undefined)).map((part) => (typeof part === 'string' ? part : (tags[part.tag]?.(part.text) ?? part.text))),
    dateTime: (when, style = 'medium') => formattedDate(language, timeZone, 'dateTime', style, +when),
    date: (when, style = 'medium') => formattedDate(language, timeZone, 'date', style, +when),
  };
}

export const ENGLISH_TRANSLATOR = createTranslator(DEFAULT_LANGUAGE, ENGLISH);
