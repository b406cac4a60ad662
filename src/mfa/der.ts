// Just enough DER for WebAuthn: a SEQUENCE of non-negative INTEGERs, which is both an
// ECDSA signature (r, s) and a PKCS#1 RSA public key (n, e). Strict: one definite length,
// minimal integers, nothing after the sequence.

const SEQUENCE = 0x30;
const INTEGER = 0x02;

function readLength(bytes: Uint8Array, at: number): { length: number; next: number } | null {
  const first = bytes[at];
  if (first === undefined) return null;
  if (first < 0x80) return { length: first, next: at + 1 };
  const count = first & 0x7f;
  if (count === 0 || count > 3 || at + 1 + count > bytes.length) return null;
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + bytes[at + 1 + i]!;
  if (length < 0x80 || (count > 1 && bytes[at + 1] === 0)) return null; // not minimal
  return { length, next: at + 1 + count };
}

function writeLength(length: number): number[] {
  if (length < 0x80) return [length];
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return [0x80 | bytes.length, ...bytes];
}

// The integers as unsigned big-endian bytes (no sign byte), or null if it is not exactly
// a SEQUENCE of non-negative INTEGERs.
export function decodeIntegerSequence(der: Uint8Array): Uint8Array[] | null {
  if (der[0] !== SEQUENCE) return null;
  const outer = readLength(der, 1);
  if (!outer || outer.next + outer.length !== der.length) return null;
  const integers: Uint8Array[] = [];
  let at = outer.next;
  while (at < der.length) {
    if (der[at] !== INTEGER) return null;
    const inner = readLength(der, at + 1);
    if (!inner || inner.length === 0 || inner.next + inner.length > der.length) return null;
    const value = der.subarray(inner.next, inner.next + inner.length);
    if (value[0]! & 0x80) return null; // negative
    if (value.length > 1 && value[0] === 0 && !(value[1]! & 0x80)) return null; // not minimal
    integers.push(value[0] === 0 && value.length > 1 ? value.subarray(1) : value);
    at = inner.next + inner.length;
  }
  return integers;
}

export function encodeIntegerSequence(integers: Uint8Array[]): Uint8Array {
  const body: number[] = [];
  for (const integer of integers) {
    let start = 0;
    while (start < integer.length - 1 && integer[start] === 0) start++;
    const value = [...integer.subarray(start)];
    if (value.length === 0) value.push(0);
    if (value[0]! & 0x80) value.unshift(0);
    body.push(INTEGER, ...writeLength(value.length), ...value);
  }
  return new Uint8Array([SEQUENCE, ...writeLength(body.length), ...body]);
}

export function bigIntBytes(value: bigint): Uint8Array {
  const hex = value.toString(16);
  const padded = hex.length % 2 ? `0${hex}` : hex;
  return Uint8Array.from(padded.match(/../g)!, (pair) => parseInt(pair, 16));
}
