import type { Config } from '../config';

// Links in emails come from the configured origin, never from the request's Host or
// X-Forwarded-Host headers: a forged Host must not point a reset link elsewhere.
export function absoluteUrl(config: Pick<Config, 'publicOrigin'>, path: string, query: Record<string, string> = {}): string {
  const url = new URL(path, config.publicOrigin);
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  return url.toString();
}
