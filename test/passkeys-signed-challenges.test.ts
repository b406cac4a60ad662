import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createDb } from '../src/db/client';
import { challengeSigningKey, issueSignInChallenge, redeemSignInChallenge } from '../src/mfa/signed-challenges';
import { WEBAUTHN_CHALLENGE_LIFETIME_MS } from '../src/mfa/webauthn-challenges';
import { ORIGIN, randomAddress } from './helpers';

const db = () => createDb(env.DB);
const key = () => challengeSigningKey(crypto.getRandomValues(new Uint8Array(32)));

async function challengeRows(): Promise<number> {
  return (await env.DB.prepare('select count(*) as n from auth_challenges').first<{ n: number }>())!.n;
}

describe('passkey sign-in challenges (signed, not stored)', () => {
  it('are issued without writing anything, also through the sign-in page\u2019s request', async () => {
    const before = await challengeRows();
    const k = await key();
    await issueSignInChallenge(k);
    const res = await SELF.fetch(`${ORIGIN}/login/passkey/options`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN, 'sec-fetch-site': 'same-origin', 'cf-connecting-ip': randomAddress() },
      body: '{}',
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { publicKey: { challenge: string } }).publicKey.challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await challengeRows()).toBe(before);
  });

  it('are answered once: a second answer, even at the same moment, is refused', async () => {
    const k = await key();
    const issued = await issueSignInChallenge(k);
    const results = await Promise.all([1, 2, 3].map(() => redeemSignInChallenge(db(), k, issued.token)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(results.find(Boolean)!.challenge).toEqual(issued.challenge);
    expect(await redeemSignInChallenge(db(), k, issued.token)).toBeNull();
  });

  it('expire after five minutes', async () => {
    const k = await key();
    const now = Date.now();
    const issued = await issueSignInChallenge(k, now);
    expect(await redeemSignInChallenge(db(), k, issued.token, now + WEBAUTHN_CHALLENGE_LIFETIME_MS + 1)).toBeNull();
  });

  it('cannot be forged, altered or signed with another key', async () => {
    const k = await key();
    const issued = await issueSignInChallenge(k);
    const [challenge, expires, mac] = issued.token.split('.');
    const later = String(Number(expires) + 3_600_000);
    expect(await redeemSignInChallenge(db(), k, `${challenge}.${later}.${mac}`)).toBeNull();
    const other = crypto.getRandomValues(new Uint8Array(32));
    const otherEncoded = btoa(String.fromCharCode(...other)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    expect(await redeemSignInChallenge(db(), k, `${otherEncoded}.${expires}.${mac}`)).toBeNull();
    expect(await redeemSignInChallenge(db(), await key(), issued.token)).toBeNull();
    expect(await redeemSignInChallenge(db(), k, 'nonsense')).toBeNull();
    expect(await redeemSignInChallenge(db(), k, undefined)).toBeNull();
    // The untouched one still works.
    expect(await redeemSignInChallenge(db(), k, issued.token)).not.toBeNull();
  });
});
