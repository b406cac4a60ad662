// `node scripts/make-argon2-vectors.mjs`: writes test/argon2-vectors.json, the known
// answers test/argon2.test.ts checks inside workerd against the app's Argon2 (the
// reference C code compiled to WASM by @phi-ag/argon2).
// The answers come from a second, independent implementation: @noble/hashes (pure JS),
// which is first checked here against RFC 9106's test vectors (with secret and associated
// data, which the app's WASM API cannot take) and the reference C code's own test suite.
// Hashes made by real Django for the import fixture (test/django-fixture) are included too.
// Salts are fixed, so re-running writes the same file.
// ARGON2_CROSSCHECK_DIR=<dir with node_modules/argon2> also checks every vector against
// the `argon2` npm package (the C reference, native), if you have it installed somewhere.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { argon2d, argon2i, argon2id } from '@noble/hashes/argon2.js';
import { sha256 } from '@noble/hashes/sha2.js';

const OUTPUT = new URL('../test/argon2-vectors.json', import.meta.url);
const NOBLE = { argon2d, argon2i, argon2id };
const hex = (bytes) => Buffer.from(bytes).toString('hex');
const b64 = (bytes) => Buffer.from(bytes).toString('base64').replace(/=+$/, '');
const bytesOf = (text) => new TextEncoder().encode(text);

function noble(password, salt, { algorithm, version, m, t, p, hashLength }) {
  return NOBLE[algorithm](bytesOf(password), salt, { m, t, p, version, dkLen: hashLength, maxmem: 2 ** 30 });
}

function encode(salt, hash, { algorithm, version, m, t, p }) {
  return `$${algorithm}$v=${version}$m=${m},t=${t},p=${p}$${b64(salt)}$${b64(hash)}`;
}

function fail(message) {
  console.error(`make-argon2-vectors: ${message}`);
  process.exit(1);
}

// RFC 9106 section 5: password 32 x 0x01, salt 16 x 0x02, secret 8 x 0x03, associated
// data 12 x 0x04, m=32 KiB, t=3, p=4, 32-byte tag.
const RFC_9106 = {
  argon2d: '512b391b6f1162975371d30919734294f868e3be3984f3c1a13a4db9fabe4acb',
  argon2i: 'c814d9d1dc7f37aa13f0d77f2494bda1c8de6b016dd388d29952a4c4672b6ce8',
  argon2id: '0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659',
};
for (const [algorithm, tag] of Object.entries(RFC_9106)) {
  const fill = (length, byte) => new Uint8Array(length).fill(byte);
  const key = fill(8, 3);
  const personalization = fill(12, 4);
  const out = NOBLE[algorithm](fill(32, 1), fill(16, 2), { m: 32, t: 3, p: 4, dkLen: 32, key, personalization });
  if (hex(out) !== tag) fail(`@noble/hashes disagrees with RFC 9106 for ${algorithm}`);
}

// From the reference implementation's test suite (P-H-C/phc-winner-argon2, src/test.c),
// password "password" unless given. Version 0x10 strings carry no v= field.
const REFERENCE_C = [
  ['$argon2i$m=65536,t=2,p=1$c29tZXNhbHQ$9sTbSlTio3Biev89thdrlKKiCaYsjjYVJxGAL3swxpQ'],
  ['$argon2i$m=256,t=2,p=2$c29tZXNhbHQ$tsEVYKap1h6scGt5ovl9aLRGOqOth+AMB+KwHpDFZPs'],
  ['$argon2i$m=65536,t=2,p=1$c29tZXNhbHQ$6ckCB0tnVFMaOgvlGeW69ASzDOabPwGsO/ISKZYBCaM', 'differentpassword'],
  ['$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$wWKIMhR9lyDFvRz9YTZweHKfbftvj+qf+YFY4NeBbtA'],
  ['$argon2i$v=19$m=256,t=2,p=2$c29tZXNhbHQ$T/XOJ2mh1/TIpJHfCdQan76Q5esCFVoT5MAeIM1Oq2E'],
  ['$argon2i$v=19$m=65536,t=4,p=1$c29tZXNhbHQ$qqlT1YrzcGzj3xrv1KZKhOMdf1QXUjHxKFJZ+IF0zls'],
  ['$argon2i$v=19$m=65536,t=2,p=1$ZGlmZnNhbHQ$sDV8zPvvkfOGCw26RHsjSMvv7K2vmQq/6cxAcmxSEnE'],
  ['$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc'],
  ['$argon2id$v=19$m=256,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc'],
  ['$argon2id$v=19$m=65536,t=1,p=1$c29tZXNhbHQ$9qWtwbpyPd3vm1rB1GThgPzZ3/ydHL92zKL+15XZypg'],
  ['$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$C4TWUs9rDEvq7w3+J4umqA32aWKB1+DSiRuBfYxFj94', 'differentpassword'],
];

