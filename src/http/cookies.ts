import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from './app-env';

export interface CookieDefinition {
  name: string;
  sameSite: 'Strict' | 'Lax';
  httpOnly: boolean;
  // Seconds, for a cookie set without an expiry of its own.
  maxAge?: number;
}

export interface AppCookie {
  nameFor(secure: boolean): string;
  read(c: Context<AppEnv>): string | undefined;
  // expiresAt (ms since the epoch): the cookie lives as long as what it carries.
  set(c: Context<AppEnv>, value: string, expiresAt?: number): void;
  delete(c: Context<AppEnv>): void;
}

// Over https every cookie that carries state is `__Host-`: Secure, Path=/, no Domain, so a
// sibling subdomain or a network attacker can neither plant nor overwrite it. That origin
// binding is worth more than scoping a cookie to a path, which is no security boundary.
// Browsers refuse Secure cookies over plain http (local development): the plain name there.
export function defineCookie(definition: CookieDefinition): AppCookie {
  const nameFor = (secure: boolean) => (secure ? `__Host-${definition.name}` : definition.name);
  const attributes = (secure: boolean) => ({ path: '/', secure, httpOnly: definition.httpOnly, sameSite: definition.sameSite });
  return {
    nameFor,
    read: (c) => getCookie(c, nameFor(c.get('config').secure)),
    set(c, value, expiresAt) {
      const secure = c.get('config').secure;
      const maxAge = expiresAt === undefined ? definition.maxAge : Math.max(0, Math.floor((expiresAt - Date.now()) / 1000));
      setCookie(c, nameFor(secure), value, { ...attributes(secure), maxAge });
    },
    delete(c) {
      const secure = c.get('config').secure;
      deleteCookie(c, nameFor(secure), attributes(secure));
    },
  };
}
