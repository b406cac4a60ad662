import { describe, expect, it } from 'vitest';
import { decodeIntegerSequence, encodeIntegerSequence } from '../src/mfa/der';

const bytes = (...values: number[]) => new Uint8Array(values);

describe('DER integer sequences (ECDSA signatures, PKCS#1 keys)', () => {
  it('round-trip integers of any size, with and without a high bit or leading zeros', () => {
    for (const size of [1, 31, 32, 33, 127, 128, 256, 300]) {
      const value = crypto.getRandomValues(new Uint8Array(size));
      value[0] = value[0]! | 0x80;
      const small = bytes(0, 0, 5);
      const decoded = decodeIntegerSequence(encodeIntegerSequence([value, small]));
      expect(decoded).toEqual([value, bytes(5)]);
    }
  });

  it('refuse what is not exactly a sequence of non-negative, minimal integers', () => {
    const good = encodeIntegerSequence([bytes(1), bytes(2)]);
    expect(decodeIntegerSequence(good)).toEqual([bytes(1), bytes(2)]);
    expect(decodeIntegerSequence(bytes(...good, 0))).toBeNull(); // trailing byte
    expect(decodeIntegerSequence(bytes(0x30, 3, 0x02, 1, 0x80))).toBeNull(); // negative
    expect(decodeIntegerSequence(bytes(0x30, 4, 0x02, 2, 0x00, 0x01))).toBeNull(); // needless zero
    expect(decodeIntegerSequence(bytes(0x30, 0x81, 3, 0x02, 1, 1))).toBeNull(); // long form for a short length
    expect(decodeIntegerSequence(bytes(0x31, 3, 0x02, 1, 1))).toBeNull(); // a SET
    expect(decodeIntegerSequence(bytes(0x30, 3, 0x04, 1, 1))).toBeNull(); // an OCTET STRING
    expect(decodeIntegerSequence(bytes(0x30, 5, 0x02, 9, 1))).toBeNull(); // length past the end
    expect(decodeIntegerSequence(bytes())).toBeNull();
  });
});