function parse(encoded) {
  const [, algorithm, version, m, t, p, salt, hash] = /^\$(argon2\w+)\$(?:v=(\d+)\$)?m=(\d+),t=(\d+),p=(\d+)\$([^$]+)\$([^$]+)$/.exec(encoded);
  const hashBytes = Buffer.from(hash, 'base64');
  const params = { algorithm, version: Number(version ?? 16), m: Number(m), t: Number(t), p: Number(p), hashLength: hashBytes.length };
  return { params, salt: Buffer.from(salt, 'base64'), hash: hashBytes };
}

const vectors = [];
for (const [encoded, password = 'password'] of REFERENCE_C) {
  const { params, salt, hash } = parse(encoded);
  if (hex(noble(password, salt, params)) !== hex(hash)) fail(`@noble/hashes disagrees with the reference test suite on ${encoded}`);
  vectors.push({ source: 'phc-winner-argon2 src/test.c', password, encoded });
}

// Hashes made by real Django (argon2-cffi) for the import fixture of the Django migration,
// stored by Django as "argon2" + the PHC string. Django hashes the password as typed.
const DJANGO_FIXTURE = new URL('../test/django-fixture/users.json', import.meta.url);
if (existsSync(DJANGO_FIXTURE)) {
  const fixture = JSON.parse(readFileSync(DJANGO_FIXTURE, 'utf8'));
  for (const user of fixture.users.filter((u) => u.password_hash?.startsWith('argon2$'))) {
    const encoded = user.password_hash.slice('argon2'.length);
    const { params, salt, hash } = parse(encoded);
    if (hex(noble(user.password, salt, params)) !== hex(hash)) fail(`@noble/hashes disagrees with Django on ${user.username}`);
    vectors.push({ source: `Django ${fixture.django_version}, argon2-cffi ${fixture.libraries['argon2-cffi']} (test/django-fixture)`, password: user.password, encoded });
  }
}

const PASSWORDS = [
  'password',
  '',
  ' ',
  'a',
  'pass\u0000word',
  'correct horse battery staple 42',
  '\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9xxxxxx',
  'caf\u00e9 au lait',
  'cafe\u0301 au lait',
  'p\u00e4ssw\u00f6rd Gr\u00fc\u00dfe \u0434\u043e\u0431\u0440\u043e',
  '\u30d1\u30b9\u30ef\u30fc\u30c9\u306f\u79d8\u5bc6',
  '\u{1f511} cl\u00e9 \u{1f510} \u{1f468}\u200d\u{1f469}\u200d\u{1f467}',
  'long passphrase '.repeat(80),
  '\u00e9\u4e2d\u{1f600}'.repeat(400),
];
const APP = { algorithm: 'argon2id', version: 19, m: 19456, t: 2, p: 1, hashLength: 32 };
const SETS = [
  { name: 'app (OWASP)', params: APP, saltLength: 16, passwords: PASSWORDS },
  { name: 'argon2id p=4', params: { algorithm: 'argon2id', version: 19, m: 64, t: 3, p: 4, hashLength: 32 }, saltLength: 16, passwords: PASSWORDS },
  { name: 'argon2i p=2', params: { algorithm: 'argon2i', version: 19, m: 256, t: 2, p: 2, hashLength: 16 }, saltLength: 16, passwords: PASSWORDS },
  { name: 'Django < 3.2 default (argon2i)', params: { algorithm: 'argon2i', version: 19, m: 512, t: 2, p: 2, hashLength: 16 }, saltLength: 16, passwords: PASSWORDS.slice(5, 12) },
  { name: 'argon2d, 8-byte salt, 64-byte hash', params: { algorithm: 'argon2d', version: 19, m: 128, t: 1, p: 1, hashLength: 64 }, saltLength: 8, passwords: PASSWORDS.slice(5, 12) },
  { name: 'version 0x10', params: { algorithm: 'argon2id', version: 16, m: 256, t: 2, p: 1, hashLength: 32 }, saltLength: 16, passwords: PASSWORDS.slice(5, 12) },
  { name: 'Django default (100 MiB, p=8)', params: { algorithm: 'argon2id', version: 19, m: 102400, t: 2, p: 8, hashLength: 16 }, saltLength: 16, passwords: [PASSWORDS[5], PASSWORDS[9]] },
];

const saltFor = (label, length) => sha256(bytesOf(`argon2 vector salt ${label}`)).slice(0, length);
for (const set of SETS) {
  set.passwords.forEach((password, index) => {
    const salt = saltFor(`${set.name} ${index}`, set.saltLength);
    vectors.push({ source: `@noble/hashes, ${set.name}`, password, encoded: encode(salt, noble(password, salt, set.params), set.params) });
  });
}

