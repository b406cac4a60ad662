import { scrypt } from 'node:crypto';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase64 } from '@oslojs/encoding';
import bcrypt from 'bcryptjs';
import { loadArgon2 } from '#argon2-wasm';
import { findArgon2LimitProblem, parseArgon2Hash } from './argon2-phc';
import { pbkdf2Hmac } from './django-pbkdf2';
import { sha256Hex } from '../crypto/sha256';

// Password hashes imported from Django (contrib.auth), verified exactly as Django does:
// the password as typed (UTF-8, no normalisation), the stored string recomputed and
// compared in constant time. Only for a user's first sign-in here; the caller then
// replaces the hash with the app's own. No Worker-only globals: the import CLI (Node)
// uses inspectDjangoHash to decide, before writing anything, who must reset.
export type DjangoAlgorithm = 'pbkdf2_sha256' | 'pbkdf2_sha1' | 'argon2' | 'bcrypt_sha256' | 'bcrypt' | 'scrypt';

export type DjangoHashInfo =
  | { usable: true; algorithm: DjangoAlgorithm; cost: string }
  | { usable: false; algorithm: string; reason: string };

// Above these a verification would cost more CPU (or memory) than a sign-in can spend:
// PBKDF2 at 2,000,000 takes about 1.5 s in workerd here; bcrypt doubles per cost step
// (12: about 0.35 s, so 14 is about 1.4 s). workerd caps scrypt at N*r*p <= 2^20.
export const MAX_PBKDF2_ITERATIONS = 2_000_000;
export const MAX_BCRYPT_COST = 14;
const MAX_SCRYPT_NRP = 2 ** 20;
const MAX_SCRYPT_MEMORY = 64 * 1024 * 1024;

const BCRYPT_DATA = /^\$2[aby]?\$(\d\d)\$[./A-Za-z0-9]{53}$/;
const DECIMAL = /^[1-9]\d{0,9}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

const unusable = (algorithm: string, reason: string): DjangoHashInfo => ({ usable: false, algorithm, reason });

// Whether a stored hash is Django's rather than the app's own (which all begin with "$").
export function isDjangoHash(encoded: string): boolean {
  return !encoded.startsWith('$');
}

export function inspectDjangoHash(encoded: string): DjangoHashInfo {
  if (encoded === '') return unusable('empty', 'no password (empty password column)');
  if (encoded.startsWith('!')) return unusable('unusable', 'unusable password (set_unusable_password)');
  if (/^[0-9a-f]{32}$/i.test(encoded)) return unusable('unsalted_md5', 'unsalted MD5: one fast hash, not carried over');
  const parts = encoded.split('$');
  const [algorithm = ''] = parts;
  switch (algorithm) {
    case 'pbkdf2_sha256':
    case 'pbkdf2_sha1': {
      const [, iterations = '', salt = '', hash = ''] = parts;
      if (parts.length !== 4 || !DECIMAL.test(iterations) || !salt || !BASE64.test(hash)) return unusable(algorithm, 'malformed hash');
      if (Number(iterations) > MAX_PBKDF2_ITERATIONS) return unusable(algorithm, `${iterations} iterations, above the ${MAX_PBKDF2_ITERATIONS} a sign-in can afford`);
      return { usable: true, algorithm, cost: `${Number(iterations).toLocaleString('en')} iterations` };
    }
    case 'argon2': {
      const parsed = parseArgon2Hash(encoded.slice('argon2'.length));
      if (!parsed) return unusable(algorithm, 'malformed hash');
      const problem = findArgon2LimitProblem(parsed);
      if (problem) return unusable(algorithm, problem);
      const { algorithm: variant, m, t, p } = parsed.params;
      return { usable: true, algorithm, cost: `${variant} m=${m} KiB, t=${t}, p=${p}` };
    }
    case 'bcrypt_sha256':
    case 'bcrypt': {
      const match = BCRYPT_DATA.exec(encoded.slice(algorithm.length + 1));
      if (!match) return unusable(algorithm, 'malformed hash');
      const cost = Number(match[1]);
      if (cost < 4 || cost > MAX_BCRYPT_COST) return unusable(algorithm, `cost ${cost}, outside 4-${MAX_BCRYPT_COST}`);
      return { usable: true, algorithm, cost: `cost ${cost}` };
    }
    case 'scrypt': {
      const [, n = '', salt = '', r = '', p = '', hash = ''] = parts;
      if (parts.length !== 6 || ![n, r, p].every((v) => DECIMAL.test(v)) || !salt || !BASE64.test(hash)) return unusable(algorithm, 'malformed hash');
      const [N, R, P] = [Number(n), Number(r), Number(p)];
      if (N < 2 || (N & (N - 1)) !== 0) return unusable(algorithm, 'N is not a power of two');
      if (N * R * P > MAX_SCRYPT_NRP || 128 * N * R > MAX_SCRYPT_MEMORY) return unusable(algorithm, `N=${N}, r=${R}, p=${P}: above what a Worker can compute (N*r*p <= 2^20, 64 MiB)`);
      return { usable: true, algorithm, cost: `N=${N}, r=${R}, p=${P}` };
    }
    case 'md5':
    case 'sha1':
      return parts[1] === ''
        ? unusable(`unsalted_${algorithm}`, `unsalted ${algorithm.toUpperCase()}: one fast hash, not carried over`)
        : unusable(algorithm, `salted ${algorithm.toUpperCase()}: one fast hash, not carried over`);
    case 'crypt':
      return unusable(algorithm, 'Unix crypt (DES): not carried over');
    default:
      return unusable(algorithm || 'unknown', 'not a Django password hash this app knows');
  }
}

