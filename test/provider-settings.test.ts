import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../src/config';
import { readProviderSettings } from '../src/providers/provider-settings';

const ORIGIN = 'https://accounts.example.com';

const google = {
  OIDC_GOOGLE_ISSUER: 'https://accounts.google.com',
  OIDC_GOOGLE_CLIENT_ID: 'client.apps.googleusercontent.com',
  OIDC_GOOGLE_CLIENT_SECRET: 'secret',
  OIDC_GOOGLE_NAME: 'Google',
};

function problemsOf(vars: Record<string, unknown>): string[] {
  const result = readProviderSettings(vars, ORIGIN);
  return result.ok ? [] : result.problems;
}

describe('provider settings', () => {
  it('offers no provider when SIGN_IN_PROVIDERS is empty or unset', () => {
    expect(readProviderSettings({}, ORIGIN)).toEqual({ ok: true, providers: [] });
    expect(readProviderSettings({ SIGN_IN_PROVIDERS: ' ' }, ORIGIN)).toEqual({ ok: true, providers: [] });
  });

  it('reads an OpenID Connect provider and GitHub, in the order listed, with their redirect URIs', () => {
    const result = readProviderSettings({ SIGN_IN_PROVIDERS: 'google, github', ...google, GITHUB_CLIENT_ID: 'gh-id', GITHUB_CLIENT_SECRET: 'gh-secret' }, ORIGIN);
    expect(result).toEqual({
      ok: true,
      providers: [
        { kind: 'oidc', id: 'google', name: 'Google', issuer: 'https://accounts.google.com', clientId: 'client.apps.googleusercontent.com', clientSecret: 'secret', redirectUri: 'https://accounts.example.com/oauth/google/callback', allowHttp: false },
        {
          kind: 'github',
          id: 'github',
          name: 'GitHub',
          issuer: 'https://github.com',
          clientId: 'gh-id',
          clientSecret: 'gh-secret',
          redirectUri: 'https://accounts.example.com/oauth/github/callback',
          authorizeUrl: 'https://github.com/login/oauth/authorize',
          tokenUrl: 'https://github.com/login/oauth/access_token',
          apiUrl: 'https://api.github.com',
          allowHttp: false,
        },
      ],
    });
  });

  it('upper-cases the id, with - as _, in the variable names', () => {
    const result = readProviderSettings({ SIGN_IN_PROVIDERS: 'corp-sso', OIDC_CORP_SSO_ISSUER: 'https://sso.corp.example/realms/staff', OIDC_CORP_SSO_CLIENT_ID: 'a', OIDC_CORP_SSO_CLIENT_SECRET: 'b' }, ORIGIN);
    expect(result).toMatchObject({ ok: true, providers: [{ id: 'corp-sso', name: 'Corp-sso', issuer: 'https://sso.corp.example/realms/staff' }] });
  });

  it('names each missing variable', () => {
    expect(problemsOf({ SIGN_IN_PROVIDERS: 'google,github' })).toEqual([
      expect.stringMatching(/^OIDC_GOOGLE_ISSUER is missing/),
      expect.stringMatching(/^OIDC_GOOGLE_CLIENT_ID is missing/),
      expect.stringMatching(/^OIDC_GOOGLE_CLIENT_SECRET is missing: set it with `wrangler secret put OIDC_GOOGLE_CLIENT_SECRET`/),
      expect.stringMatching(/^GITHUB_CLIENT_ID is missing/),
      expect.stringMatching(/^GITHUB_CLIENT_SECRET is missing/),
    ]);
  });

  it('refuses an issuer that is not a URL', () => {
    expect(problemsOf({ SIGN_IN_PROVIDERS: 'google', ...google, OIDC_GOOGLE_ISSUER: 'accounts.google.com' })).toEqual([expect.stringMatching(/^OIDC_GOOGLE_ISSUER must be a URL/)]);
  });

  it('refuses plain http except on loopback addresses', () => {
    expect(problemsOf({ SIGN_IN_PROVIDERS: 'google', ...google, OIDC_GOOGLE_ISSUER: 'http://accounts.google.com' })).toEqual([expect.stringMatching(/^OIDC_GOOGLE_ISSUER must use https/)]);
    expect(problemsOf({ SIGN_IN_PROVIDERS: 'google', ...google, OIDC_GOOGLE_ISSUER: 'http://10.0.0.5:9400' })).toHaveLength(1);
    expect(problemsOf({ SIGN_IN_PROVIDERS: 'google', ...google, OIDC_GOOGLE_ISSUER: 'http://127.0.0.1.nip.io' })).toHaveLength(1);
    expect(problemsOf({ SIGN_IN_PROVIDERS: 'github', GITHUB_CLIENT_ID: 'a', GITHUB_CLIENT_SECRET: 'b', GITHUB_API_URL: 'http://api.example.com' })).toEqual([expect.stringMatching(/^GITHUB_API_URL must use https/)]);
    for (const issuer of ['http://localhost:9400', 'http://127.0.0.1:9400', 'http://127.8.9.10', 'http://[::1]:9400']) {
      const result = readProviderSettings({ SIGN_IN_PROVIDERS: 'google', ...google, OIDC_GOOGLE_ISSUER: issuer }, ORIGIN);
      expect(result).toMatchObject({ ok: true, providers: [{ issuer, allowHttp: true }] });
    }
  });

  it('refuses an issuer with a query or fragment, a bad id, and a repeated id', () => {
    expect(problemsOf({ SIGN_IN_PROVIDERS: 'google', ...google, OIDC_GOOGLE_ISSUER: 'https://accounts.google.com/?x=1' })).toEqual([expect.stringMatching(/no query, fragment/)]);
    expect(problemsOf({ SIGN_IN_PROVIDERS: 'my_idp' })).toEqual([expect.stringMatching(/"my_idp" is not a valid provider id/)]);
    expect(problemsOf({ SIGN_IN_PROVIDERS: 'google,google', ...google })).toEqual([expect.stringMatching(/lists "google" twice/)]);
  });

  it('makes the app refuse to start with a wrong provider setting, like any other variable', () => {
    const broken = { ...env, SIGN_IN_PROVIDERS: 'corp', OIDC_CORP_ISSUER: 'http://sso.corp.example' } as unknown as Env;
    expect(() => readConfig(broken)).toThrow(ConfigError);
    expect(() => readConfig(broken)).toThrow(/OIDC_CORP_ISSUER must use https[\s\S]*OIDC_CORP_CLIENT_ID is missing/);
  });

  it('gives the configured providers to the app', () => {
    expect(readConfig(env).signInProviders.map((p) => [p.id, p.name])).toEqual([
      ['local', 'Local OpenID (development)'],
      ['github', 'GitHub'],
    ]);
  });
});
