import * as oauth from 'oauth4webapi';
import { providerRequestOptions } from './provider-http';
import type { OidcProviderSettings } from './provider-settings';
import type { ProviderDeps } from './provider-result';

// Discovery documents, cached per isolate (the settings object lives as long as the config,
// which is read once per isolate). oauth4webapi caches the JWKS per metadata object (five
// minutes, fetched again sooner when a token names a key it does not know), so keeping this
// object also keeps the keys: a callback then fetches the token and nothing else.
const REFRESH_AFTER_MS = 60 * 60 * 1000;

interface Discovered {
  metadata: Promise<oauth.AuthorizationServer>;
  fetchedAt: number;
}

const discovered = new WeakMap<OidcProviderSettings, Discovered>();

export function discoverOidcProvider(settings: OidcProviderSettings, deps: Pick<ProviderDeps, 'fetch'>, now = Date.now()): Promise<oauth.AuthorizationServer> {
  const cached = discovered.get(settings);
  if (cached && now - cached.fetchedAt < REFRESH_AFTER_MS) return cached.metadata;
  const issuer = new URL(settings.issuer);
  const metadata = oauth
    .discoveryRequest(issuer, providerRequestOptions(deps, settings.allowHttp))
    .then((response) => oauth.processDiscoveryResponse(issuer, response));
  const entry = { metadata, fetchedAt: now };
  discovered.set(settings, entry);
  // A failure is not cached: the next sign-in asks again.
  metadata.catch(() => {
    if (discovered.get(settings) === entry) discovered.delete(settings);
  });
  return metadata;
}
