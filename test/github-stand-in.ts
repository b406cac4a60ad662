import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// GitHub cannot run here, so the tests sign in against this stand-in: a small Node server that
// speaks the shapes of GitHub's OAuth app endpoints (/login/oauth/authorize, /login/oauth/
// access_token, with state and PKCE) and of its REST API (/user, /user/emails), as documented
// at docs.github.com. One address serves both (GITHUB_OAUTH_URL = GITHUB_API_URL in the tests).
//
// Not GitHub: no login screen. /login/oauth/authorize approves at once for the account named
// by GitHub's own `login` parameter (made on first use with a verified primary address
// <login>@users.github.example), or denies when `stand_in_deny=1` is added. Tests register
// accounts with other addresses through POST /stand-in/users.

export const GITHUB_TEST_CLIENT = { clientId: 'test-github-client', clientSecret: 'test-github-secret' };

interface StandInUser {
  id: number;
  login: string;
  name: string | null;
  emails: { email: string; primary: boolean; verified: boolean; visibility: 'public' | 'private' | null }[];
}

interface IssuedCode {
  login: string;
  redirectUri: string;
  challenge: string | null;
  used: boolean;
}

export async function startGithubStandIn(options: { redirectUris: string[] }): Promise<{ url: string; close(): Promise<void> }> {
  const users = new Map<string, StandInUser>();
  const codes = new Map<string, IssuedCode>();
  const tokens = new Map<string, string>();
  let nextId = 9_000_001;

  const userFor = (login: string): StandInUser => {
    let user = users.get(login);
    if (!user) {
      user = { id: nextId++, login, name: null, emails: [{ email: `${login}@users.github.example`, primary: true, verified: true, visibility: 'private' }] };
      users.set(login, user);
    }
    return user;
  };

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  };

  const readBody = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  };

  const authorize = (url: URL, res: ServerResponse) => {
    const redirectUri = url.searchParams.get('redirect_uri') ?? '';
    if (url.searchParams.get('client_id') !== GITHUB_TEST_CLIENT.clientId || !options.redirectUris.includes(redirectUri)) {
      res.writeHead(400, { 'content-type': 'text/html' }).end('<h1>The redirect_uri is not associated with this application.</h1>');
      return;
    }
    const back = new URL(redirectUri);
    const state = url.searchParams.get('state');
    if (url.searchParams.get('stand_in_deny') === '1') {
      back.searchParams.set('error', 'access_denied');
      back.searchParams.set('error_description', 'The user has denied your application access.');
      back.searchParams.set('error_uri', 'https://docs.github.com/apps/managing-oauth-apps/troubleshooting-authorization-request-errors/#access-denied');
    } else {
      const user = userFor(url.searchParams.get('login') || `octocat${nextId}`);
      const code = randomBytes(10).toString('hex');
      const challenge = url.searchParams.get('code_challenge_method') === 'S256' ? url.searchParams.get('code_challenge') : null;
      codes.set(code, { login: user.login, redirectUri, challenge, used: false });
      back.searchParams.set('code', code);
    }
    if (state !== null) back.searchParams.set('state', state);
    res.writeHead(302, { location: back.href }).end();
  };

  // GitHub answers token errors with 200 and an "error" field.
  const accessToken = async (req: IncomingMessage, res: ServerResponse) => {
    const form = new URLSearchParams(await readBody(req));
    const fail = (error: string, description: string) => send(res, 200, { error, error_description: description, error_uri: 'https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors' });
    if (form.get('client_id') !== GITHUB_TEST_CLIENT.clientId || form.get('client_secret') !== GITHUB_TEST_CLIENT.clientSecret) {
      return fail('incorrect_client_credentials', 'The client_id and/or client_secret passed are incorrect.');
    }
    const issued = codes.get(form.get('code') ?? '');
    if (!issued || issued.used) return fail('bad_verification_code', 'The code passed is incorrect or expired.');
    issued.used = true;
    if (form.has('redirect_uri') && form.get('redirect_uri') !== issued.redirectUri) return fail('redirect_uri_mismatch', 'The redirect_uri MUST match the registered callback URL for this application.');
    const verifier = form.get('code_verifier');
    if (issued.challenge && (!verifier || createHash('sha256').update(verifier).digest('base64url') !== issued.challenge)) {
      return fail('bad_verification_code', 'The code passed is incorrect or expired.');
    }
    const token = `gho_${randomBytes(18).toString('base64url')}`;
    tokens.set(token, issued.login);
    send(res, 200, { access_token: token, token_type: 'bearer', scope: 'read:user,user:email' });
  };

  const api = (req: IncomingMessage, res: ServerResponse, path: string) => {
    if (!req.headers['user-agent']) {
      return send(res, 403, { message: 'Request forbidden by administrative rules. Please make sure your request has a User-Agent header.' });
    }
    const token = /^(?:Bearer|token) (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const login = token ? tokens.get(token) : undefined;
    if (!login) return send(res, 401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' });
    const user = userFor(login);
    if (path === '/user') {
      const publicEmail = user.emails.find((e) => e.visibility === 'public')?.email ?? null;
      return send(res, 200, { login: user.login, id: user.id, node_id: `U_${user.id}`, type: 'User', name: user.name, email: publicEmail });
    }
    send(res, 200, user.emails);
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    try {
      if (req.method === 'GET' && url.pathname === '/login/oauth/authorize') return authorize(url, res);
      if (req.method === 'POST' && url.pathname === '/login/oauth/access_token') return await accessToken(req, res);
      if (req.method === 'GET' && (url.pathname === '/user' || url.pathname === '/user/emails')) return api(req, res, url.pathname);
      if (req.method === 'POST' && url.pathname === '/stand-in/users') {
        const input = JSON.parse(await readBody(req)) as Partial<StandInUser> & { login: string };
        const user: StandInUser = { id: input.id ?? nextId++, login: input.login, name: input.name ?? null, emails: input.emails ?? [] };
        users.set(user.login, user);
        return send(res, 201, user);
      }
      send(res, 404, { message: 'Not Found' });
    } catch (error) {
      send(res, 500, { message: String(error) });
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
