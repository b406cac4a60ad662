import type { Child } from 'hono/jsx';
import { ENGLISH, type Catalog, type MessageKey, type ParamsArg } from './catalog';
import { DEFAULT_LANGUAGE, directionOf, type Language } from './languages';
import { formatMessage, splitTags, type ParamValue } from './message-format';

// What a page or an email needs to speak someone's language: the messages, and dates and
// times in their language and time zone.
export interface Translator {
  language: Language;
  dir: 'ltr' | 'rtl';
  timeZone: string;
  t<K extends MessageKey>(key: K, ...params: ParamsArg<K>): string;
  // A message with <tag>text</tag> parts, each wrapped by `tags` (a link, <strong>).
  rich<K extends MessageKey>(key: K, tags: Record<string, (text: string) => Child>, ...params: ParamsArg<K>): Child[];
  dateTime(when: number | Date, style?: 'medium' | 'long'): string;
  date(when: number | Date, style?: 'medium' | 'long'): string;
}

export const DEFAULT_TIME_ZONE = 'UTC';

// Time zones already checked in this isolate: building a DateTimeFormat to check one was
// an eighth of a signed-in page's CPU. Bounded, since the value comes from outside.
const checkedTimeZones = new Map<string, boolean>();
const CHECKED_TIME_ZONES_MAX = 1000;

// A time zone the runtime knows (an IANA name such as Europe/Paris), else null.
export function validTimeZone(value: unknown): string | null {
  if (typeof value !== 'string' || !value || value.length > 64) return null;
  let valid = checkedTimeZones.get(value);
  if (valid === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: value });
      valid = true;
    } catch {
      valid = false;
    }
    if (checkedTimeZones.size >= CHECKED_TIME_ZONES_MAX) checkedTimeZones.clear();
    checkedTimeZones.set(value, valid);
  }
  return valid ? value : null;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function dateFormat(language: Language, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${language}|${timeZone}|${JSON.stringify(options)}`;
  let format = formats.get(key);
  if (!format) formats.set(key, (format = new Intl.DateTimeFormat(language, { ...options, timeZone })));
  return format;
}

export function createTranslator(language: Language, catalog: Catalog, timeZone: string = DEFAULT_TIME_ZONE): Translator {
  const text = (key: MessageKey, params?: Record<string, ParamValue>) => formatMessage(language, catalog[key] ?? ENGLISH[key], params);
  return {
    language,
    dir: directionOf(language),
    timeZone,
    t: (key, ...params) => text(key, params[0] as Record<string, ParamValue> | undefined),
    rich: (key, tags, ...params) =>
      splitTags(text(key, params[0] as Record<string, ParamValue> | undefined)).map((part) => (typeof part === 'string' ? part : (tags[part.tag]?.(part.text) ?? part.text))),
    // Fields spelled out: Intl refuses dateStyle together with timeZoneName.
    dateTime: (when, style = 'medium') =>
      dateFormat(language, timeZone, { year: 'numeric', month: style === 'long' ? 'long' : 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' }).format(when),
    date: (when, style = 'medium') => dateFormat(language, timeZone, { dateStyle: style }).format(when),
  };
}

export const ENGLISH_TRANSLATOR = createTranslator(DEFAULT_LANGUAGE, ENGLISH);
