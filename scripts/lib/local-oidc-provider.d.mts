// Types for local-oidc-provider.mjs (imported by test/global-setup.ts).
export interface LocalOidcProvider {
  issuer: string;
  port: number;
  jwks: { keys: Record<string, unknown>[] };
  close(): Promise<void>;
}

export interface LocalOidcProviderOptions {
  port?: number;
  host?: string;
  issuer?: string;
  client: { clientId: string; clientSecret: string; redirectUris: string[] };
  describeAccount?: (login: string) => Record<string, unknown>;
  keyId?: string;
  claimsInIdToken?: boolean;
  askConsent?: boolean;
  quiet?: boolean;
}

export const LOCAL_OIDC_CLIENT: { clientId: string; clientSecret: string };
export function describeLocalAccount(login: string): Record<string, unknown>;
export function startLocalOidcProvider(options: LocalOidcProviderOptions): Promise<LocalOidcProvider>;
