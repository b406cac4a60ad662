import type { Context } from 'hono';
import type { AppEnv } from './app-env';

// The answers of the JSON endpoints the passkey script calls (assets/static/passkeys.js
// shows `error` beside the button, and puts it by `field` when there is one). `error` is
// in the visitor's language: callers pass c.var.i18n.t(...).

export function refuseJson(c: Context<AppEnv>, status: 400 | 401 | 403 | 409 | 422, error: string, field?: string) {
  return c.json(field ? { error, field } : { error }, status);
}

export function tooManyJson(c: Context<AppEnv>, retryAfterSeconds: number) {
  c.header('Retry-After', String(Math.ceil(retryAfterSeconds)));
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return c.json({ error: c.var.i18n.t('security.json.tooManyAttempts', { count: minutes }) }, 429);
}
