import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createDb } from '../src/db/client';
import { consumeWebAuthnChallenge, createWebAuthnChallenge, WEBAUTHN_CHALLENGE_LIFETIME_MS } from '../src/mfa/webauthn-challenges';

const db = () => createDb(env.DB);

async function rowCount(id: string): Promise<number> {
  const row = await env.DB.prepare('select count(*) as n from auth_challenges where id = ?').bind(id).first<{ n: number }>();
  return row!.n;
}

describe('WebAuthn challenges', () => {
  it('are 32 random bytes, stored with only a hash of the browser’s secret', async () => {
    const issued = await createWebAuthnChallenge(db(), 'webauthn_sign_in', null);
    expect(issued.challenge).toHaveLength(32);
    const [id, secret] = issued.token.split('.');
    const row = await env.DB.prepare('select * from auth_challenges where id = ?').bind(id).first<{ secret_hash: string; purpose: string; expires_at: number; created_at: number }>();
    expect(row!.purpose).toBe('webauthn_sign_in');
    expect(row!.secret_hash).not.toContain(secret);
    expect(row!.expires_at - row!.created_at).toBe(WEBAUTHN_CHALLENGE_LIFETIME_MS);
    const other = await createWebAuthnChallenge(db(), 'webauthn_sign_in', null);
    expect(other.challenge).not.toEqual(issued.challenge);
  });

  it('give back the challenge once, then never again', async () => {
    const issued = await createWebAuthnChallenge(db(), 'webauthn_sign_in', null);
    expect(await consumeWebAuthnChallenge(db(), 'webauthn_sign_in', issued.token)).toEqual({ challenge: issued.challenge, userId: null });
    expect(await consumeWebAuthnChallenge(db(), 'webauthn_sign_in', issued.token)).toBeNull();
  });

  it('of two requests racing with one challenge, only one gets it', async () => {
    const issued = await createWebAuthnChallenge(db(), 'webauthn_sign_in', null);
    const results = await Promise.all([1, 2, 3].map(() => consumeWebAuthnChallenge(db(), 'webauthn_sign_in', issued.token)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('expire after 5 minutes (and are gone once tried)', async () => {
    const now = Date.now();
    const issued = await createWebAuthnChallenge(db(), 'webauthn_sign_in', null, now);
    expect(await consumeWebAuthnChallenge(db(), 'webauthn_sign_in', issued.token, now + WEBAUTHN_CHALLENGE_LIFETIME_MS + 1)).toBeNull();
    expect(await rowCount(issued.token.split('.')[0]!)).toBe(0);
    const fresh = await createWebAuthnChallenge(db(), 'webauthn_sign_in', null, now);
    expect(await consumeWebAuthnChallenge(db(), 'webauthn_sign_in', fresh.token, now + WEBAUTHN_CHALLENGE_LIFETIME_MS - 1000)).not.toBeNull();
  });

  it('need the secret the browser holds, not only the row id', async () => {
    const issued = await createWebAuthnChallenge(db(), 'webauthn_sign_in', null);
    const [id] = issued.token.split('.');
    expect(await consumeWebAuthnChallenge(db(), 'webauthn_sign_in', `${id}.${'a'.repeat(32)}`)).toBeNull();
    expect(await consumeWebAuthnChallenge(db(), 'webauthn_sign_in', 'not-a-token')).toBeNull();
    expect(await consumeWebAuthnChallenge(db(), 'webauthn_sign_in', undefined)).toBeNull();
  });

  it('answer only their own purpose: a sign-in challenge cannot add a passkey', async () => {
    const issued = await createWebAuthnChallenge(db(), 'webauthn_sign_in', null);
    expect(await consumeWebAuthnChallenge(db(), 'webauthn_register', issued.token)).toBeNull();
    // Still there for its own purpose.
    expect(await consumeWebAuthnChallenge(db(), 'webauthn_sign_in', issued.token)).not.toBeNull();
  });

  it('for adding a passkey, remember whose it is', async () => {
    const userId = 'no-such-user-needed';
    await env.DB.prepare("insert into users (id, username, username_key, email, password_hash, date_joined) values (?, ?, ?, ?, 'x', 0)")
      .bind(userId, 'challenge-owner', 'challenge-owner', 'challenge-owner@example.com')
      .run();
    const issued = await createWebAuthnChallenge(db(), 'webauthn_register', userId);
    expect(await consumeWebAuthnChallenge(db(), 'webauthn_register', issued.token)).toMatchObject({ userId });
  });
});