// Pairs that must NOT verify. The first is the prefix collision the unpatched package had.
const salt = saltFor('mismatch', 16);
const appHash = (password) => encode(salt, noble(password, salt, APP), APP);
const mismatches = [
  { why: 'same UTF-16 length and prefix, different tail (the upstream UTF-16 length bug)', encoded: appHash('\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9xxxxxx'), password: '\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9yyyyyy' },
  { why: 'the low level does not normalise: NFC hash, NFD password', encoded: appHash('caf\u00e9 au lait'), password: 'cafe\u0301 au lait' },
  { why: 'a NUL byte is part of the password', encoded: appHash('pass\u0000word'), password: 'pass' },
  { why: 'empty password against a one-space password', encoded: appHash(''), password: ' ' },
  { why: 'a long password differing only in its last character', encoded: appHash(`${'long passphrase '.repeat(80)}x`), password: `${'long passphrase '.repeat(80)}y` },
  { why: 'argon2i and argon2id of the same input differ', encoded: appHash('password').replace('$argon2id$', '$argon2i$'), password: 'password' },
];
for (const { encoded, password } of mismatches) {
  const { params, salt: s, hash } = parse(encoded);
  if (hex(noble(password, s, params)) === hex(hash)) fail(`mismatch case verifies: ${encoded}`);
}

// Well-formed hashes the app must refuse to compute (Argon2HashError), not answer false.
const refused = [
  { why: 'memory above the 100 MiB cap (reference test suite, m=2^18)', encoded: '$argon2id$v=19$m=262144,t=2,p=1$c29tZXNhbHQ$eP4eyR+zqlZX1y5xCFTkw9m5GYx0L5YWwvCFvtlbLow' },
  { why: 'memory one KiB above the cap', encoded: `$argon2id$v=19$m=102401,t=1,p=1$${b64(salt)}$${b64(new Uint8Array(32))}` },
  { why: 'work (m*t) above the cap', encoded: `$argon2id$v=19$m=65536,t=7,p=1$${b64(salt)}$${b64(new Uint8Array(32))}` },
  { why: 'memory below 8 KiB per lane', encoded: `$argon2id$v=19$m=16,t=2,p=4$${b64(salt)}$${b64(new Uint8Array(32))}` },
  { why: 'salt shorter than 8 bytes', encoded: `$argon2id$v=19$m=64,t=2,p=1$${b64(salt.slice(0, 4))}$${b64(new Uint8Array(32))}` },
  { why: 'unknown version', encoded: `$argon2id$v=18$m=64,t=2,p=1$${b64(salt)}$${b64(new Uint8Array(32))}` },
  { why: 'parameters that are not m, t, p', encoded: `$argon2id$v=19$m=64,t=2,p=1,data=YWJj$${b64(salt)}$${b64(new Uint8Array(32))}` },
  { why: 'padded base64', encoded: `$argon2id$v=19$m=64,t=2,p=1$${b64(salt)}==$${b64(new Uint8Array(32))}` },
  { why: 'non-canonical base64 (trailing bits set)', encoded: `$argon2id$v=19$m=64,t=2,p=1$${b64(salt).slice(0, -1)}B$${b64(new Uint8Array(32))}` },
  { why: 'scrypt is not argon2', encoded: '$scrypt$ln=14,r=8,p=5$uBCqF1dosgF3v5vUAadq3g==$tRog6WlEPc5HwIRZynzfh8g94YuoXY1xcz0n2/w2HQ8=' },
];

if (process.env.ARGON2_CROSSCHECK_DIR) {
  const reference = createRequire(join(process.env.ARGON2_CROSSCHECK_DIR, 'package.json'))('argon2');
  for (const { encoded, password } of vectors) if (!(await reference.verify(encoded, password))) fail(`the argon2 package refuses ${encoded}`);
  for (const { encoded, password } of mismatches) if (await reference.verify(encoded, password)) fail(`the argon2 package accepts ${encoded}`);
  console.log(`argon2 package (C reference) agrees on all ${vectors.length} vectors and ${mismatches.length} mismatches`);
}

const file = {
  about: 'Written by scripts/make-argon2-vectors.mjs with @noble/hashes after checking it against RFC 9106 and the reference test suite. Do not edit by hand.',
  vectors,
  mismatches,
  refused,
};
writeFileSync(OUTPUT, `${JSON.stringify(file, null, 1)}\n`);
console.log(`wrote ${vectors.length} vectors, ${mismatches.length} mismatches, ${refused.length} refusals to test/argon2-vectors.json`);
