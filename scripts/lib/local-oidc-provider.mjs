// A real OpenID Connect provider on this machine (panva's oidc-provider, OpenID Certified),
// for `npm run dev` and the tests. Never shipped: it is a dev dependency that only Node runs.
//
// Its development login screen (devInteractions) accepts any login and any password. The
// login is the account's subject, and decides the claims:
//   alice                  -> alice@local.example, email_verified true
//   bob@example.com        -> bob@example.com (a login that is an address is used as is)
//   alice+unverified       -> alice@local.example, email_verified false
//   alice+noemail          -> no email claim at all
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import Provider from 'oidc-provider';

const SUFFIXES = ['+unverified', '+noemail'];

// The app's client at the local provider. Public on purpose: these must match OIDC_LOCAL_*
// in wrangler.toml [vars], and nothing but this machine ever trusts them.
export const LOCAL_OIDC_CLIENT = { clientId: 'edge-accounts-dev', clientSecret: 'local-development-secret' };

// The claims of the account a login names (see the rules above).
export function describeLocalAccount(login) {
  let name = login.trim();
  let verified = true;
  let withEmail = true;
  for (let suffix = SUFFIXES.find((s) => name.endsWith(s)); suffix; suffix = SUFFIXES.find((s) => name.endsWith(s))) {
    name = name.slice(0, -suffix.length);
    if (suffix === '+unverified') verified = false;
    if (suffix === '+noemail') withEmail = false;
  }
  const email = name.includes('@') ? name.toLowerCase() : `${name.toLowerCase()}@local.example`;
  const preferredUsername = name.includes('@') ? name.slice(0, name.indexOf('@')) : name;
  return {
    preferred_username: preferredUsername,
    name: preferredUsername,
    ...(withEmail ? { email, email_verified: verified } : {}),
  };
}

function makeSigningKey(keyId) {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: keyId ?? randomBytes(8).toString('hex'), alg: 'RS256', use: 'sig' };
}

/**
 * Starts the provider and resolves once it listens.
 * @param {object} options
 * @param {number} [options.port] 0 (default) picks a free port.
 * @param {string} [options.host] default 127.0.0.1.
 * @param {string} [options.issuer] default http://<host>:<port>, known once listening.
 * @param {{ clientId: string, clientSecret: string, redirectUris: string[] }} options.client
 * @param {(login: string) => object} [options.describeAccount] claims for a login (default: describeLocalAccount).
 * @param {string} [options.keyId] the signing key's kid (a new RSA key is made on every start).
 * @param {boolean} [options.claimsInIdToken] default true (as Google does); false puts email and
 *   profile claims in the userinfo answer only, as strict providers do.
 * @param {boolean} [options.askConsent] default false: a first-party app skips the consent screen.
 * @param {boolean} [options.quiet] hide oidc-provider's start-up warnings.
 * @returns {Promise<{ issuer: string, port: number, jwks: { keys: object[] }, close(): Promise<void> }>}
 */
export async function startLocalOidcProvider(options) {
  const host = options.host ?? '127.0.0.1';
  const describeAccount = options.describeAccount ?? describeLocalAccount;
  const signingKey = makeSigningKey(options.keyId);
  const { client } = options;

  const configure = (issuer) =>
    new Provider(issuer, {
      clients: [
        {
          client_id: client.clientId,
          client_secret: client.clientSecret,
          redirect_uris: client.redirectUris,
          grant_types: ['authorization_code'],
          response_types: ['code'],
        },
      ],
      jwks: { keys: [signingKey] },
      cookies: { keys: [randomBytes(32).toString('base64url')] },
      pkce: { required: () => true },
      // Explicit lifetimes (seconds); the defaults print a notice each.
      ttl: { Interaction: 600, Session: 86_400, Grant: 86_400, AuthorizationCode: 60, AccessToken: 600, IdToken: 600 },
      features: { devInteractions: { enabled: true } },
      claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'preferred_username'] },
      conformIdTokenClaims: options.claimsInIdToken === false,
      async findAccount(_ctx, sub) {
        return { accountId: sub, claims: async () => ({ sub, ...describeAccount(sub) }) };
      },
      // The app is first party: grant what it asks for without a consent screen.
      ...(options.askConsent
        ? {}
        : {
            async loadExistingGrant(ctx) {
              const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
              if (grantId) return ctx.oidc.provider.Grant.find(grantId);
              const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
              grant.addOIDCScope('openid email profile');
              await grant.save();
              return grant;
            },
          }),
      renderError(ctx, out) {
        ctx.type = 'html';
        ctx.body = `<!doctype html><title>Local OpenID: error</title><h1>${escapeHtml(out.error)}</h1><p>${escapeHtml(out.error_description ?? '')}</p>`;
      },
    });

  // The issuer must be known before the provider is made, so a random port is found first.
  const { createServer } = await import('node:http');
  const server = createServer();
  server.listen(options.port ?? 0, host);
  await once(server, 'listening');
  const port = server.address().port;
  const issuer = options.issuer ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  // Its warnings (in-memory storage, development login screen) are the point here: the tests
  // ask for quiet, `npm run dev` shows them.
  const warn = console.warn;
  if (options.quiet) console.warn = (...args) => (String(args[0]).includes('oidc-provider WARNING') ? undefined : warn(...args));
  let provider;
  try {
    provider = configure(issuer);
  } finally {
    console.warn = warn;
  }
  server.on('request', provider.callback());

  return {
    issuer,
    port,
    jwks: { keys: [{ kty: signingKey.kty, n: signingKey.n, e: signingKey.e, kid: signingKey.kid, alg: 'RS256', use: 'sig' }] },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
