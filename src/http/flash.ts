import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Flash } from '../views/components/flash';

const COOKIE = 'flash';
const KINDS = new Set<Flash['kind']>(['success', 'info', 'error']);

// A one-time message shown on the page after a redirect ("Welcome!", "Signed out").
export function setFlash(c: Context, flash: Flash): void {
  setCookie(c, COOKIE, `${flash.kind}:${encodeURIComponent(flash.message)}`, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: new URL(c.req.url).protocol === 'https:',
    maxAge: 60,
  });
}

export function takeFlash(c: Context): Flash | null {
  const raw = getCookie(c, COOKIE);
  if (!raw) return null;
  deleteCookie(c, COOKIE, { path: '/' });
  const separator = raw.indexOf(':');
  const kind = raw.slice(0, separator) as Flash['kind'];
  if (separator < 0 || !KINDS.has(kind)) return null;
  try {
    return { kind, message: decodeURIComponent(raw.slice(separator + 1)).slice(0, 300) };
  } catch {
    return null;
  }
}
