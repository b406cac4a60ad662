import { finishGithubSignIn, startGithubSignIn } from './github';
import { finishOidcSignIn, startOidcSignIn } from './oidc-sign-in';
import type { ProviderFlowIntent } from './provider-flow';
import type { ProviderCallbackResult, ProviderDeps, ProviderStartResult } from './provider-result';
import type { ProviderSettings } from './provider-settings';

// One entry for the routes, whichever kind of provider the id names.

export function findProvider(providers: readonly ProviderSettings[], id: string): ProviderSettings | null {
  return providers.find((p) => p.id === id) ?? null;
}

export function startProviderSignIn(
  settings: ProviderSettings,
  deps: ProviderDeps,
  options: { intent: ProviderFlowIntent; userId?: string; next?: string },
  now = Date.now(),
): Promise<ProviderStartResult> {
  return settings.kind === 'github' ? startGithubSignIn(settings, deps, options, now) : startOidcSignIn(settings, deps, options, now);
}

// Never throws for anything the provider or the browser does: a refusal says what happened.
export function finishProviderSignIn(
  settings: ProviderSettings,
  deps: ProviderDeps,
  callback: { url: URL; flowCookie: string | undefined },
  now = Date.now(),
): Promise<ProviderCallbackResult> {
  return settings.kind === 'github' ? finishGithubSignIn(settings, deps, callback, now) : finishOidcSignIn(settings, deps, callback, now);
}
