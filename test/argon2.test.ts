import { describe, expect, it } from 'vitest';
import { Argon2HashError } from '../src/auth/argon2';
import { ARGON2_MAX_MEMORY_KIB, findArgon2LimitProblem, formatArgon2Hash, parseArgon2Hash } from '../src/auth/argon2-phc';
import { loadArgon2 } from '../src/auth/argon2-wasm';
import known from './argon2-vectors.json';

// Known answers from scripts/make-argon2-vectors.mjs (an independent implementation,
// itself checked against RFC 9106 and the reference test suite), checked here inside
// workerd against the WASM build the Worker ships.
const label = (password: string) => (password.length > 24 ? `${password.slice(0, 12)}... (${password.length} chars)` : JSON.stringify(password));

describe('argon2 known answers', () => {
  it.each(known.vectors.map((v) => [`${v.source}: ${v.encoded.split('$')[1]} ${v.encoded.split('$').at(-3)} ${label(v.password)}`, v] as const))(
    '%s',
    async (_, { password, encoded }) => {
      const argon2 = await loadArgon2();
      expect(await argon2.verifyArgon2(encoded, password)).toBe(true);
      expect(await argon2.verifyArgon2(encoded, `${password}!`)).toBe(false);
      // Hashing with the same salt gives the same bytes (the string differs only where
      // an old version-0x10 hash omits "v=").
      const parsed = parseArgon2Hash(encoded)!;
      const again = await argon2.hashArgon2(password, parsed.params, { salt: parsed.salt, hashLength: parsed.hash.length });
      expect(again).toBe(formatArgon2Hash(parsed));
    },
  );

  it.each(known.mismatches.map((m) => [m.why, m] as const))('refuses: %s', async (_, { encoded, password }) => {
    const argon2 = await loadArgon2();
    expect(await argon2.verifyArgon2(encoded, password)).toBe(false);
  });

  it.each(known.refused.map((r) => [r.why, r] as const))('will not compute: %s', async (_, { encoded }) => {
    const argon2 = await loadArgon2();
    await expect(argon2.verifyArgon2(encoded, 'password')).rejects.toThrow(Argon2HashError);
  });
});

describe('argon2', () => {
  // Fails with the unpatched @phi-ag/argon2 (patches/): it hashed the first 12 bytes of
  // these 18-byte passwords, "éééééé", so any tail matched.
  it('hashes every UTF-8 byte of a non-ASCII password', async () => {
    const argon2 = await loadArgon2();
    const params = { algorithm: 'argon2id', version: 0x13, m: 19_456, t: 2, p: 1 } as const;
    const hash = await argon2.hashArgon2('ééééééxxxxxx', params);
    expect(await argon2.verifyArgon2(hash, 'ééééééxxxxxx')).toBe(true);
    expect(await argon2.verifyArgon2(hash, 'ééééééyyyyyy')).toBe(false);
    expect(await argon2.verifyArgon2(hash, 'éééééé')).toBe(false);
  });

  it('uses a fresh random salt for each hash', async () => {
    const argon2 = await loadArgon2();
    const params = { algorithm: 'argon2id', version: 0x13, m: 64, t: 1, p: 1 } as const;
    const [a, b] = [await argon2.hashArgon2('same', params), await argon2.hashArgon2('same', params)];
    expect(a).toMatch(/^\$argon2id\$v=19\$m=64,t=1,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(a).not.toBe(b);
  });

  it('refuses to hash above the memory cap rather than exhaust the isolate', async () => {
    const argon2 = await loadArgon2();
    const params = { algorithm: 'argon2id', version: 0x13, m: ARGON2_MAX_MEMORY_KIB + 1, t: 1, p: 1 } as const;
    await expect(argon2.hashArgon2('x', params)).rejects.toThrow(/memory/);
  });

  it('reads parameters in any order and tells why a hash is out of reach', () => {
    // node-argon2 writes m,p,t.
    const parsed = parseArgon2Hash('$argon2id$v=19$m=65536,p=4,t=3$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc');
    expect(parsed?.params).toEqual({ algorithm: 'argon2id', version: 0x13, m: 65536, t: 3, p: 4 });
    expect(findArgon2LimitProblem(parsed!)).toBeNull();
    expect(parseArgon2Hash('$argon2id$v=19$m=64,m=64,t=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc')).toBeNull();
    const big = parseArgon2Hash('$argon2id$v=19$m=1048576,t=4,p=4$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc');
    expect(findArgon2LimitProblem(big!)).toMatch(/1048576 KiB/);
  });
});
