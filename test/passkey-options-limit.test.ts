import { env, SELF } from 'cloudflare:test';
import { describe, expect, inject, it } from 'vitest';
import { ORIGIN } from './helpers';

// The passkey sign-in's options endpoint stores nothing (the challenge is HMAC-signed, see
// src/mfa/signed-challenges.ts) and so has no rate limit of its own; the answer
// (POST /login/passkey) counts toward SIGN_IN_LIMITER. The README must say the same.

function options(address: string) {
  return SELF.fetch(`${ORIGIN}/login/passkey/options`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: ORIGIN, 'sec-fetch-site': 'same-origin', 'cf-connecting-ip': address },
    body: '{}',
  });
}

describe('passkey sign-in options and their rate limit', () => {
  it('answers far more than the sign-in limit from one address, and writes nothing to D1', async () => {
    const before = await env.DB.prepare('select count(*) as n from auth_challenges').first<{ n: number }>();
    const statuses = new Set<number>();
    for (let i = 0; i < 30; i++) statuses.add((await options('10.99.0.1')).status);
    expect([...statuses]).toEqual([200]);
    const after = await env.DB.prepare('select count(*) as n from auth_challenges').first<{ n: number }>();
    expect(after!.n).toBe(before!.n);
  });

  it('the README says so, and no longer claims a limit or a stored challenge for it', () => {
    const readme = inject('readme');
    expect(readme).toContain('`POST /login/passkey/options` has no rate limit');
    expect(readme).not.toMatch(/asks for one on each view \(for autofill\), rate-limited/);
  });
});
