import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from './app-env';
import { applyVisitorLocale } from './locale';
import { ErrorPage } from '../views/pages/error';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const FORM_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data']);
// Bodies up to this size are read and checked here. Larger ones (an avatar upload) are
// left to their route: its size limit runs before anything is read, and its validator
// refuses a broken form the same way (an HTTPException 400, rendered by app.onError).
const CHECKED_BODY_BYTES = 64 * 1024;
// The only JSON the app takes: the passkey script's calls (src/routes/passkeys.tsx reads
// and checks those bodies itself; CSRF still applies, as to every POST).
export const JSON_BODY_PATHS = new Set(['/account/security/passkeys/options', '/account/security/passkeys/register', '/login/passkey/options', '/login/passkey']);

// The URL standard's form parser turns a broken %-escape into U+FFFD without complaint;
// decodeURIComponent refuses it.
export function hasBrokenEscape(urlencoded: string): boolean {
  return urlencoded.split('&').some((pair) => {
    try {
      decodeURIComponent(pair.replaceAll('+', ' '));
      return false;
    } catch {
      return true;
    }
  });
}

async function isReadableForm(c: Context<AppEnv>, type: string): Promise<boolean> {
  if (type === 'application/x-www-form-urlencoded' && hasBrokenEscape(await c.req.text())) return false;
  // Parsed once: the route's validator or parseBody takes it from c.req.bodyCache.
  return c.req.formData().then(
    () => true,
    () => false,
  );
}

// Every form in the app posts one of the two form encodings. Anything else (JSON, a
// multipart body that does not match its boundary, broken escapes) gets the 400 page
// before a route acts on it, including routes that never read their body (sign-out).
export const refuseUnreadableBodies = createMiddleware<AppEnv>(async (c, next) => {
  if (SAFE_METHODS.has(c.req.method)) return next();
  const type = c.req.header('content-type')?.split(';')[0]!.trim().toLowerCase();
  const length = Number(c.req.header('content-length') ?? Number.NaN);
  if (type === 'application/json' && JSON_BODY_PATHS.has(c.req.path)) return next();
  const readable = !type ? !(length > 0) : FORM_TYPES.has(type) && (!(length <= CHECKED_BODY_BYTES) || (await isReadableForm(c, type)));
  if (!readable) {
    await applyVisitorLocale(c);
    return c.html(<ErrorPage status={400} user={c.var.user} />, 400);
  }
  return next();
});
