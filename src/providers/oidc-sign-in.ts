import * as oauth from 'oauth4webapi';
import { discoverOidcProvider } from './oidc-discovery';
import { newProviderFlow, openProviderFlow, providerFlowKey, sealProviderFlow, type ProviderFlowIntent } from './provider-flow';
import { describeProviderFailure, providerRequestOptions } from './provider-http';
import { readAddress, readText, type ProviderCallbackResult, type ProviderClaims, type ProviderDeps, type ProviderStartResult } from './provider-result';
import type { OidcProviderSettings } from './provider-settings';

// Sign-in with any OpenID Connect provider: the authorization code flow with state, PKCE
// (S256) and nonce; the ID token's signature (against the issuer's JWKS), issuer, audience,
// expiry and nonce are all checked before its claims are believed.

const SCOPE = 'openid email profile';

function clientOf(settings: OidcProviderSettings): oauth.Client {
  return { client_id: settings.clientId };
}

// Basic unless the provider says it only takes the secret in the body.
function clientAuthentication(as: oauth.AuthorizationServer, settings: OidcProviderSettings): oauth.ClientAuth {
  const methods = as.token_endpoint_auth_methods_supported;
  const postOnly = methods && !methods.includes('client_secret_basic') && methods.includes('client_secret_post');
  return postOnly ? oauth.ClientSecretPost(settings.clientSecret) : oauth.ClientSecretBasic(settings.clientSecret);
}

// How recent the person's sign-in at the provider must be to confirm it is them.
export const CONFIRM_MAX_AGE_SECONDS = 300;

export async function startOidcSignIn(
  settings: OidcProviderSettings,
  deps: ProviderDeps,
  options: { intent: ProviderFlowIntent; userId?: string; next?: string },
  now = Date.now(),
): Promise<ProviderStartResult> {
  let as: oauth.AuthorizationServer;
  try {
    as = await discoverOidcProvider(settings, deps, now);
  } catch (error) {
    return { ok: false, ...describeProviderFailure(error) };
  }
  if (!as.authorization_endpoint) return { ok: false, reason: 'provider-error', detail: 'discovery document has no authorization_endpoint' };
  const flow = newProviderFlow(settings.id, options, now);
  const url = new URL(as.authorization_endpoint);
  url.searchParams.set('client_id', settings.clientId);
  url.searchParams.set('redirect_uri', settings.redirectUri);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', SCOPE);
  url.searchParams.set('state', flow.state);
  url.searchParams.set('nonce', flow.nonce);
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(flow.codeVerifier));
  url.searchParams.set('code_challenge_method', 'S256');
  // "Confirm it is you" must be a fresh sign-in at the provider, not a session the browser
  // happened to keep there: the ID token's auth_time is checked against it on the way back.
  if (options.intent === 'confirm') url.searchParams.set('max_age', String(CONFIRM_MAX_AGE_SECONDS));
  return { ok: true, url, flowCookie: await sealProviderFlow(await providerFlowKey(deps.secret), flow), expiresAt: flow.expiresAt };
}

export async function finishOidcSignIn(
  settings: OidcProviderSettings,
  deps: ProviderDeps,
  callback: { url: URL; flowCookie: string | undefined },
  now = Date.now(),
): Promise<ProviderCallbackResult> {
  const params = callback.url.searchParams;
  const check = await openProviderFlow(await providerFlowKey(deps.secret), callback.flowCookie, { providerId: settings.id, state: params.get('state') }, now);
  if (!check.ok) return check;
  const { flow } = check;
  try {
    const as = await discoverOidcProvider(settings, deps, now);
    const client = clientOf(settings);
    const options = providerRequestOptions(deps, settings.allowHttp);
    let callbackParams: URLSearchParams;
    try {
      callbackParams = oauth.validateAuthResponse(as, client, params, flow.state);
    } catch (error) {
      if (error instanceof oauth.AuthorizationResponseError && error.error === 'access_denied') {
        return { ok: false, reason: 'cancelled', detail: error.error_description ?? 'access_denied', flow };
      }
      throw error;
    }
    const response = await oauth.authorizationCodeGrantRequest(as, client, clientAuthentication(as, settings), callbackParams, settings.redirectUri, flow.codeVerifier, options);
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, response, {
      expectedNonce: flow.nonce,
      requireIdToken: true,
      ...(flow.intent === 'confirm' ? { maxAge: CONFIRM_MAX_AGE_SECONDS } : {}),
    });
    // processAuthorizationCodeResponse checks the claims but not the signature: that is this.
    await oauth.validateApplicationLevelSignature(as, response, options);
    const idToken = oauth.getValidatedIdTokenClaims(tokens)!;
    let claims: Record<string, unknown> = idToken;
    // Some providers put the address in the userinfo answer only: one more request then.
    if (idToken.email === undefined && as.userinfo_endpoint) {
      const userInfo = await oauth.processUserInfoResponse(as, client, idToken.sub, await oauth.userInfoRequest(as, client, tokens.access_token, options));
      claims = { ...userInfo, ...idToken, email: userInfo.email, email_verified: userInfo.email_verified };
    }
    return { ok: true, claims: toProviderClaims(settings, idToken.iss, idToken.sub, claims), flow };
  } catch (error) {
    return { ok: false, ...describeProviderFailure(error), flow };
  }
}

function toProviderClaims(settings: OidcProviderSettings, issuer: string, subject: string, claims: Record<string, unknown>): ProviderClaims {
  const email = readAddress(claims.email);
  return {
    providerId: settings.id,
    issuer,
    subject,
    email,
    // Some providers send the string "true".
    emailVerified: email !== null && (claims.email_verified === true || claims.email_verified === 'true'),
    preferredUsername: readText(claims.preferred_username) ?? readText(claims.nickname),
    name: readText(claims.name),
  };
}
