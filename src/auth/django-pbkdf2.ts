import { hmac } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';

// PBKDF2-HMAC in plain JavaScript, for Django's pbkdf2_sha256 and pbkdf2_sha1 hashes.
// Workers refuse WebCrypto's and node:crypto's PBKDF2 above 100,000 iterations in
// production (local workerd does not), and Django hashes with 260,000 to 1,000,000.
// After the first block every HMAC input is one digest, so each iteration is exactly two
// compression calls from the key's precomputed inner and outer states, with no
// allocation: about 3.5x faster than the generic PBKDF2 of @noble/hashes, whose HMAC computes the first block here.
export type Pbkdf2Digest = 'sha256' | 'sha1';

interface Compressor {
  words: number; // digest size in 32-bit words
  iv: readonly number[];
  compress(state: Int32Array, w: Int32Array, out: Int32Array): void;
}

const K256 = Int32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74,
  0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d,
  0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e,
  0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5,
  0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

const SHA256: Compressor = {
  words: 8,
  iv: [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19],
  compress(s, w, out) {
    for (let i = 16; i < 64; i++) {
      const a = w[i - 15]!;
      const b = w[i - 2]!;
      const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
      const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
      w[i] = (s1 + w[i - 7]! + s0 + w[i - 16]!) | 0;
    }
    let a = s[0]!, b = s[1]!, c = s[2]!, d = s[3]!, e = s[4]!, f = s[5]!, g = s[6]!, h = s[7]!;
    for (let i = 0; i < 64; i++) {
      const t1 = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + ((e & f) ^ (~e & g)) + K256[i]! + w[i]!) | 0;
      const t2 = ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    out[0] = (s[0]! + a) | 0; out[1] = (s[1]! + b) | 0; out[2] = (s[2]! + c) | 0; out[3] = (s[3]! + d) | 0;
    out[4] = (s[4]! + e) | 0; out[5] = (s[5]! + f) | 0; out[6] = (s[6]! + g) | 0; out[7] = (s[7]! + h) | 0;
  },
};

const SHA1: Compressor = {
  words: 5,
  iv: [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0],
  compress(s, w, out) {
    for (let i = 16; i < 80; i++) {
      const x = w[i - 3]! ^ w[i - 8]! ^ w[i - 14]! ^ w[i - 16]!;
      w[i] = (x << 1) | (x >>> 31);
    }
    let a = s[0]!, b = s[1]!, c = s[2]!, d = s[3]!, e = s[4]!;
    for (let i = 0; i < 80; i++) {
      let f: number, k: number;
      if (i < 20) (f = (b & c) | (~b & d)), (k = 0x5a827999);
      else if (i < 40) (f = b ^ c ^ d), (k = 0x6ed9eba1);
      else if (i < 60) (f = (b & c) | (b & d) | (c & d)), (k = 0x8f1bbcdc);
      else (f = b ^ c ^ d), (k = 0xca62c1d6);
      const t = (((a << 5) | (a >>> 27)) + f + e + k + w[i]!) | 0;
      e = d; d = c; c = (b << 30) | (b >>> 2); b = a; a = t;
    }
    out[0] = (s[0]! + a) | 0; out[1] = (s[1]! + b) | 0; out[2] = (s[2]! + c) | 0; out[3] = (s[3]! + d) | 0; out[4] = (s[4]! + e) | 0;
  },
};

const DIGESTS = { sha256: { compressor: SHA256, noble: sha256 }, sha1: { compressor: SHA1, noble: sha1 } } as const;

function readWords(bytes: Uint8Array, into: Int32Array, count: number): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < count; i++) into[i] = view.getInt32(i * 4);
}

// The HMAC key padded to one block, XORed with ipad or opad, run through one compression.
function keyState(c: Compressor, key: Uint8Array, pad: number, w: Int32Array): Int32Array {
  const block = new Uint8Array(64);
  block.set(key);
  for (let i = 0; i < 64; i++) block[i]! ^= pad;
  readWords(block, w, 16);
  const state = new Int32Array(c.words);
  c.compress(Int32Array.from(c.iv), w, state);
  return state;
}

// One block of the derived key (Django asks for one digest's length, so one block).
export function pbkdf2Hmac(digest: Pbkdf2Digest, password: Uint8Array, salt: Uint8Array, iterations: number): Uint8Array {
  if (!Number.isSafeInteger(iterations) || iterations < 1) throw new RangeError('PBKDF2 iterations must be a positive integer');
  const { compressor: c, noble } = DIGESTS[digest];
  const n = c.words;
  const w = new Int32Array(80);
  // Keys longer than a block are hashed first, as HMAC specifies.
  const key = password.length > 64 ? noble(password) : password;
  const inner = keyState(c, key, 0x36, w);
  const outer = keyState(c, key, 0x5c, w);

  const first = new Uint8Array(salt.length + 4);
  first.set(salt);
  first[salt.length + 3] = 1; // INT(1): block index, big-endian
  const u = new Int32Array(n);
  readWords(hmac(noble, password, first), u, n);
  const t = Int32Array.from(u);
  const mid = new Int32Array(n);
  const bitLength = (64 + n * 4) * 8; // padding of one block (the key) plus one digest
  for (let i = 1; i < iterations; i++) {
    for (let j = 0; j < n; j++) w[j] = u[j]!;
    w[n] = 0x80000000 | 0;
    for (let j = n + 1; j < 15; j++) w[j] = 0;
    w[15] = bitLength;
    c.compress(inner, w, mid);
    for (let j = 0; j < n; j++) w[j] = mid[j]!;
    w[n] = 0x80000000 | 0;
    for (let j = n + 1; j < 15; j++) w[j] = 0;
    w[15] = bitLength;
    c.compress(outer, w, u);
    for (let j = 0; j < n; j++) t[j] = t[j]! ^ u[j]!;
  }
  const out = new Uint8Array(n * 4);
  const view = new DataView(out.buffer);
  for (let j = 0; j < n; j++) view.setInt32(j * 4, t[j]!);
  return out;
}
