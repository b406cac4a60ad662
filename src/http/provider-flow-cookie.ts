import { PROVIDER_FLOW_COOKIE_MAX_AGE_SECONDS } from '../providers/provider-flow';
import { defineCookie } from './cookies';

// The sealed provider flow (src/providers/provider-flow.ts) between leaving for a provider
// and coming back. SameSite=Lax: the return from the provider is a cross-site navigation,
// which a Strict cookie would not survive.
export const providerFlowCookie = defineCookie({
  name: 'provider_flow',
  sameSite: 'Lax',
  httpOnly: true,
  maxAge: PROVIDER_FLOW_COOKIE_MAX_AGE_SECONDS,
});