// CPU of one verification in workerd, from the measurements in test/django-hashers.test.ts
// on this project's 2-core machine (PBKDF2-SHA256: 1,000,000 iterations in about 1.1 s;
// argon2 at 100 MiB and t=2 in about 0.22 s; bcrypt cost 12 in about 0.39 s), rounded up.
// Used to size the sign-in failure floor (src/import/failure-floor.ts).
export function estimateDjangoVerifyMs(encoded: string): number {
  const info = inspectDjangoHash(encoded);
  if (!info.usable) return 0;
  const parts = encoded.split('$');
  switch (info.algorithm) {
    case 'pbkdf2_sha256':
      return (Number(parts[1]) / 1000) * 1.2;
    case 'pbkdf2_sha1':
      return (Number(parts[1]) / 1000) * 0.8;
    case 'bcrypt_sha256':
    case 'bcrypt':
      return 400 * 2 ** (Number(parts[3]) - 12);
    case 'argon2': {
      const { m, t } = parseArgon2Hash(encoded.slice('argon2'.length))!.params;
      return (m / 1024) * t * 1.1;
    }
    case 'scrypt':
      return Number(parts[1]) * Number(parts[3]) * Number(parts[4]) * 0.0003;
  }
}

const utf8 = (text: string) => new TextEncoder().encode(text);

// Django compares the whole recomputed string with the stored one.
function sameText(a: string, b: string): boolean {
  const x = utf8(a);
  const y = utf8(b);
  return x.length === y.length && constantTimeEqual(x, y);
}

function verifyPbkdf2(encoded: string, password: string): boolean {
  const [algorithm, iterations, salt] = encoded.split('$') as [DjangoAlgorithm, string, string];
  const digest = algorithm === 'pbkdf2_sha1' ? 'sha1' : 'sha256';
  const hash = encodeBase64(pbkdf2Hmac(digest, utf8(password), utf8(salt), Number(iterations)));
  return sameText(encoded, `${algorithm}$${Number(iterations)}$${salt}$${hash}`);
}

async function verifyBcrypt(encoded: string, password: string, algorithm: 'bcrypt' | 'bcrypt_sha256'): Promise<boolean> {
  // bcrypt_sha256 first turns the password into the hex SHA-256 of its UTF-8 bytes (64
  // characters, under bcrypt's 72-byte limit). Plain bcrypt uses the first 72 bytes, and
  // Python's bcrypt refuses a NUL byte, so Django never accepts one.
  if (algorithm === 'bcrypt' && password.includes('\0')) return false;
  const secret = algorithm === 'bcrypt_sha256' ? sha256Hex(password) : password;
  const data = encoded.slice(algorithm.length + 1);
  const recomputed = await bcrypt.hash(secret, data.slice(0, 29));
  return sameText(data, recomputed);
}

function verifyScrypt(encoded: string, password: string): Promise<boolean> {
  const [, n, salt, r, p, hash] = encoded.split('$') as [string, string, string, string, string, string];
  const [N, R, P] = [Number(n), Number(r), Number(p)];
  return new Promise((resolve, reject) => {
    // Django always derives 64 bytes.
    scrypt(utf8(password), utf8(salt), 64, { N, r: R, p: P, maxmem: 256 * N * R + 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(sameText(encoded, `scrypt$${N}$${salt}$${R}$${P}$${encodeBase64(key)}`)),
    );
  });
}

// False for a wrong password and for every hash that must be reset instead.
export async function verifyDjangoPassword(encoded: string, password: string): Promise<boolean> {
  const info = inspectDjangoHash(encoded);
  if (!info.usable) return false;
  switch (info.algorithm) {
    case 'pbkdf2_sha256':
    case 'pbkdf2_sha1':
      return verifyPbkdf2(encoded, password);
    case 'argon2':
      // The same Argon2 the app hashes with; Django stores "argon2" + the PHC string.
      return (await loadArgon2()).verifyArgon2(encoded.slice('argon2'.length), password);
    case 'bcrypt_sha256':
    case 'bcrypt':
      return verifyBcrypt(encoded, password, info.algorithm);
    case 'scrypt':
      return verifyScrypt(encoded, password);
  }
}
