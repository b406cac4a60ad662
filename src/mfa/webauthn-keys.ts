import { encodeBase64urlNoPadding } from '@oslojs/encoding';
import { bigIntBytes, decodeIntegerSequence, encodeIntegerSequence } from './der';
import { COSEKeyType, coseAlgorithmES256, coseAlgorithmRS256, coseEllipticCurveP256, type COSEPublicKey } from '@oslojs/webauthn';

// A passkey's public key: from the COSE form the authenticator sends to what the
// passkeys table stores (SEC1 point for ES256, PKCS#1 for RS256), and signatures checked
// against it with WebCrypto (native: a fraction of a millisecond, where the pure-JS
// @oslojs/crypto took about 13 ms for ES256 and pulled 40 KB of ASN.1 code into the bundle).

// ES256 first: every platform authenticator has it; RS256 for older Windows Hello.
export const SUPPORTED_ALGORITHMS = [coseAlgorithmES256, coseAlgorithmRS256] as const;

export interface StoredCredential {
  algorithm: number;
  publicKey: Uint8Array;
  signCount: number;
}

// 0x04 || x || y, each coordinate exactly 32 bytes. (@oslojs/crypto's
// encodeSEC1Uncompressed misplaces a coordinate that starts with a zero byte, about one
// key in 128: those passkeys could register but never sign in. Tested below and in
// test/passkeys-webauthn.test.ts.)
export function encodeP256Point(x: bigint, y: bigint): Uint8Array {
  const point = new Uint8Array(65);
  point[0] = 0x04;
  for (const [coordinate, offset] of [[x, 1], [y, 33]] as const) {
    let value = coordinate;
    for (let i = offset + 31; i >= offset; i--) {
      point[i] = Number(value & 0xffn);
      value >>= 8n;
    }
  }
  return point;
}

export function encodePublicKey(key: COSEPublicKey): { algorithm: number; publicKey: Uint8Array } | null {
  try {
    const algorithm = key.algorithm();
    if (algorithm === coseAlgorithmES256 && key.type() === COSEKeyType.EC2) {
      const { curve, x, y } = key.ec2();
      return curve === coseEllipticCurveP256 ? { algorithm, publicKey: encodeP256Point(x, y) } : null;
    }
    if (algorithm === coseAlgorithmRS256 && key.type() === COSEKeyType.RSA) {
      const { n, e } = key.rsa();
      // PKCS#1 RSAPublicKey: SEQUENCE { n, e }.
      return { algorithm, publicKey: encodeIntegerSequence([bigIntBytes(n), bigIntBytes(e)]) };
    }
    return null;
  } catch {
    return null;
  }
}

// ECDSA signatures come DER-encoded; WebCrypto takes r || s, each 32 bytes for P-256.
function p1363Signature(der: Uint8Array): Uint8Array | null {
  const parts = decodeIntegerSequence(der);
  if (!parts || parts.length !== 2 || parts.some((part) => part.length > 32)) return null;
  const raw = new Uint8Array(64);
  raw.set(parts[0]!, 32 - parts[0]!.length);
  raw.set(parts[1]!, 64 - parts[1]!.length);
  return raw;
}

async function importRsaKey(pkcs1: Uint8Array): Promise<CryptoKey | null> {
  const parts = decodeIntegerSequence(pkcs1);
  if (!parts || parts.length !== 2) return null;
  const jwk: JsonWebKey = { kty: 'RSA', n: encodeBase64urlNoPadding(parts[0]!), e: encodeBase64urlNoPadding(parts[1]!), alg: 'RS256', ext: true };
  return crypto.subtle.importKey('jwk', jwk, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['verify']);
}

// `message` is authenticatorData || SHA-256(clientDataJSON); WebCrypto hashes it (SHA-256).
export async function verifySignature(stored: StoredCredential, message: Uint8Array, signature: Uint8Array): Promise<boolean> {
  try {
    if (stored.algorithm === coseAlgorithmES256) {
      const raw = p1363Signature(signature);
      if (!raw) return false;
      const key = await crypto.subtle.importKey('raw', stored.publicKey, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
      return await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, raw, message);
    }
    if (stored.algorithm === coseAlgorithmRS256) {
      const key = await importRsaKey(stored.publicKey);
      return key ? await crypto.subtle.verify('RSASSA-PKCS1-v1_5', key, signature, message) : false;
    }
    return false;
  } catch {
    return false;
  }
}
