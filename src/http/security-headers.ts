import { createMiddleware } from 'hono/factory';
import type { AppEnv } from './app-env';

function contentSecurityPolicy(mediaBaseUrl: string | undefined): string {
  // Avatars may live on a public media domain; blob: is the local upload preview.
  const mediaOrigin = mediaBaseUrl?.startsWith('http') ? ` ${new URL(mediaBaseUrl).origin}` : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src 'self' data: blob:${mediaOrigin}`,
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; ');
}

// Set on every response the Worker makes; signed-in pages are never stored by caches.
export const securityHeaders = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  const headers = c.res.headers;
  if (!headers.has('Content-Security-Policy')) headers.set('Content-Security-Policy', contentSecurityPolicy(c.var.config?.mediaBaseUrl));
  headers.set('X-Content-Type-Options', 'nosniff');
  headers.set('X-Frame-Options', 'DENY');
  if (!headers.has('Referrer-Policy')) headers.set('Referrer-Policy', 'strict-origin-when-cross-origin');
  headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  headers.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), interest-cohort=()');
  if (c.var.config?.secure) headers.set('Strict-Transport-Security', 'max-age=63072000; includeSubDomains');
  if (c.var.user || c.var.session || headers.has('Set-Cookie')) headers.set('Cache-Control', 'no-store');
});
