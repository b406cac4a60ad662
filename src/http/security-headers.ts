import { createMiddleware } from 'hono/factory';
import type { Config } from '../config';
import { providerFormOrigins } from '../providers/provider-settings';
import type { AppEnv } from './app-env';

function contentSecurityPolicy(config: Pick<Config, 'mediaBaseUrl' | 'signInProviders'> | undefined): string {
  // Avatars may live on a public media domain; blob: is the local upload preview.
  const mediaBaseUrl = config?.mediaBaseUrl;
  const mediaOrigin = mediaBaseUrl?.startsWith('http') ? ` ${new URL(mediaBaseUrl).origin}` : '';
  // The sign-in buttons post to /oauth/<id>/start, which redirects to the provider.
  const providers = config ? providerFormOrigins(config.signInProviders).map((origin) => ` ${origin}`).join('') : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src 'self' data: blob:${mediaOrigin}`,
    "font-src 'self'",
    "connect-src 'self'",
    `form-action 'self'${providers}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; ');
}

// One string per configuration (built once per isolate, like the configuration itself).
const policies = new WeakMap<object, string>();
function policyFor(config: Config | undefined): string {
  if (!config) return contentSecurityPolicy(undefined);
  let policy = policies.get(config);
  if (!policy) policies.set(config, (policy = contentSecurityPolicy(config)));
  return policy;
}

// Set on every response the Worker makes; signed-in pages are never stored by caches.
export const securityHeaders = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  const headers = c.res.headers;
  if (!headers.has('Content-Security-Policy')) headers.set('Content-Security-Policy', policyFor(c.get('config')));
  headers.set('X-Content-Type-Options', 'nosniff');
  headers.set('X-Frame-Options', 'DENY');
  if (!headers.has('Referrer-Policy')) headers.set('Referrer-Policy', 'strict-origin-when-cross-origin');
  headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  headers.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), interest-cohort=()');
  if (c.get('config')?.secure) headers.set('Strict-Transport-Security', 'max-age=63072000; includeSubDomains');
  if (c.get('user') || c.get('session') || headers.has('Set-Cookie')) headers.set('Cache-Control', 'no-store');
});
