import { inject } from 'vitest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { finishOidcSignIn, startOidcSignIn } from '../src/providers/oidc-sign-in';
import { openProviderFlow, PROVIDER_FLOW_LIFETIME_MS, providerFlowKey, sealProviderFlow } from '../src/providers/provider-flow';
import type { ProviderDeps } from '../src/providers/provider-result';
import type { OidcProviderSettings } from '../src/providers/provider-settings';
import { loginAtLocalProvider } from './oidc-login';
import { oidcSettings, recordingDeps, uniqueLogin } from './provider-test-helpers';

// Against a real OpenID Connect provider (oidc-provider, started by test/global-setup.ts) over
// HTTP; only the browser is replaced, by loginAtLocalProvider.

async function startAndLogin(settings: OidcProviderSettings, deps: ProviderDeps, login: string) {
  const start = await startOidcSignIn(settings, deps, { intent: 'sign-in' });
  if (!start.ok) throw new Error(`start refused: ${start.reason} ${start.detail}`);
  const callbackUrl = await loginAtLocalProvider(start.url, login);
  return { start, callbackUrl };
}

describe('sign-in with an OpenID Connect provider', () => {
  it('returns the claims of the account that signed in at the provider', async () => {
    const settings = oidcSettings();
    const deps = recordingDeps();
    const login = uniqueLogin();
    const { start, callbackUrl } = await startAndLogin(settings, deps, login);

    const result = await finishOidcSignIn(settings, deps, { url: callbackUrl, flowCookie: start.flowCookie });

    expect(result).toMatchObject({
      ok: true,
      claims: { providerId: 'local', issuer: inject('oidcIssuer'), subject: login, email: `${login}@local.example`, emailVerified: true, preferredUsername: login },
      flow: { intent: 'sign-in' },
    });
  });

  it('asks for state, PKCE S256 and a nonce, and remembers them only in the signed flow cookie', async () => {
    const settings = oidcSettings();
    const deps = recordingDeps();
    const start = await startOidcSignIn(settings, deps, { intent: 'link', userId: 'u1', next: '/account' });
    if (!start.ok) throw new Error(start.detail);
    const query = start.url.searchParams;
    expect(query.get('code_challenge_method')).toBe('S256');
    expect(query.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(query.get('redirect_uri')).toBe('http://localhost:8787/oauth/local/callback');
    expect(query.get('scope')).toBe('openid email profile');
    const opened = await openProviderFlow(await providerFlowKey(deps.secret), start.flowCookie, { providerId: 'local', state: query.get('state') });
    expect(opened).toMatchObject({ ok: true, flow: { intent: 'link', userId: 'u1', next: '/account', nonce: query.get('nonce') } });
    // The verifier never leaves for the provider.
    if (opened.ok) expect(start.url.href).not.toContain(opened.flow.codeVerifier);
    expect(start.expiresAt - Date.now()).toBeGreaterThan(PROVIDER_FLOW_LIFETIME_MS - 5_000);
  });

  it('reports an address the provider has not verified as unverified', async () => {
    const settings = oidcSettings();
    const deps = recordingDeps();
    const login = uniqueLogin();
    const { start, callbackUrl } = await startAndLogin(settings, deps, `${login}+unverified`);
    const result = await finishOidcSignIn(settings, deps, { url: callbackUrl, flowCookie: start.flowCookie });
    expect(result).toMatchObject({ ok: true, claims: { email: `${login}@local.example`, emailVerified: false } });
  });

  it('reports a provider that gives no address with email null', async () => {
    const settings = oidcSettings();
    const deps = recordingDeps();
    const { start, callbackUrl } = await startAndLogin(settings, deps, `${uniqueLogin()}+noemail`);
    const result = await finishOidcSignIn(settings, deps, { url: callbackUrl, flowCookie: start.flowCookie });
    expect(result).toMatchObject({ ok: true, claims: { email: null, emailVerified: false } });
  });

  it('reads the address from userinfo when the ID token has none', async () => {
    const settings = oidcSettings('other', inject('otherOidcIssuer'));
    const deps = recordingDeps();
    const login = uniqueLogin();
    const { start, callbackUrl } = await startAndLogin(settings, deps, login);
    const result = await finishOidcSignIn(settings, deps, { url: callbackUrl, flowCookie: start.flowCookie });
    expect(result).toMatchObject({ ok: true, claims: { subject: login, email: `${login}@local.example`, emailVerified: true } });
    expect(deps.requests.filter((r) => r.endsWith('/me'))).toHaveLength(1);
  });

  it('refuses a callback at the provider cancelled as cancelled', async () => {
    const settings = oidcSettings();
    const deps = recordingDeps();
    const start = await startOidcSignIn(settings, deps, { intent: 'sign-in' });
    if (!start.ok) throw new Error(start.detail);
    const callbackUrl = await loginAtLocalProvider(start.url, uniqueLogin(), { action: 'cancel' });
    expect(callbackUrl.searchParams.get('error')).toBe('access_denied');
    const before = deps.requests.length;

    const result = await finishOidcSignIn(settings, deps, { url: callbackUrl, flowCookie: start.flowCookie });

    expect(result).toMatchObject({ ok: false, reason: 'cancelled', flow: { intent: 'sign-in' } });
    expect(deps.requests.slice(before)).toEqual([]);
  });
});

describe('the callback is checked before anything is believed', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('refuses a callback whose state belongs to another sign-in (login CSRF)', async () => {
    const settings = oidcSettings();
    const deps = recordingDeps();
    const attacker = await startAndLogin(settings, deps, uniqueLogin('attacker'));
    const victim = await startOidcSignIn(settings, deps, { intent: 'sign-in' });
    if (!victim.ok) throw new Error(victim.detail);

    const result = await finishOidcSignIn(settings, deps, { url: attacker.callbackUrl, flowCookie: victim.flowCookie });

    expect(result).toMatchObject({ ok: false, reason: 'state-mismatch' });
  });

  it('refuses a flow cookie that was altered', async () => {
    const settings = oidcSettings();
    const deps = recordingDeps();
    const { start, callbackUrl } = await startAndLogin(settings, deps, uniqueLogin());
    const [payload, mac] = start.flowCookie.split('.');
    const flow = JSON.parse(atob(payload!.replaceAll('-', '+').replaceAll('_', '/')));
    const altered = btoa(JSON.stringify({ ...flow, userId: 'someone-else' })).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');

    const result = await finishOidcSignIn(settings, deps, { url: callbackUrl, flowCookie: `${altered}.${mac}` });

    expect(result).toMatchObject({ ok: false, reason: 'state-mismatch' });
  });

  it('refuses a flow started for another provider', async () => {
    const deps = recordingDeps();
    const { start, callbackUrl } = await startAndLogin(oidcSettings('local'), deps, uniqueLogin());
    const result = await finishOidcSignIn(oidcSettings('local-2'), deps, { url: callbackUrl, flowCookie: start.flowCookie });
    expect(result).toMatchObject({ ok: false, reason: 'state-mismatch' });
  });

  it('refuses a callback more than ten minutes after the start as state-expired', async () => {
    const settings = oidcSettings();
    const deps = recordingDeps();
    const { start, callbackUrl } = await startAndLogin(settings, deps, uniqueLogin());
    const before = deps.requests.length;

    const late = await finishOidcSignIn(settings, deps, { url: callbackUrl, flowCookie: start.flowCookie }, start.expiresAt + 1);
    const noCookie = await finishOidcSignIn(settings, deps, { url: callbackUrl, flowCookie: undefined });

    expect(late).toMatchObject({ ok: false, reason: 'state-expired' });
    expect(noCookie).toMatchObject({ ok: false, reason: 'state-expired' });
    // Refused before the code was spent: nothing was fetched.
    expect(deps.requests.slice(before)).toEqual([]);
  });

  it('refuses a code used a second time', async () => {
    const settings = oidcSettings();
    const deps = recordingDeps();
    const { start, callbackUrl } = await startAndLogin(settings, deps, uniqueLogin());
    const first = await finishOidcSignIn(settings, deps, { url: callbackUrl, flowCookie: start.flowCookie });

    const replay = await finishOidcSignIn(settings, deps, { url: callbackUrl, flowCookie: start.flowCookie });

    expect(first.ok).toBe(true);
    expect(replay).toMatchObject({ ok: false, reason: 'provider-error', detail: expect.stringContaining('invalid_grant') });
  });

  it('refuses an ID token whose nonce is not the one this browser sent', async () => {
    const settings = oidcSettings();
    const deps = recordingDeps();
    const { start, callbackUrl } = await startAndLogin(settings, deps, uniqueLogin());
    // The same trip, but the cookie remembers another nonce: as when a code issued for someone
    // else's request is slipped into this browser's callback.
    const key = await providerFlowKey(deps.secret);
    const opened = await openProviderFlow(key, start.flowCookie, { providerId: 'local', state: callbackUrl.searchParams.get('state') });
    if (!opened.ok) throw new Error(opened.detail);
    const otherNonce = await sealProviderFlow(key, { ...opened.flow, nonce: 'another-nonce-another-nonce-another-nonce00' });

    const result = await finishOidcSignIn(settings, deps, { url: callbackUrl, flowCookie: otherNonce });

    expect(result).toMatchObject({ ok: false, reason: 'provider-error', detail: expect.stringContaining('nonce') });
  });

  it('refuses an ID token signed with a key the issuer does not publish (same key id)', async () => {
    const settings = oidcSettings();
    // The issuer's JWKS answered by the other provider: same kid, another key.
    const deps = recordingDeps((url) => (url.startsWith(inject('oidcIssuer')) && new URL(url).pathname === '/jwks' ? `${inject('otherOidcIssuer')}/jwks` : undefined));
    const { start, callbackUrl } = await startAndLogin(settings, deps, uniqueLogin());

    const result = await finishOidcSignIn(settings, deps, { url: callbackUrl, flowCookie: start.flowCookie });

    expect(result).toMatchObject({ ok: false, reason: 'provider-error', detail: expect.stringContaining('signature') });
  });

  it('refuses an ID token signed with a key id the issuer does not publish', async () => {
    const settings = oidcSettings();
    const deps = recordingDeps();
    const swapped = { ...deps, fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input);
      if (new URL(url).pathname !== '/jwks') return deps.fetch!(input, init);
      const jwks = (await (await fetch(`${inject('otherOidcIssuer')}/jwks`)).json()) as { keys: Record<string, unknown>[] };
      return Response.json({ keys: jwks.keys.map((k) => ({ ...k, kid: 'unknown-key' })) });
    }) as typeof fetch };
    const { start, callbackUrl } = await startAndLogin(settings, swapped, uniqueLogin());

    const result = await finishOidcSignIn(settings, swapped, { url: callbackUrl, flowCookie: start.flowCookie });

    expect(result).toMatchObject({ ok: false, reason: 'provider-error', detail: expect.stringContaining('KEY_SELECTION') });
  });

  it('fetches the keys again for an unknown key id, at most once a minute', async () => {
    const settings = oidcSettings();
    const deps = recordingDeps();
    let swap = true;
    const rotating = { ...deps, fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
      const response = await deps.fetch!(input, init);
      if (!swap || new URL(String(input)).pathname !== '/jwks') return response;
      // The keys as they were before the provider rotated to its current one.
      const jwks = (await response.json()) as { keys: Record<string, unknown>[] };
      return Response.json({ keys: jwks.keys.map((k) => ({ ...k, kid: 'retired-key' })) });
    }) as typeof fetch };
    const first = await startAndLogin(settings, rotating, uniqueLogin());
    expect(await finishOidcSignIn(settings, rotating, { url: first.callbackUrl, flowCookie: first.start.flowCookie })).toMatchObject({ ok: false, reason: 'provider-error' });
    swap = false;

    const soon = await startAndLogin(settings, rotating, uniqueLogin());
    const refusedSoon = await finishOidcSignIn(settings, rotating, { url: soon.callbackUrl, flowCookie: soon.start.flowCookie });
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 61_000);
    const later = await startAndLogin(settings, rotating, uniqueLogin());
    const acceptedLater = await finishOidcSignIn(settings, rotating, { url: later.callbackUrl, flowCookie: later.start.flowCookie });

    expect(refusedSoon).toMatchObject({ ok: false, reason: 'provider-error' });
    expect(acceptedLater.ok).toBe(true);
    expect(deps.requests.filter((r) => r === 'GET /jwks')).toHaveLength(2);
  });

  it('reports an issuer that answers no discovery document as provider-error', async () => {
    // The GitHub stand-in speaks no OpenID Connect: its 404 JSON is a nonsense answer here.
    const settings = oidcSettings('local', inject('githubStandIn'));
    const result = await startOidcSignIn(settings, recordingDeps(), { intent: 'sign-in' });
    expect(result).toMatchObject({ ok: false, reason: 'provider-error' });
  });

  it('reports a provider it cannot reach as provider-unreachable', async () => {
    const settings = oidcSettings('local', 'http://127.0.0.1:9');
    const result = await startOidcSignIn(settings, recordingDeps(), { intent: 'sign-in' });
    expect(result).toMatchObject({ ok: false, reason: 'provider-unreachable' });
  });
});

describe('round trips', () => {
  it('discovers the provider once: a second start fetches nothing', async () => {
    const settings = oidcSettings();
    const deps = recordingDeps();
    await startOidcSignIn(settings, deps, { intent: 'sign-in' });
    const afterFirst = [...deps.requests];
    await startOidcSignIn(settings, deps, { intent: 'sign-in' });

    expect(afterFirst).toEqual(['GET /.well-known/openid-configuration']);
    expect(deps.requests).toEqual(afterFirst);
  });

  it('a callback with the provider known and its keys cached makes one request: the token', async () => {
    const settings = oidcSettings();
    const deps = recordingDeps();
    const first = await startAndLogin(settings, deps, uniqueLogin());
    expect((await finishOidcSignIn(settings, deps, { url: first.callbackUrl, flowCookie: first.start.flowCookie })).ok).toBe(true);
    const second = await startAndLogin(settings, deps, uniqueLogin());
    const before = deps.requests.length;

    const result = await finishOidcSignIn(settings, deps, { url: second.callbackUrl, flowCookie: second.start.flowCookie });

    expect(result.ok).toBe(true);
    expect(deps.requests.slice(before)).toEqual(['POST /token']);
  });
});
