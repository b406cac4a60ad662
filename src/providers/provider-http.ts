import * as oauth from 'oauth4webapi';
import type { ProviderDeps } from './provider-result';

// A provider slower than this is treated as down: the person waits on our callback page.
const REQUEST_TIMEOUT_MS = 8_000;

// The provider could not be reached, timed out or answered 5xx: "try again later".
export class ProviderUnreachableError extends Error {
  override name = 'ProviderUnreachableError';
}

export async function fetchFromProvider(deps: Pick<ProviderDeps, 'fetch'>, url: string, init: RequestInit): Promise<Response> {
  let response: Response;
  try {
    response = await (deps.fetch ? deps.fetch(url, init) : fetch(url, init));
  } catch (error) {
    throw new ProviderUnreachableError(`${new URL(url).host}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`, { cause: error });
  }
  if (response.status >= 500) throw new ProviderUnreachableError(`${new URL(url).host} answered ${response.status}`);
  return response;
}

// The transport options every oauth4webapi call gets.
export function providerRequestOptions(deps: Pick<ProviderDeps, 'fetch'>, allowHttp: boolean) {
  return {
    [oauth.customFetch]: (url: string, init: oauth.CustomFetchOptions<string, unknown>) => fetchFromProvider(deps, url, init as RequestInit),
    // Only ever true for a loopback issuer (provider-settings.ts refuses http elsewhere).
    [oauth.allowInsecureRequests]: allowHttp,
    signal: () => AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  };
}

// Whatever went wrong talking to a provider, as a refusal; never thrown to the caller.
export function describeProviderFailure(error: unknown): { reason: 'provider-unreachable' | 'provider-error'; detail: string } {
  if (error instanceof ProviderUnreachableError) return { reason: 'provider-unreachable', detail: error.message };
  if (error instanceof oauth.ResponseBodyError) return { reason: 'provider-error', detail: `${error.error}: ${error.error_description ?? error.message}` };
  if (error instanceof Error) {
    const code = 'code' in error && typeof error.code === 'string' ? ` (${error.code})` : '';
    return { reason: 'provider-error', detail: `${error.name}${code}: ${error.message}` };
  }
  return { reason: 'provider-error', detail: String(error) };
}
