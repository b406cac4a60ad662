import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseArgon2Hash } from '../src/auth/argon2-phc';
import { CURRENT_PARAMS, UNMATCHABLE_HASH, hashPassword, needsRehash, verifyPassword } from '../src/auth/password-hash';
import { checkPasswordRules, similarityRatio } from '../src/auth/password-rules';
import { isCommonPassword, type CommonPasswords } from '../src/auth/common-passwords';
import { loadCommonPasswordsAsset } from '../src/http/common-passwords';
import { postForm, signUp, STRONG_PASSWORD } from './helpers';

// Made by the app's hashPassword before the move to Argon2id (scrypt through node:crypto),
// for STRONG_PASSWORD: the current cost and an older, cheaper one.
const SCRYPT_HASH = '$scrypt$ln=14,r=8,p=5$uBCqF1dosgF3v5vUAadq3g==$tRog6WlEPc5HwIRZynzfh8g94YuoXY1xcz0n2/w2HQ8=';
const OLD_SCRYPT_HASH = '$scrypt$ln=10,r=8,p=1$Myt4Dn9pdfn5M+eRhivphA==$9UDsG5F1gH63B/ewiP8TL5lkK97ie/VmoxKUUl+YSJ0=';
const CURRENT_HASH = /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/;

describe('password hash', () => {
  it('is an Argon2id PHC string at the current cost with a random salt', async () => {
    const a = await hashPassword('a fine password');
    const b = await hashPassword('a fine password');
    expect(a).toMatch(CURRENT_HASH);
    expect(a).not.toBe(b);
    expect(parseArgon2Hash(a)?.params).toEqual(CURRENT_PARAMS);
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('a fine password');
    expect(await verifyPassword(hash, 'a fine password')).toBe(true);
    expect(await verifyPassword(hash, 'a fine passwore')).toBe(false);
  });

  it('verifies hashes made with other parameters and flags them for rehash', async () => {
    const old = await hashPassword('legacy', { algorithm: 'argon2id', version: 0x13, m: 4096, t: 3, p: 1 });
    expect(await verifyPassword(old, 'legacy')).toBe(true);
    expect(needsRehash(old)).toBe(true);
    expect(needsRehash(await hashPassword('current'))).toBe(false);
  });

  it('still verifies scrypt hashes from before Argon2id, and flags them for rehash', async () => {
    for (const hash of [SCRYPT_HASH, OLD_SCRYPT_HASH]) {
      expect(await verifyPassword(hash, STRONG_PASSWORD)).toBe(true);
      expect(await verifyPassword(hash, `${STRONG_PASSWORD}!`)).toBe(false);
      expect(needsRehash(hash)).toBe(true);
    }
  });

  it('treats NFC and NFD forms of a password as the same', async () => {
    const hash = await hashPassword('caf\u00e9 au lait 123');
    expect(await verifyPassword(hash, 'cafe\u0301 au lait 123')).toBe(true);
  });

  it('hashes every character of a non-ASCII password', async () => {
    const hash = await hashPassword('ééééééxxxxxx');
    expect(await verifyPassword(hash, 'ééééééxxxxxx')).toBe(true);
    expect(await verifyPassword(hash, 'ééééééyyyyyy')).toBe(false);
  });

  it('keeps a dummy hash for unknown users that costs the same and matches nothing', async () => {
    expect(UNMATCHABLE_HASH).toMatch(CURRENT_HASH);
    expect(needsRehash(UNMATCHABLE_HASH)).toBe(false);
    expect(await verifyPassword(UNMATCHABLE_HASH, '')).toBe(false);
    expect(await verifyPassword(UNMATCHABLE_HASH, STRONG_PASSWORD)).toBe(false);
  });

  it('refuses a malformed stored hash loudly; an unknown imported one only fails to match', async () => {
    // Anything not starting with "$" is read as a Django hash; one it cannot use never matches.
    expect(await verifyPassword('whirlpool$abc', 'x')).toBe(false);
    await expect(verifyPassword('$whirlpool$abc', 'x')).rejects.toThrow(/format/);
    await expect(verifyPassword('$argon2id$v=19$m=19456,t=2,p=1$AAAA', 'x')).rejects.toThrow();
  });
});

describe('moving stored hashes to Argon2id', () => {
  const storedHash = async (username: string) =>
    (await env.DB.prepare('select password_hash as h from users where username = ?').bind(username).first<{ h: string }>())!.h;

  it('stores an Argon2id hash at sign-up', async () => {
    const { username, response } = await signUp();
    expect(response.status).toBe(303);
    expect(await storedHash(username)).toMatch(CURRENT_HASH);
  });

  it('signs in with an scrypt hash and replaces it with Argon2id', async () => {
    const { username } = await signUp();
    await env.DB.prepare('update users set password_hash = ? where username = ?').bind(SCRYPT_HASH, username).run();

    const wrong = await postForm('/login', { login: username, password: 'not the password at all' });
    expect(wrong.status).toBe(401);
    expect(await storedHash(username)).toBe(SCRYPT_HASH);

    const res = await postForm('/login', { login: username, password: STRONG_PASSWORD });
    expect(res.status).toBe(303);
    const upgraded = await storedHash(username);
    expect(upgraded).toMatch(CURRENT_HASH);

    const again = await postForm('/login', { login: username, password: STRONG_PASSWORD });
    expect(again.status).toBe(303);
    expect(await storedHash(username)).toBe(upgraded);
  });
});

describe('password rules', () => {
  let list: CommonPasswords;
  beforeAll(async () => {
    list = await loadCommonPasswordsAsset(env.ASSETS);
  });

  it('accepts a long, uncommon passphrase', () => {
    expect(checkPasswordRules('violet tractor umbrella 19', { username: 'mina', email: 'mina@example.com' }, list)).toEqual([]);
  });

  it('knows common passwords from the shipped list, in any case', () => {
    expect(isCommonPassword(list, 'iloveyou')).toBe(true);
    expect(isCommonPassword(list, 'Qwertyuiop')).toBe(true);
    expect(isCommonPassword(list, 'violet tractor umbrella 19')).toBe(false);
  });

  it('finds passwords close to the username or email', () => {
    expect(checkPasswordRules('johnsmith1', { username: 'johnsmith', email: 'x@example.com' }, list)).toContain(
      'The password is too similar to your username or email address.',
    );
    expect(checkPasswordRules('maria.lopez', { username: 'ml', email: 'maria.lopez@example.com' }, list).join()).toContain('too similar');
    expect(checkPasswordRules('glacier-orbit-7', { username: 'johnsmith', email: 'js@example.com' }, list)).toEqual([]);
  });

  it('computes a similarity ratio like difflib', () => {
    expect(similarityRatio('abcd', 'abcd')).toBe(1);
    expect(similarityRatio('abcd', 'wxyz')).toBe(0);
    expect(similarityRatio('alice123', 'alice')).toBeCloseTo(10 / 13);
  });
});
