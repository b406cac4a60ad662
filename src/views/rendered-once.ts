import { raw } from 'hono/html';
import type { JSX } from 'hono/jsx/jsx-runtime';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { Catalog } from '../i18n/catalog';
import { isolateMemo } from '../isolate-memo';
import { useI18n } from './use-i18n';

type Render = () => JSX.Element;

// Turning JSX into HTML was about a twentieth of a signed-in page's throughput, and most
// of a page is the same for everyone who reads it in the same language: the head (but its
// title), the header's links, the footer and its language menu, a page's fixed buttons.
// Such markup is rendered once per isolate and then reused as it is.
//
// The key must name everything the markup depends on besides the language (staff or
// member, the languages on offer). Nothing that belongs to one person goes inside: no
// name, no address, no token, no date in their time zone. Kept per catalogue, so markup
// rendered while a language's messages could not be read (English,
// src/i18n/load-catalog.ts) is not served once they can be.
const memos = new WeakMap<Catalog, (key: string, render: Render) => HtmlEscapedString>();

function renderNow(key: string, render: Render): HtmlEscapedString {
  const html: unknown = render().toString();
  if (typeof html !== 'string') throw new Error(`renderedOnce('${key}'): only markup with no async part can be kept`);
  return raw(html);
}

export function renderedOnce(key: string, render: Render): HtmlEscapedString {
  const { catalog, language } = useI18n();
  let memo = memos.get(catalog);
  if (!memo) memos.set(catalog, (memo = isolateMemo(renderNow, (key) => key)));
  return memo(`${language}|${key}`, render);
}
