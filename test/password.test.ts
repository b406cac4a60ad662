import { describe, expect, it } from 'vitest';
import { CURRENT_PARAMS, hashPassword, needsRehash, parsePasswordHash, verifyPassword } from '../src/auth/password-hash';
import { checkPasswordRules, similarityRatio } from '../src/auth/password-rules';
import { isCommonPassword } from '../src/auth/common-passwords';

describe('password hash', () => {
  it('is a self-describing scrypt string with a random salt', async () => {
    const a = await hashPassword('a fine password');
    const b = await hashPassword('a fine password');
    expect(a).toMatch(/^\$scrypt\$ln=14,r=8,p=5\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
    expect(a).not.toBe(b);
    expect(parsePasswordHash(a)?.params).toEqual(CURRENT_PARAMS);
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('a fine password');
    expect(await verifyPassword(hash, 'a fine password')).toBe(true);
    expect(await verifyPassword(hash, 'a fine passwore')).toBe(false);
  });

  it('verifies hashes made with other parameters and flags them for rehash', async () => {
    const old = await hashPassword('legacy', { logN: 10, r: 8, p: 1 });
    expect(await verifyPassword(old, 'legacy')).toBe(true);
    expect(needsRehash(old)).toBe(true);
    expect(needsRehash(await hashPassword('current'))).toBe(false);
  });

  it('treats NFC and NFD forms of a password as the same', async () => {
    const hash = await hashPassword('caf\u00e9 au lait 123');
    expect(await verifyPassword(hash, 'cafe\u0301 au lait 123')).toBe(true);
  });

  it('refuses a malformed stored hash loudly', async () => {
    await expect(verifyPassword('md5$abc', 'x')).rejects.toThrow(/format/);
  });
});

describe('password rules', () => {
  it('accepts a long, uncommon passphrase', () => {
    expect(checkPasswordRules('violet tractor umbrella 19', { username: 'mina', email: 'mina@example.com' })).toEqual([]);
  });

  it('knows common passwords from the shipped list, in any case', () => {
    expect(isCommonPassword('iloveyou')).toBe(true);
    expect(isCommonPassword('Qwertyuiop')).toBe(true);
    expect(isCommonPassword('violet tractor umbrella 19')).toBe(false);
  });

  it('finds passwords close to the username or email', () => {
    expect(checkPasswordRules('johnsmith1', { username: 'johnsmith', email: 'x@example.com' })).toContain(
      'The password is too similar to your username or email address.',
    );
    expect(checkPasswordRules('maria.lopez', { username: 'ml', email: 'maria.lopez@example.com' }).join()).toContain('too similar');
    expect(checkPasswordRules('glacier-orbit-7', { username: 'johnsmith', email: 'js@example.com' })).toEqual([]);
  });

  it('computes a similarity ratio like difflib', () => {
    expect(similarityRatio('abcd', 'abcd')).toBe(1);
    expect(similarityRatio('abcd', 'wxyz')).toBe(0);
    expect(similarityRatio('alice123', 'alice')).toBeCloseTo(10 / 13);
  });
});
