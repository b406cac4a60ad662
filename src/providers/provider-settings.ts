// Which "Sign in with ..." providers this deployment offers, read from the environment:
// SIGN_IN_PROVIDERS=google,github,corp; per OpenID Connect id X (upper case, '-' as '_'):
// OIDC_X_ISSUER, OIDC_X_CLIENT_ID, OIDC_X_CLIENT_SECRET and OIDC_X_NAME (the button's label);
// the id `github`: GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET.

export const GITHUB_ISSUER = 'https://github.com';

interface CommonSettings {
  // The id in SIGN_IN_PROVIDERS and in /oauth/<id>/callback.
  id: string;
  // The button's label: "Sign in with <name>".
  name: string;
  clientId: string;
  clientSecret: string;
  // PUBLIC_ORIGIN + /oauth/<id>/callback, registered with the provider.
  redirectUri: string;
  // Plain http is allowed only towards loopback addresses (development and tests).
  allowHttp: boolean;
}

export interface OidcProviderSettings extends CommonSettings {
  kind: 'oidc';
  issuer: string;
}

export interface GithubProviderSettings extends CommonSettings {
  kind: 'github';
  issuer: typeof GITHUB_ISSUER;
  authorizeUrl: string;
  tokenUrl: string;
  apiUrl: string;
}

export type ProviderSettings = OidcProviderSettings | GithubProviderSettings;

export type ProviderSettingsResult = { ok: true; providers: ProviderSettings[] } | { ok: false; problems: string[] };

const ID_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/;

export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

export function providerRedirectUri(publicOrigin: string, id: string): string {
  return `${new URL(publicOrigin).origin}/oauth/${id}/callback`;
}

function envPrefix(id: string): string {
  return id.toUpperCase().replaceAll('-', '_');
}

class Reader {
  problems: string[] = [];
  vars: Record<string, unknown>;
  constructor(vars: Record<string, unknown>) {
    this.vars = vars;
  }

  required(name: string, hint: string): string {
    const value = this.vars[name];
    if (typeof value !== 'string' || value.trim() === '') {
      this.problems.push(`${name} is missing: ${hint}`);
      return '';
    }
    return value.trim();
  }

  optional(name: string): string | undefined {
    const value = this.vars[name];
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  }

  // An https URL, or http on a loopback address; null (and a problem noted) otherwise.
  url(name: string, value: string, example: string): URL | null {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      this.problems.push(`${name} must be a URL such as ${example}, not "${value}"`);
      return null;
    }
    if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
      this.problems.push(`${name} must use https (plain http is accepted only for localhost, 127.0.0.0/8 and ::1): "${value}"`);
      return null;
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      this.problems.push(`${name} must be an https URL such as ${example}, not "${value}"`);
      return null;
    }
    if (url.search || url.hash || url.username || url.password) {
      this.problems.push(`${name} must have no query, fragment or credentials: "${value}"`);
      return null;
    }
    return url;
  }
}

function readOidc(reader: Reader, id: string, redirectUri: string): OidcProviderSettings | null {
  const prefix = `OIDC_${envPrefix(id)}`;
  const issuerValue = reader.required(`${prefix}_ISSUER`, `the issuer URL of provider "${id}", e.g. https://accounts.google.com`);
  const issuer = issuerValue ? reader.url(`${prefix}_ISSUER`, issuerValue, 'https://accounts.google.com') : null;
  const clientId = reader.required(`${prefix}_CLIENT_ID`, `the client id the provider "${id}" gave this app`);
  const clientSecret = reader.required(`${prefix}_CLIENT_SECRET`, `set it with \`wrangler secret put ${prefix}_CLIENT_SECRET\``);
  const name = reader.optional(`${prefix}_NAME`) ?? id.charAt(0).toUpperCase() + id.slice(1);
  if (!issuer || !clientId || !clientSecret) return null;
  // Kept as written: it must equal the provider's own `issuer` value.
  return { kind: 'oidc', id, name, clientId, clientSecret, redirectUri, issuer: issuerValue, allowHttp: issuer.protocol === 'http:' };
}

function readGithub(reader: Reader, redirectUri: string): GithubProviderSettings | null {
  const clientId = reader.required('GITHUB_CLIENT_ID', 'the Client ID of your GitHub OAuth app');
  const clientSecret = reader.required('GITHUB_CLIENT_SECRET', 'set it with `wrangler secret put GITHUB_CLIENT_SECRET`');
  // Development and tests only: where a stand-in for GitHub listens (GitHub cannot run locally).
  const oauth = reader.url('GITHUB_OAUTH_URL', reader.optional('GITHUB_OAUTH_URL') ?? 'https://github.com', 'https://github.com');
  const api = reader.url('GITHUB_API_URL', reader.optional('GITHUB_API_URL') ?? 'https://api.github.com', 'https://api.github.com');
  if (!clientId || !clientSecret || !oauth || !api) return null;
  const base = (url: URL) => url.href.replace(/\/+$/, '');
  return {
    kind: 'github',
    id: 'github',
    name: 'GitHub',
    clientId,
    clientSecret,
    redirectUri,
    issuer: GITHUB_ISSUER,
    authorizeUrl: `${base(oauth)}/login/oauth/authorize`,
    tokenUrl: `${base(oauth)}/login/oauth/access_token`,
    apiUrl: base(api),
    allowHttp: oauth.protocol === 'http:' || api.protocol === 'http:',
  };
}

// Every problem at once, each naming the variable to fix.
export function readProviderSettings(vars: Record<string, unknown>, publicOrigin: string): ProviderSettingsResult {
  const reader = new Reader(vars);
  const list = reader.optional('SIGN_IN_PROVIDERS');
  const ids = list ? list.split(',').map((id) => id.trim().toLowerCase()).filter(Boolean) : [];
  const providers: ProviderSettings[] = [];
  const seen = new Set<string>();
  for (const id of ids) {
    if (!ID_PATTERN.test(id)) {
      reader.problems.push(`SIGN_IN_PROVIDERS: "${id}" is not a valid provider id (lower-case letters, digits and '-', at most 32)`);
      continue;
    }
    if (seen.has(id)) {
      reader.problems.push(`SIGN_IN_PROVIDERS lists "${id}" twice`);
      continue;
    }
    seen.add(id);
    const redirectUri = providerRedirectUri(publicOrigin, id);
    const settings = id === 'github' ? readGithub(reader, redirectUri) : readOidc(reader, id, redirectUri);
    if (settings) providers.push(settings);
  }
  return reader.problems.length ? { ok: false, problems: reader.problems } : { ok: true, providers };
}

// Where the sign-in buttons' form posts end up: a browser applies the page's CSP
// form-action to the redirect to the provider too (Chromium does), so these origins must be
// allowed there. An OpenID provider's authorization endpoint is on its issuer's origin (as
// at Google, Microsoft, Okta, Auth0, Keycloak and GitLab).
export function providerFormOrigins(providers: readonly ProviderSettings[]): string[] {
  const origins = providers.map((p) => new URL(p.kind === 'github' ? p.authorizeUrl : p.issuer).origin);
  return [...new Set(origins)];
}
