import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createDb } from '../src/db/client';
import { PENDING_SIGN_IN_LIFETIME_MS, consumePendingSignIn, createPendingSignIn, findPendingSignIn } from '../src/mfa/pending-sign-in';
import { createUserWithProfile } from '../src/users/user-store';
import { uniqueName } from './helpers';

async function pending(next?: string, now = Date.now()) {
  const db = createDb(env.DB);
  const name = uniqueName('pending');
  const user = await createUserWithProfile(db, { username: name, email: `${name}@example.com`, passwordHash: 'x' });
  const { token, expiresAt } = await createPendingSignIn(db, { userId: user.id, next }, now);
  return { db, userId: user.id, token, expiresAt, now };
}

describe('pending sign-in', () => {
  it('lasts five minutes and stores only a hash of its secret', async () => {
    const { token, expiresAt, now } = await pending('/account');
    expect(expiresAt - now).toBe(PENDING_SIGN_IN_LIFETIME_MS);
    const [id, secret] = token.split('.');
    const row = await env.DB.prepare('select purpose, secret_hash, data from auth_challenges where id = ?').bind(id).first<{ purpose: string; secret_hash: string; data: string }>();
    expect(row!.purpose).toBe('pending_sign_in');
    expect(row!.secret_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(secret!);
  });

  it('is used up once, keeping the user and where to go next', async () => {
    const { db, userId, token, now } = await pending('/account/sessions');
    expect(await findPendingSignIn(db, token, now + 1000)).toMatchObject({ userId, next: '/account/sessions' });
    expect(await consumePendingSignIn(db, token, now + 1000)).toMatchObject({ userId, next: '/account/sessions' });
    expect(await consumePendingSignIn(db, token, now + 1000)).toBeNull();
    expect(await findPendingSignIn(db, token, now + 1000)).toBeNull();
  });

  it('goes to only one of two simultaneous requests', async () => {
    const { db, token, now } = await pending();
    const results = await Promise.all([consumePendingSignIn(db, token, now), consumePendingSignIn(db, token, now), consumePendingSignIn(db, token, now)]);
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('expires after five minutes', async () => {
    const { db, token, now } = await pending();
    expect(await findPendingSignIn(db, token, now + PENDING_SIGN_IN_LIFETIME_MS - 1)).not.toBeNull();
    expect(await findPendingSignIn(db, token, now + PENDING_SIGN_IN_LIFETIME_MS)).toBeNull();
    expect(await consumePendingSignIn(db, token, now + PENDING_SIGN_IN_LIFETIME_MS)).toBeNull();
  });

  it('needs the exact secret, not just the id', async () => {
    const { db, token, now } = await pending();
    const [id, secret] = token.split('.');
    const wrong = `${id}.${secret!.startsWith('a') ? 'b' : 'a'}${secret!.slice(1)}`;
    expect(await findPendingSignIn(db, wrong, now)).toBeNull();
    expect(await consumePendingSignIn(db, wrong, now)).toBeNull();
    expect(await findPendingSignIn(db, undefined, now)).toBeNull();
    expect(await findPendingSignIn(db, 'garbage', now)).toBeNull();
    expect(await consumePendingSignIn(db, token, now)).not.toBeNull();
  });
});
