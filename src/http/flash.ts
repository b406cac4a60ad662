import type { Context } from 'hono';
import type { AppEnv } from './app-env';
import type { Flash } from '../views/components/flash';
import { defineCookie } from './cookies';

const flashCookie = defineCookie({ name: 'flash', sameSite: 'Lax', httpOnly: true, maxAge: 60 });
const KINDS = new Set<Flash['kind']>(['success', 'info', 'error']);
// Browsers drop a cookie over 4096 bytes. A message is percent-encoded, so one Arabic or
// Japanese character takes 6 to 9 bytes: the budget is counted in encoded bytes, with room
// left for the name and attributes.
export const FLASH_VALUE_BYTES = 3500;

// The message as it fits in the cookie: whole, or cut at a character with an ellipsis.
export function fitFlashMessage(message: string): string {
  if (encodeURIComponent(message).length <= FLASH_VALUE_BYTES) return message;
  const characters = Array.from(message);
  let kept = characters.length;
  while (kept > 0 && encodeURIComponent(`${characters.slice(0, kept).join('')}…`).length > FLASH_VALUE_BYTES) kept = Math.floor(kept * 0.9);
  return `${characters.slice(0, kept).join('')}…`;
}

// A one-time message shown on the page after a redirect ("Welcome!", "Signed out").
export function setFlash(c: Context<AppEnv>, flash: Flash): void {
  flashCookie.set(c, `${flash.kind}:${encodeURIComponent(fitFlashMessage(flash.message))}`);
}

export function takeFlash(c: Context<AppEnv>): Flash | null {
  const raw = flashCookie.read(c);
  if (!raw) return null;
  flashCookie.delete(c);
  const separator = raw.indexOf(':');
  const kind = raw.slice(0, separator) as Flash['kind'];
  if (separator < 0 || !KINDS.has(kind)) return null;
  try {
    return { kind, message: decodeURIComponent(raw.slice(separator + 1)) };
  } catch {
    return null;
  }
}
