import * as oauth from 'oauth4webapi';
import { newProviderFlow, openProviderFlow, providerFlowKey, sealProviderFlow, type ProviderFlowIntent } from './provider-flow';
import { describeProviderFailure, fetchFromProvider, providerRequestOptions } from './provider-http';
import { readAddress, readText, type ProviderCallbackResult, type ProviderDeps, type ProviderStartResult } from './provider-result';
import type { GithubProviderSettings } from './provider-settings';

// Sign-in with GitHub: OAuth 2.0 with state and PKCE (S256), no OpenID Connect. The identity
// is the numeric user id (logins can be renamed and reused); the address is the primary one
// from /user/emails, and only when GitHub has verified it.

const SCOPE = 'read:user user:email';

function serverOf(settings: GithubProviderSettings): oauth.AuthorizationServer {
  return { issuer: settings.issuer, authorization_endpoint: settings.authorizeUrl, token_endpoint: settings.tokenUrl };
}

export async function startGithubSignIn(
  settings: GithubProviderSettings,
  deps: ProviderDeps,
  options: { intent: ProviderFlowIntent; userId?: string; next?: string },
  now = Date.now(),
): Promise<ProviderStartResult> {
  const flow = newProviderFlow(settings.id, options, now);
  const url = new URL(settings.authorizeUrl);
  url.searchParams.set('client_id', settings.clientId);
  url.searchParams.set('redirect_uri', settings.redirectUri);
  url.searchParams.set('scope', SCOPE);
  url.searchParams.set('state', flow.state);
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(flow.codeVerifier));
  url.searchParams.set('code_challenge_method', 'S256');
  return { ok: true, url, flowCookie: await sealProviderFlow(await providerFlowKey(deps.secret), flow), expiresAt: flow.expiresAt };
}

interface GithubEmail {
  email: string;
  primary: boolean;
  verified: boolean;
}

export async function finishGithubSignIn(
  settings: GithubProviderSettings,
  deps: ProviderDeps,
  callback: { url: URL; flowCookie: string | undefined },
  now = Date.now(),
): Promise<ProviderCallbackResult> {
  const params = callback.url.searchParams;
  const check = await openProviderFlow(await providerFlowKey(deps.secret), callback.flowCookie, { providerId: settings.id, state: params.get('state') }, now);
  if (!check.ok) return check;
  const { flow } = check;
  try {
    const as = serverOf(settings);
    const client = { client_id: settings.clientId };
    let callbackParams: URLSearchParams;
    try {
      callbackParams = oauth.validateAuthResponse(as, client, params, flow.state);
    } catch (error) {
      if (error instanceof oauth.AuthorizationResponseError && error.error === 'access_denied') {
        return { ok: false, reason: 'cancelled', detail: error.error_description ?? 'access_denied', flow };
      }
      throw error;
    }
    const options = providerRequestOptions(deps, settings.allowHttp);
    const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.ClientSecretPost(settings.clientSecret), callbackParams, settings.redirectUri, flow.codeVerifier, options);
    // GitHub answers a bad or used code with 200 and {"error": ...}: no access_token, so refused here.
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, response);
    const [user, emails] = await Promise.all([
      getGithubJson(settings, deps, '/user', tokens.access_token),
      getGithubJson(settings, deps, '/user/emails', tokens.access_token),
    ]);
    const id = (user as { id?: unknown } | null)?.id;
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0) return { ok: false, reason: 'provider-error', detail: 'GitHub /user has no numeric id', flow };
    const primary = Array.isArray(emails) ? (emails as GithubEmail[]).find((e) => e && e.primary === true && e.verified === true) : undefined;
    const email = readAddress(primary?.email);
    const { login, name } = user as { login?: unknown; name?: unknown };
    return {
      ok: true,
      claims: { providerId: settings.id, issuer: settings.issuer, subject: String(id), email, emailVerified: email !== null, preferredUsername: readText(login), name: readText(name) },
      flow,
    };
  } catch (error) {
    return { ok: false, ...describeProviderFailure(error), flow };
  }
}

async function getGithubJson(settings: GithubProviderSettings, deps: ProviderDeps, path: string, accessToken: string): Promise<unknown> {
  const response = await fetchFromProvider(deps, `${settings.apiUrl}${path}`, {
    headers: {
      accept: 'application/vnd.github+json',
      authorization: `Bearer ${accessToken}`,
      // GitHub's REST API refuses requests without a User-Agent.
      'user-agent': 'edge-accounts',
      'x-github-api-version': '2022-11-28',
    },
    redirect: 'manual',
    signal: AbortSignal.timeout(8_000),
  });
  if (!response.ok) throw new Error(`GitHub ${path} answered ${response.status}`);
  return response.json();
}
