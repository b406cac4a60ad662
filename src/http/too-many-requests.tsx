import type { Context } from 'hono';
import type { AppEnv } from './app-env';
import { RateLimitedPage } from '../views/pages/rate-limited';

export function tooManyRequests(c: Context<AppEnv>, retryAfterSeconds: number) {
  c.header('Retry-After', String(Math.ceil(retryAfterSeconds)));
  return c.html(<RateLimitedPage retryAfterSeconds={retryAfterSeconds} user={c.var.user} />, 429);
}
