import { inject } from 'vitest';
import { describe, expect, it } from 'vitest';
import { finishGithubSignIn, startGithubSignIn } from '../src/providers/github';
import { githubSettings, recordingDeps, uniqueLogin } from './provider-test-helpers';

// GitHub cannot run here: these run against test/github-stand-in.ts, a local server that
// speaks GitHub's OAuth (authorize, access_token) and REST (/user, /user/emails) shapes.

async function registerGithubUser(user: { login: string; name?: string; emails: { email: string; primary: boolean; verified: boolean }[] }): Promise<{ id: number }> {
  const response = await fetch(`${inject('githubStandIn')}/stand-in/users`, { method: 'POST', body: JSON.stringify(user) });
  return response.json();
}

// What GitHub does once the person approves (or denies): the redirect back to the app.
async function approveAtGithub(url: URL, login: string, deny = false): Promise<URL> {
  const authorize = new URL(url);
  authorize.searchParams.set('login', login);
  if (deny) authorize.searchParams.set('stand_in_deny', '1');
  const response = await fetch(authorize, { redirect: 'manual' });
  return new URL(response.headers.get('location')!);
}

async function startAndApprove(login: string) {
  const settings = githubSettings();
  const deps = recordingDeps();
  const start = await startGithubSignIn(settings, deps, { intent: 'sign-in' });
  if (!start.ok) throw new Error(start.detail);
  return { settings, deps, start, callbackUrl: await approveAtGithub(start.url, login) };
}

describe('sign-in with GitHub', () => {
  it('identifies the person by numeric user id, with the verified primary address', async () => {
    const login = uniqueLogin('octo');
    const { id } = await registerGithubUser({
      login,
      name: 'Octo Cat',
      emails: [
        { email: `${login}-old@example.com`, primary: false, verified: true },
        { email: `${login}@example.com`, primary: true, verified: true },
      ],
    });
    const { settings, deps, start, callbackUrl } = await startAndApprove(login);

    const result = await finishGithubSignIn(settings, deps, { url: callbackUrl, flowCookie: start.flowCookie });

    expect(result).toMatchObject({
      ok: true,
      claims: { providerId: 'github', issuer: 'https://github.com', subject: String(id), email: `${login}@example.com`, emailVerified: true, preferredUsername: login, name: 'Octo Cat' },
    });
    expect(deps.requests).toEqual(['POST /login/oauth/access_token', 'GET /user', 'GET /user/emails']);
  });

  it('sends state and a PKCE S256 challenge, and asks for the addresses', async () => {
    const start = await startGithubSignIn(githubSettings(), recordingDeps(), { intent: 'sign-in' });
    if (!start.ok) throw new Error(start.detail);
    expect(start.url.origin + start.url.pathname).toBe(`${inject('githubStandIn')}/login/oauth/authorize`);
    expect(start.url.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(start.url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(start.url.searchParams.get('scope')).toContain('user:email');
    expect(start.url.searchParams.get('redirect_uri')).toBe('http://localhost:8787/oauth/github/callback');
  });

  it('gives no address when the primary one is not verified', async () => {
    const login = uniqueLogin('octo');
    await registerGithubUser({ login, emails: [{ email: `${login}@example.com`, primary: true, verified: false }, { email: `${login}@other.example`, primary: false, verified: true }] });
    const { settings, deps, start, callbackUrl } = await startAndApprove(login);

    const result = await finishGithubSignIn(settings, deps, { url: callbackUrl, flowCookie: start.flowCookie });

    expect(result).toMatchObject({ ok: true, claims: { email: null, emailVerified: false } });
  });

  it('reports a denied authorization as cancelled', async () => {
    const settings = githubSettings();
    const deps = recordingDeps();
    const start = await startGithubSignIn(settings, deps, { intent: 'sign-in' });
    if (!start.ok) throw new Error(start.detail);
    const callbackUrl = await approveAtGithub(start.url, uniqueLogin('octo'), true);

    const result = await finishGithubSignIn(settings, deps, { url: callbackUrl, flowCookie: start.flowCookie });

    expect(result).toMatchObject({ ok: false, reason: 'cancelled' });
    expect(deps.requests).toEqual([]);
  });

  it('refuses a code used a second time (GitHub answers 200 with an error)', async () => {
    const { settings, deps, start, callbackUrl } = await startAndApprove(uniqueLogin('octo'));
    expect((await finishGithubSignIn(settings, deps, { url: callbackUrl, flowCookie: start.flowCookie })).ok).toBe(true);

    const replay = await finishGithubSignIn(settings, deps, { url: callbackUrl, flowCookie: start.flowCookie });

    expect(replay).toMatchObject({ ok: false, reason: 'provider-error' });
  });

  it('refuses a callback from another browser\'s sign-in', async () => {
    const attacker = await startAndApprove(uniqueLogin('attacker'));
    const victim = await startGithubSignIn(attacker.settings, attacker.deps, { intent: 'sign-in' });
    if (!victim.ok) throw new Error(victim.detail);

    const result = await finishGithubSignIn(attacker.settings, attacker.deps, { url: attacker.callbackUrl, flowCookie: victim.flowCookie });

    expect(result).toMatchObject({ ok: false, reason: 'state-mismatch' });
  });

  it('refuses a code exchanged without this browser\'s PKCE verifier', async () => {
    const { settings, deps, callbackUrl } = await startAndApprove(uniqueLogin('octo'));
    // Another flow of this browser, with the stolen code and state grafted on: its verifier differs.
    const other = await startGithubSignIn(settings, deps, { intent: 'sign-in' });
    if (!other.ok) throw new Error(other.detail);
    const grafted = new URL(callbackUrl);
    grafted.searchParams.set('state', other.url.searchParams.get('state')!);

    const result = await finishGithubSignIn(settings, deps, { url: grafted, flowCookie: other.flowCookie });

    expect(result).toMatchObject({ ok: false, reason: 'provider-error' });
  });
});
