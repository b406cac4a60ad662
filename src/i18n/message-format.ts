// Messages: plain strings with {placeholders}, or plural forms chosen by Intl.PluralRules
// (Arabic uses all six: zero, one, two, few, many, other). Text between <tag> and </tag> is
// handed to the caller (a link inside a sentence), so no sentence is glued from fragments.
// Nothing is compiled at request time: no eval, no new Function (Workers forbid both).

export type PluralCategory = 'zero' | 'one' | 'two' | 'few' | 'many' | 'other';
export type PluralMessage = Partial<Record<PluralCategory, string>> & { other: string };
export type Message = string | PluralMessage;

// The {names} in a message's text (its "other" form for a plural).
type NamesIn<S> = S extends `${string}{${infer Name}}${infer Rest}` ? Name | NamesIn<Rest> : never;
export type PlaceholdersOf<M> = M extends string ? NamesIn<M> : M extends { other: infer O } ? NamesIn<O> | 'count' : never;

export type ParamValue = string | number;

const pluralRules = new Map<string, Intl.PluralRules>();

function pluralCategory(language: string, count: number): PluralCategory {
  let rules = pluralRules.get(language);
  if (!rules) pluralRules.set(language, (rules = new Intl.PluralRules(language)));
  return rules.select(count) as PluralCategory;
}

// The text for these params: the plural form for `count`, placeholders filled in (numbers
// in the language's own digits and separators).
// Intl constructors are slow: one of each per language and isolate.
const numberFormats = new Map<string, Intl.NumberFormat>();

function formatNumber(language: string, value: number): string {
  let format = numberFormats.get(language);
  if (!format) numberFormats.set(language, (format = new Intl.NumberFormat(language)));
  return format.format(value);
}

export function formatMessage(language: string, message: Message, params: Record<string, ParamValue> = {}): string {
  const text = typeof message === 'string' ? message : (message[pluralCategory(language, Number(params.count ?? 0))] ?? message.other);
  if (!text.includes('{')) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? formatNumber(language, value) : value;
  });
}

// A formatted message cut at its <tag>...</tag> pairs: text, and tagged text for the caller
// to wrap (a link, <strong>). Tags do not nest.
export type RichPart = string | { tag: string; text: string };

export function splitTags(text: string): RichPart[] {
  const parts: RichPart[] = [];
  const pattern = /<(\w+)>(.*?)<\/\1>/gs;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    if (match.index > last) parts.push(text.slice(last, match.index));
    parts.push({ tag: match[1]!, text: match[2]! });
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

// Names used in a message (every form of a plural), for the catalogue test.
export function placeholdersIn(message: Message): string[] {
  const texts = typeof message === 'string' ? [message] : Object.values(message);
  const names = new Set<string>();
  for (const text of texts) for (const match of text.matchAll(/\{(\w+)\}/g)) names.add(match[1]!);
  return [...names].sort();
}

export function tagsIn(message: Message): string[] {
  const texts = typeof message === 'string' ? [message] : Object.values(message);
  const names = new Set<string>();
  for (const text of texts) for (const match of text.matchAll(/<(\w+)>/g)) names.add(match[1]!);
  return [...names].sort();
}
