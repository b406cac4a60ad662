import * as z from 'zod/mini';

const configSchema = z.object({
  PUBLIC_ORIGIN: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://accounts.example.com' }),
});

export interface Config {
  publicOrigin: string;
  // https origin: Secure + __Host- cookies and HSTS. Plain http only makes sense locally.
  secure: boolean;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const cache = new WeakMap<object, Config>();

// Validated once per isolate and env object, on the first request that needs it.
export function readConfig(env: Env): Config {
  const cached = cache.get(env);
  if (cached) return cached;
  const result = configSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || 'config'}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration (check wrangler.toml vars and secrets):\n  ${problems.join('\n  ')}`);
  }
  const publicOrigin = new URL(result.data.PUBLIC_ORIGIN).origin;
  const config: Config = { publicOrigin, secure: publicOrigin.startsWith('https:') };
  cache.set(env, config);
  return config;
}
