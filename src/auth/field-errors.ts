import { ENGLISH, type MessageKey, type ParamsArg } from '../i18n/catalog';
import { formatMessage, type ParamValue } from '../i18n/message-format';
import type { Translator } from '../i18n/translator';

// User mistakes, by form field ("form" for the form as a whole): what domain functions
// return and the views show beside each field.
export type FieldErrors = Partial<Record<string, string[]>>;

// Domain code runs outside any page, so it cannot know the visitor's language: a message
// is either plain text (shown as it is) or a reference to a catalogue key with its params,
// which the field components translate when they render (src/views/components/field.tsx).
// A reference is U+0001, the key, and, with params, U+0001 and the params as JSON. A control
// character never appears in English text or in what a form takes (JSON escapes one inside
// a param as \u0001), so a reference cannot be mistaken for real text, nor real text for one.
const MARK = '\u0001';

export function fieldMessage<K extends MessageKey>(key: K, ...params: ParamsArg<K>): string {
  return params.length ? `${MARK}${key}${MARK}${JSON.stringify(params[0])}` : `${MARK}${key}`;
}

export interface FieldMessageRef {
  key: MessageKey;
  params?: Record<string, ParamValue>;
}

// The key and params of a reference; null for plain text (or a key no longer in the
// catalogue, which is then shown as it is rather than breaking the page).
export function parseFieldMessage(message: string): FieldMessageRef | null {
  if (!message.startsWith(MARK)) return null;
  const [, key, json] = message.split(MARK);
  if (!key || !Object.hasOwn(ENGLISH, key)) return null;
  if (json === undefined) return { key: key as MessageKey };
  try {
    return { key: key as MessageKey, params: JSON.parse(json) as Record<string, ParamValue> };
  } catch {
    return null;
  }
}

// The message in the translator's language (plain text comes back unchanged).
export function translateFieldMessage(message: string, translator: Pick<Translator, 't'>): string {
  const ref = parseFieldMessage(message);
  if (!ref) return message;
  // The key and params were checked against each other by fieldMessage's types.
  const t = translator.t as (key: MessageKey, params?: Record<string, ParamValue>) => string;
  return t(ref.key, ref.params);
}

// English, without a request: for the command line (npm run createsuperuser) and for tests
// that read a domain function's errors directly. No translator import, so Node can run it.
export function englishFieldMessage(message: string): string {
  const ref = parseFieldMessage(message);
  return ref ? formatMessage('en', ENGLISH[ref.key], ref.params) : message;
}

export function englishFieldErrors(errors: FieldErrors): FieldErrors {
  return Object.fromEntries(Object.entries(errors).map(([field, messages]) => [field, messages?.map(englishFieldMessage)]));
}
