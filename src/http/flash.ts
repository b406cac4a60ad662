import type { Context } from 'hono';
import type { AppEnv } from './app-env';
import type { Flash } from '../views/components/flash';
import { defineCookie } from './cookies';

const flashCookie = defineCookie({ name: 'flash', sameSite: 'Lax', httpOnly: true, maxAge: 60 });
const KINDS = new Set<Flash['kind']>(['success', 'info', 'error']);

// A one-time message shown on the page after a redirect ("Welcome!", "Signed out").
export function setFlash(c: Context<AppEnv>, flash: Flash): void {
  flashCookie.set(c, `${flash.kind}:${encodeURIComponent(flash.message)}`);
}

export function takeFlash(c: Context<AppEnv>): Flash | null {
  const raw = flashCookie.read(c);
  if (!raw) return null;
  flashCookie.delete(c);
  const separator = raw.indexOf(':');
  const kind = raw.slice(0, separator) as Flash['kind'];
  if (separator < 0 || !KINDS.has(kind)) return null;
  try {
    return { kind, message: decodeURIComponent(raw.slice(separator + 1)).slice(0, 300) };
  } catch {
    return null;
  }
}
