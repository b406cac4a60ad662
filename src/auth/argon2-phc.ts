import { decodeBase64IgnorePadding, encodeBase64NoPadding } from '@oslojs/encoding';

// Argon2 hashes as PHC strings: $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>, base64
// without padding. Pure parsing and limits, no WASM: a Node CLI (the Django import) can
// check a hash before it is stored.
export type Argon2Algorithm = 'argon2id' | 'argon2i' | 'argon2d';
export type Argon2Version = 0x10 | 0x13;

export interface Argon2Params {
  algorithm: Argon2Algorithm;
  version: Argon2Version;
  /** Memory in KiB. */
  m: number;
  /** Passes over the memory. */
  t: number;
  /** Lanes. */
  p: number;
}

export interface Argon2Hash {
  params: Argon2Params;
  salt: Uint8Array;
  hash: Uint8Array;
}

// A Worker has 128 MB. Django's default (m=102400 KiB, 100 MiB) is the largest memory
// that still fits beside the app, so it is the cap. The work cap (m*t) is twice Django's
// default, which covers the common libraries' defaults (PHP, argon2-cffi, node-argon2)
// and keeps one verification under about half a second of CPU.
export const ARGON2_MAX_MEMORY_KIB = 102_400;
export const ARGON2_MAX_WORK = 2 * 102_400 * 2;
const MIN_SALT_BYTES = 8;
const MAX_SALT_BYTES = 64;
const MIN_HASH_BYTES = 4;
const MAX_HASH_BYTES = 64;
const MAX_ENCODED_LENGTH = 256;

// The version field is optional: hashes from before version 0x13 omit it (Django still reads those).
const PHC_PATTERN = /^\$(argon2id|argon2i|argon2d)(?:\$v=(16|19))?\$([a-z]=\d{1,10}(?:,[a-z]=\d{1,10})*)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

export function isArgon2Hash(encoded: string): boolean {
  return /^\$argon2(id|i|d)\$/.test(encoded);
}

// Null for anything that is not a well-formed argon2 PHC string, including extra
// parameters (keyid, data) that this app never writes.
export function parseArgon2Hash(encoded: string): Argon2Hash | null {
  if (encoded.length > MAX_ENCODED_LENGTH) return null;
  const match = PHC_PATTERN.exec(encoded);
  if (!match) return null;
  const [, algorithm, version, paramList, salt, hash] = match;
  const costs = parseCosts(paramList!);
  const saltBytes = decodeCanonicalBase64(salt!);
  const hashBytes = decodeCanonicalBase64(hash!);
  if (!costs || !saltBytes || !hashBytes) return null;
  const params: Argon2Params = { algorithm: algorithm as Argon2Algorithm, version: version === '19' ? 0x13 : 0x10, ...costs };
  return { params, salt: saltBytes, hash: hashBytes };
}

// m, t and p once each, in any order: the reference writes m,t,p but node-argon2 writes m,p,t.
function parseCosts(list: string): Pick<Argon2Params, 'm' | 't' | 'p'> | null {
  const costs: Record<string, number> = {};
  for (const pair of list.split(',')) {
    const [key, value] = pair.split('=') as [string, string];
    if (!['m', 't', 'p'].includes(key) || key in costs || (value.length > 1 && value.startsWith('0'))) return null;
    costs[key] = Number(value);
  }
  const { m, t, p } = costs;
  return m !== undefined && t !== undefined && p !== undefined ? { m, t, p } : null;
}

function decodeCanonicalBase64(text: string): Uint8Array | null {
  try {
    const bytes = decodeBase64IgnorePadding(text);
    // Refuses non-zero trailing bits, as the reference decoder does: one hash, one spelling.
    return encodeBase64NoPadding(bytes) === text ? bytes : null;
  } catch {
    return null;
  }
}

export function formatArgon2Hash({ params, salt, hash }: Argon2Hash): string {
  const { algorithm, version, m, t, p } = params;
  return `$${algorithm}$v=${version}$m=${m},t=${t},p=${p}$${encodeBase64NoPadding(salt)}$${encodeBase64NoPadding(hash)}`;
}

// Why a hash cannot be computed here, or null if it can: outside Argon2's own bounds,
// or above what a Worker can afford.
export function findArgon2LimitProblem({ params, salt, hash }: Argon2Hash): string | null {
  const { m, t, p } = params;
  if (![m, t, p].every(Number.isSafeInteger)) return 'costs must be integers';
  if (p < 1 || t < 1 || m < 8 * p) return 'costs outside Argon2 bounds (p >= 1, t >= 1, m >= 8p)';
  if (salt.length < MIN_SALT_BYTES || salt.length > MAX_SALT_BYTES) return `salt of ${salt.length} bytes (allowed ${MIN_SALT_BYTES}-${MAX_SALT_BYTES})`;
  if (hash.length < MIN_HASH_BYTES || hash.length > MAX_HASH_BYTES) return `hash of ${hash.length} bytes (allowed ${MIN_HASH_BYTES}-${MAX_HASH_BYTES})`;
  if (m > ARGON2_MAX_MEMORY_KIB) return `needs ${m} KiB of memory, above the ${ARGON2_MAX_MEMORY_KIB} KiB a Worker can spare`;
  if (m * t > ARGON2_MAX_WORK) return `m*t = ${m * t}, above the work cap of ${ARGON2_MAX_WORK}`;
  return null;
}
