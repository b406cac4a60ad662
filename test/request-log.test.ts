import { SELF } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { hashUserId, type RequestLogLine } from '../src/http/request-log';
import { ORIGIN, sessionIdOf, signUpAndSignIn } from './helpers';
import { profileOf } from './profile-helpers';

// Every request line the app printed while `run` ran, raw and parsed.
async function logLinesOf(run: () => Promise<unknown>) {
  const log = vi.spyOn(console, 'log');
  await run();
  const raw = log.mock.calls.map((args) => args.join(' ')).filter((line) => line.includes('"type":"request"'));
  return { raw, lines: raw.map((line) => JSON.parse(line) as RequestLogLine) };
}

afterEach(() => vi.restoreAllMocks());

describe('request log', () => {
  it('logs a signed-in request with the route, status, ray, colo and a hash of the user, and nothing private', async () => {
    const { cookie, username, email } = await signUpAndSignIn();
    const { id } = (await profileOf(username))!;
    const token = cookie.slice(cookie.indexOf('=') + 1);
    const { raw, lines } = await logLinesOf(async () => {
      const res = await SELF.fetch(`${ORIGIN}/dashboard?utm=secret-query`, {
        headers: { cookie, 'cf-ray': '8f00aa11bb22cc33-LHR', 'cf-connecting-ip': '203.0.113.77' },
        cf: { colo: 'LHR' },
      });
      await res.arrayBuffer();
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ type: 'request', method: 'GET', route: '/dashboard', status: 200, ray: '8f00aa11bb22cc33-LHR', colo: 'LHR', user: hashUserId(id) });
    expect(lines[0]!.durationMs).toBeGreaterThanOrEqual(0);
    expect(lines[0]!.user).toMatch(/^[0-9a-f]{16}$/);
    for (const secret of [id, token, sessionIdOf(cookie), email, username, '203.0.113.77', 'secret-query', 'cookie']) {
      expect(raw[0]).not.toContain(secret);
    }
  });

  it('logs the route pattern, not the path, and anonymous requests without a user', async () => {
    const { lines } = await logLinesOf(async () => {
      await (await SELF.fetch(`${ORIGIN}/media/avatars/${'a'.repeat(24)}/${'b'.repeat(32)}.webp`)).arrayBuffer();
    });
    expect(lines).toEqual([expect.objectContaining({ route: '/media/*', status: 404, user: null })]);
  });

  it('logs redirects made before any route, and refusals', async () => {
    const { lines } = await logLinesOf(async () => {
      await SELF.fetch(`${ORIGIN}/login/`, { redirect: 'manual' });
      await SELF.fetch(`${ORIGIN}/login`, { method: 'POST', redirect: 'manual', headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } });
    });
    expect(lines.map(({ method, route, status }) => [method, route, status])).toEqual([
      ['GET', '/*', 301],
      ['POST', '/*', 403],
    ]);
  });
});
