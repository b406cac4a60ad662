import { zValidator } from '@hono/zod-validator';
import { eq } from 'drizzle-orm';
import { Hono } from 'hono';
import * as z from 'zod/mini';
import { safeNextPath } from '../auth/redirects';
import { users } from '../db/schema';
import type { AppEnv } from '../http/app-env';
import { languageCookie, LANGUAGE_COOKIE_MAX_AGE, requestTimeZone } from '../http/locale';
import { isLanguage } from '../i18n/languages';

const languageForm = z.object({ language: z.string().check(z.maxLength(10)), next: z.optional(z.string().check(z.maxLength(2000))) });

// The footer's language menu: a cookie for this browser, and for a signed-in person the
// account too (with the time zone of this moment), so their emails speak it.
export const languageRoutes = new Hono<AppEnv>().post('/language', zValidator('form', languageForm), async (c) => {
  const { language, next } = c.req.valid('form');
  if (!isLanguage(language) || !c.var.config.languages.includes(language)) return c.redirect(safeNextPath(next, '/'), 303);
  languageCookie.set(c, language, Date.now() + LANGUAGE_COOKIE_MAX_AGE * 1000);
  const user = c.var.user;
  if (user) {
    const timeZone = requestTimeZone(c.req.raw);
    await c.var.db.update(users).set({ language, ...(timeZone ? { timeZone } : {}) }).where(eq(users.id, user.id));
  }
  return c.redirect(safeNextPath(next, '/'), 303);
});
