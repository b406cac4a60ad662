import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { clientNetwork, LOCKOUT_DURATION_MS, LOCKOUT_MAX_FAILURES } from '../src/auth/rate-limits';
import { authenticate } from '../src/auth/sign-in';
import { createDb } from '../src/db/client';
import { postForm, signUpAndSignIn, STRONG_PASSWORD, uniqueName } from './helpers';

const fromAddress = (ip: string) => ({ headers: { 'cf-connecting-ip': ip } });

// The binding counts in fixed windows; a test can straddle a window boundary, so it
// allows up to two windows' worth of attempts before the first refusal.
async function attemptsUntilRefused(limit: number, attempt: (i: number) => Promise<Response>) {
  let allowed = 0;
  for (let i = 0; i < 2 * limit + 1; i++) {
    const res = await attempt(i);
    if (res.status === 429) return { allowed, refusal: res };
    allowed += 1;
  }
  return { allowed, refusal: null };
}

describe('per-address limits (Workers rate limiting binding)', () => {
  it('sign-in: too many attempts in a minute from one address get a 429 with Retry-After', async () => {
    const { allowed, refusal } = await attemptsUntilRefused(20, (i) => postForm('/login', { login: `someone${i}`, password: 'x' }, fromAddress('192.0.2.10')));
    expect(allowed).toBeGreaterThanOrEqual(20);
    expect(refusal?.status).toBe(429);
    expect(refusal!.headers.get('retry-after')).toBe('60');
    expect(await refusal!.text()).toContain('Please try again in about 60 seconds');
    // Another address is not affected.
    expect((await postForm('/login', { login: 'someone', password: 'x' }, fromAddress('192.0.2.11'))).status).toBe(401);
  });

  it('sign-up: limited per address', async () => {
    const { allowed, refusal } = await attemptsUntilRefused(10, () => {
      const username = uniqueName('flood');
      return postForm('/register', { username, email: `${username}@example.com`, password: STRONG_PASSWORD, passwordConfirm: STRONG_PASSWORD }, fromAddress('192.0.2.20'));
    });
    expect(allowed).toBeGreaterThanOrEqual(10);
    expect(refusal?.status).toBe(429);
  });

  it('password reset requests: limited per address', async () => {
    const { allowed, refusal } = await attemptsUntilRefused(5, (i) => postForm('/password-reset', { email: `x${i}@example.com` }, fromAddress('192.0.2.30')));
    expect(allowed).toBeGreaterThanOrEqual(5);
    expect(refusal?.status).toBe(429);
    expect(refusal!.headers.get('retry-after')).toBe('60');
  });
});

describe('what counts as one client', () => {
  it('an IPv4 address as it is, an IPv6 address by its /64, in any written form', () => {
    expect(clientNetwork('192.0.2.1')).toBe('192.0.2.1');
    expect(clientNetwork('unknown')).toBe('unknown');
    expect(clientNetwork('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(clientNetwork('2001:0DB8:0001:0002:ffff:0:0:1')).toBe('2001:db8:1:2::/64');
    expect(clientNetwork('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientNetwork('2001:db8:0:0:abcd::7')).toBe('2001:db8:0:0::/64');
    expect(clientNetwork('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(clientNetwork('::')).toBe('0:0:0:0::/64');
    // IPv4 written as IPv6 is that IPv4 address, whichever way it is written.
    expect(clientNetwork('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(clientNetwork('::ffff:c000:201')).toBe('192.0.2.1');
    // Not an address: counted as it is, never merged with another.
    for (const junk of ['2001:db8::1::2', '2001:db8:1:2:3:4:5:6:7', '2001:db8:1:2:3:4:5', 'g::1', '::ffff:300.0.0.1', '1:2:3:4:5:6:7::8']) {
      expect(clientNetwork(junk)).toBe(junk);
    }
  });

  it('counts the addresses of one IPv6 /64 together: changing the last 64 bits does not reset a limit', async () => {
    const random = () => crypto.getRandomValues(new Uint16Array(1))[0]!.toString(16);
    const network = `2001:db8:${random()}:${random()}`;
    const { allowed, refusal } = await attemptsUntilRefused(20, (i) => postForm('/login', { login: `someone${i}`, password: 'x' }, fromAddress(`${network}::${(i + 1).toString(16)}`)));
    expect(allowed).toBeGreaterThanOrEqual(20);
    expect(refusal?.status).toBe(429);
    // The next /64 is another client.
    expect((await postForm('/login', { login: 'someone', password: 'x' }, fromAddress(`${network.replace(/[0-9a-f]+$/, (last) => ((parseInt(last, 16) + 1) & 0xffff).toString(16))}::1`))).status).toBe(401);
  });
});

describe('per-account lockout (counted in D1)', () => {
  it(`locks an account after ${LOCKOUT_MAX_FAILURES} failures from many addresses, even for the right password`, async () => {
    const { username } = await signUpAndSignIn();
    for (let i = 0; i < LOCKOUT_MAX_FAILURES; i++) {
      expect((await postForm('/login', { login: username, password: `guess ${i}` }, fromAddress(`198.51.100.${i}`))).status).toBe(401);
    }
    const locked = await postForm('/login', { login: username, password: STRONG_PASSWORD }, fromAddress('198.51.100.200'));
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(800);
  });

  it('treats unknown logins the same way, so a lockout reveals nothing', async () => {
    const login = uniqueName('ghost');
    for (let i = 0; i < LOCKOUT_MAX_FAILURES; i++) await postForm('/login', { login, password: 'guess' }, fromAddress(`203.0.113.${i}`));
    expect((await postForm('/login', { login, password: 'guess' }, fromAddress('203.0.113.200'))).status).toBe(429);
  });

  it('unlocks after the lockout period and resets after a success', async () => {
    const { username } = await signUpAndSignIn();
    const db = createDb(env.DB);
    const start = Date.now();
    for (let i = 0; i < LOCKOUT_MAX_FAILURES; i++) await authenticate(db, username, 'wrong', {}, start);
    expect((await authenticate(db, username, STRONG_PASSWORD, {}, start + 1000)).ok).toBe(false);
    const later = start + LOCKOUT_DURATION_MS + 1000;
    expect((await authenticate(db, username, STRONG_PASSWORD, {}, later)).ok).toBe(true);
    // The success cleared the count: one more failure does not lock again.
    await authenticate(db, username, 'wrong', {}, later + 1000);
    expect((await authenticate(db, username, STRONG_PASSWORD, {}, later + 2000)).ok).toBe(true);
  });
});
