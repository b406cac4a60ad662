import { decodePKIXECDSASignature, decodeSEC1PublicKey, p256, verifyECDSASignature } from '@oslojs/crypto/ecdsa';
import { decodePKCS1RSAPublicKey, RSAPublicKey, sha256ObjectIdentifier, verifyRSASSAPKCS1v15Signature } from '@oslojs/crypto/rsa';
import { COSEKeyType, coseAlgorithmES256, coseAlgorithmRS256, coseEllipticCurveP256, type COSEPublicKey } from '@oslojs/webauthn';

// A passkey's public key: from the COSE form the authenticator sends to what the
// passkeys table stores (SEC1 point for ES256, PKCS#1 for RS256), and signatures checked
// against it. Pure JavaScript (@oslojs/crypto): an ES256 check costs about 13 ms of CPU.

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
      return { algorithm, publicKey: new RSAPublicKey(n, e).encodePKCS1() };
    }
    return null;
  } catch {
    return null;
  }
}

// `hash` is SHA-256 of authenticatorData || SHA-256(clientDataJSON).
export function verifySignature(stored: StoredCredential, hash: Uint8Array, signature: Uint8Array): boolean {
  try {
    if (stored.algorithm === coseAlgorithmES256) {
      return verifyECDSASignature(decodeSEC1PublicKey(p256, stored.publicKey), hash, decodePKIXECDSASignature(signature));
    }
    if (stored.algorithm === coseAlgorithmRS256) {
      return verifyRSASSAPKCS1v15Signature(decodePKCS1RSAPublicKey(stored.publicKey), sha256ObjectIdentifier, hash, signature);
    }
    return false;
  } catch {
    return false;
  }
}
