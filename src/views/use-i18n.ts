import { tryGetContext } from 'hono/context-storage';
import type { AppEnv } from '../http/app-env';
import { ENGLISH_TRANSLATOR, type Translator } from '../i18n/translator';

// The request's translator, for components deep in a page (set by src/http/locale.ts,
// reached through hono's context storage, so it is not passed through every prop). Outside
// a request (a unit test rendering a page), English. It lives with the views: src/i18n
// knows nothing of Hono or of a request.
export function useI18n(): Translator {
  // get(), not .var: Hono builds a new object of every variable on each .var read.
  return tryGetContext<AppEnv>()?.get('i18n') ?? ENGLISH_TRANSLATOR;
}
