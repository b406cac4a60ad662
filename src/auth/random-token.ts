import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { sha256Hex } from '../crypto/sha256';

// Tokens handed to browsers are "<id>.<secret>": the id finds the record, and only a
// SHA-256 of the secret is stored, compared in constant time.
export const TOKEN_PATTERN = /^([a-z2-7]{24})\.([a-z2-7]{32})$/;

export function randomToken(bytes: number): string {
  return encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(bytes)));
}

export function hashSecret(secret: string): string {
  return sha256Hex(secret);
}

export function newIdAndSecret(): { id: string; secret: string; secretHash: string; token: string } {
  const id = randomToken(15);
  const secret = randomToken(20);
  return { id, secret, secretHash: hashSecret(secret), token: `${id}.${secret}` };
}

export function splitToken(token: string): { id: string; secret: string } | null {
  const match = TOKEN_PATTERN.exec(token);
  return match ? { id: match[1]!, secret: match[2]! } : null;
}

const encoder = new TextEncoder();

export function hashesMatch(hash: string, storedHash: string): boolean {
  return constantTimeEqual(encoder.encode(hash), encoder.encode(storedHash));
}

export function secretMatches(secret: string, storedHash: string): boolean {
  return hashesMatch(hashSecret(secret), storedHash);
}
