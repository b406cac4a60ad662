import { scrypt, timingSafeEqual } from 'node:crypto';
import { decodeBase64 } from '@oslojs/encoding';
import { loadArgon2 } from '#argon2-wasm';
import { type Argon2Params, formatArgon2Hash, isArgon2Hash, parseArgon2Hash } from './argon2-phc';
import { isDjangoHash, verifyDjangoPassword } from './django-hashers';

// The app's own password hashes: Argon2id at OWASP's first recommendation (19 MiB,
// 2 passes, 1 lane), about 25 ms of CPU in workerd. Hashes from before it (scrypt)
// still verify and needsRehash() flags them, so the next sign-in upgrades them.
// Passwords are NFKC-normalised first, so the same password typed on another keyboard
// or OS (composed or decomposed accents) matches. Hashes imported from Django are of the
// password as typed: django-hashers.ts verifies those, and needsRehash() flags them.
export const CURRENT_PARAMS: Argon2Params = { algorithm: 'argon2id', version: 0x13, m: 19_456, t: 2, p: 1 };
const SALT_BYTES = 16;
const HASH_BYTES = 32;

export async function hashPassword(password: string, params: Argon2Params = CURRENT_PARAMS): Promise<string> {
  const argon2 = await loadArgon2();
  return argon2.hashArgon2(password.normalize('NFKC'), params, { hashLength: HASH_BYTES });
}

export async function verifyPassword(encoded: string, password: string): Promise<boolean> {
  if (isArgon2Hash(encoded)) return (await loadArgon2()).verifyArgon2(encoded, password.normalize('NFKC'));
  const scryptHash = parseScryptHash(encoded);
  if (scryptHash) return verifyScrypt(scryptHash, password);
  if (isDjangoHash(encoded)) return verifyDjangoPassword(encoded, password);
  throw new Error('Unrecognised password hash format');
}

export function needsRehash(encoded: string): boolean {
  const parsed = parseArgon2Hash(encoded);
  if (!parsed) return true;
  const params = parsed.params;
  const current = CURRENT_PARAMS;
  const sameParams = params.algorithm === current.algorithm && params.version === current.version && params.m === current.m && params.t === current.t && params.p === current.p;
  return !sameParams || parsed.hash.length !== HASH_BYTES;
}

// A hash no password matches (all-zero output), at the current cost: verifying against it
// when the account does not exist makes "unknown user" take as long as "wrong password".
export const UNMATCHABLE_HASH = formatArgon2Hash({ params: CURRENT_PARAMS, salt: new Uint8Array(SALT_BYTES), hash: new Uint8Array(HASH_BYTES) });

// An empty hash or Django's "!" mark: the account has no password (imported without one,
// or created through a sign-in provider). No typed password can match it.
export function hasUsablePassword(encoded: string): boolean {
  return encoded !== '' && !encoded.startsWith('!');
}

// Legacy: $scrypt$ln=14,r=8,p=5$<salt base64>$<hash base64>, hashed by workerd's native
// node:crypto scrypt before the move to Argon2id. Verify only; never written any more.
const SCRYPT_PATTERN = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,3}),p=(\d{1,3})\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/;

interface ScryptHash {
  logN: number;
  r: number;
  p: number;
  salt: Uint8Array;
  hash: Uint8Array;
}

function parseScryptHash(encoded: string): ScryptHash | null {
  const match = SCRYPT_PATTERN.exec(encoded);
  if (!match) return null;
  const [, logN, r, p, salt, hash] = match;
  try {
    return { logN: Number(logN), r: Number(r), p: Number(p), salt: decodeBase64(salt!), hash: decodeBase64(hash!) };
  } catch {
    return null;
  }
}

function verifyScrypt({ logN, r, p, salt, hash }: ScryptHash, password: string): Promise<boolean> {
  const N = 2 ** logN;
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, hash.length, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(timingSafeEqual(key, hash)),
    );
  });
}

// The password column of an account without a password (Django's set_unusable_password
// form: "!" and random characters): no typed password ever matches it.
export function unusablePasswordHash(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(20));
  return `!${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}
