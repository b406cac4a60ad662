import { inject } from 'vitest';
import { readProviderSettings, type GithubProviderSettings, type OidcProviderSettings } from '../src/providers/provider-settings';
import type { ProviderDeps } from '../src/providers/provider-result';
import { GITHUB_TEST_CLIENT } from './github-stand-in';
import { ORIGIN } from './helpers';

// Settings as readConfig makes them, but a new object each call: caches (discovery, JWKS)
// hang off the settings object, so each test starts cold unless it reuses one.
export function oidcSettings(id = 'local', issuer = inject('oidcIssuer')): OidcProviderSettings {
  const prefix = `OIDC_${id.toUpperCase().replaceAll('-', '_')}`;
  const result = readProviderSettings(
    {
      SIGN_IN_PROVIDERS: id,
      [`${prefix}_ISSUER`]: issuer,
      [`${prefix}_CLIENT_ID`]: 'edge-accounts-dev',
      [`${prefix}_CLIENT_SECRET`]: 'local-development-secret',
      [`${prefix}_NAME`]: 'Local OpenID (development)',
    },
    ORIGIN,
  );
  if (!result.ok) throw new Error(result.problems.join('; '));
  return result.providers[0] as OidcProviderSettings;
}

export function githubSettings(): GithubProviderSettings {
  const result = readProviderSettings(
    {
      SIGN_IN_PROVIDERS: 'github',
      GITHUB_CLIENT_ID: GITHUB_TEST_CLIENT.clientId,
      GITHUB_CLIENT_SECRET: GITHUB_TEST_CLIENT.clientSecret,
      GITHUB_OAUTH_URL: inject('githubStandIn'),
      GITHUB_API_URL: inject('githubStandIn'),
    },
    ORIGIN,
  );
  if (!result.ok) throw new Error(result.problems.join('; '));
  return result.providers[0] as GithubProviderSettings;
}

// Deps whose fetch records "METHOD path" of every request the provider module makes.
export function recordingDeps(rewrite?: (url: string) => string | undefined): ProviderDeps & { requests: string[] } {
  const requests: string[] = [];
  const secret = crypto.getRandomValues(new Uint8Array(32));
  return {
    secret,
    requests,
    fetch: ((input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input instanceof Request ? input.url : input);
      requests.push(`${init?.method ?? 'GET'} ${new URL(url).pathname}`);
      return fetch(rewrite?.(url) ?? url, init);
    }) as typeof fetch,
  };
}

let counter = 0;
export function uniqueLogin(prefix = 'person'): string {
  counter += 1;
  return `${prefix}${Date.now().toString(36)}${counter}`;
}
