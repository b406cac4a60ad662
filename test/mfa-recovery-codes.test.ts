import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createDb } from '../src/db/client';
import { RECOVERY_CODE_COUNT, countUnusedRecoveryCodes, generateRecoveryCodes, normalizeRecoveryCode, replaceRecoveryCodes, useRecoveryCode } from '../src/mfa/recovery-codes';
import { createUserWithProfile } from '../src/users/user-store';
import { uniqueName } from './helpers';

async function userWithCodes() {
  const db = createDb(env.DB);
  const name = uniqueName('rc');
  const user = await createUserWithProfile(db, { username: name, email: `${name}@example.com`, passwordHash: 'x' });
  const codes = generateRecoveryCodes();
  await db.batch(replaceRecoveryCodes(db, user.id, codes));
  return { db, userId: user.id, codes };
}

describe('recovery codes', () => {
  it('are ten different codes of 60 random bits, shown as abcd-efgh-ijkl', () => {
    const codes = generateRecoveryCodes();
    expect(codes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(codes).size).toBe(RECOVERY_CODE_COUNT);
    for (const code of codes) expect(code).toMatch(/^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$/);
  });

  it('read the same typed with capitals, spaces, or the digits 0 and 1 for o and l', () => {
    expect(normalizeRecoveryCode(' AB0L-1o2z 7xyz ')).toBe('abollo2z7xyz');
  });

  it('are stored only as hashes', async () => {
    const { userId, codes } = await userWithCodes();
    const rows = await env.DB.prepare('select code_hash as h from recovery_codes where user_id = ?').bind(userId).all<{ h: string }>();
    expect(rows.results).toHaveLength(RECOVERY_CODE_COUNT);
    const stored = JSON.stringify(rows.results);
    for (const code of codes) {
      expect(stored).not.toContain(code);
      expect(stored).not.toContain(code.replaceAll('-', ''));
    }
  });

  it('each work once, however they are typed, and record the use', async () => {
    const { db, userId, codes } = await userWithCodes();
    expect(await useRecoveryCode(db, userId, ` ${codes[0]!.toUpperCase().replaceAll('-', ' ')} `)).toBe(true);
    expect(await useRecoveryCode(db, userId, codes[0]!)).toBe(false);
    expect(await useRecoveryCode(db, userId, codes[1]!)).toBe(true);
    expect(await countUnusedRecoveryCodes(db, userId)).toBe(RECOVERY_CODE_COUNT - 2);
    const events = await env.DB.prepare("select count(*) as n from security_events where user_id = ? and type = 'recovery_code_used'").bind(userId).first<{ n: number }>();
    expect(events!.n).toBe(2);
  });

  it('refuse wrong codes and other accounts\u2019 codes, recording nothing', async () => {
    const alice = await userWithCodes();
    const bob = await userWithCodes();
    expect(await useRecoveryCode(alice.db, alice.userId, bob.codes[0]!)).toBe(false);
    expect(await useRecoveryCode(alice.db, alice.userId, 'aaaa-aaaa-aaaa')).toBe(false);
    expect(await useRecoveryCode(alice.db, alice.userId, '')).toBe(false);
    const events = await env.DB.prepare("select count(*) as n from security_events where user_id = ? and type = 'recovery_code_used'").bind(alice.userId).first<{ n: number }>();
    expect(events!.n).toBe(0);
  });

  it('let only one of two simultaneous uses of a code through', async () => {
    const { db, userId, codes } = await userWithCodes();
    const results = await Promise.all([useRecoveryCode(db, userId, codes[3]!), useRecoveryCode(db, userId, codes[3]!), useRecoveryCode(db, userId, codes[3]!)]);
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('stop working when a new set replaces them', async () => {
    const { db, userId, codes } = await userWithCodes();
    const fresh = generateRecoveryCodes();
    await db.batch(replaceRecoveryCodes(db, userId, fresh));
    expect(await useRecoveryCode(db, userId, codes[0]!)).toBe(false);
    expect(await useRecoveryCode(db, userId, fresh[0]!)).toBe(true);
    expect(await countUnusedRecoveryCodes(db, userId)).toBe(RECOVERY_CODE_COUNT - 1);
  });
});
