import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from '@oslojs/encoding';

// AES-256-GCM through WebCrypto, for secrets the app must read back (the TOTP key): a
// database dump or backup alone does not reveal them. Stored as "v1.<iv>.<ciphertext>"
// (base64url); the version leaves room to move to a new key. The associated data binds a
// value to its row (the user id): copied into another account's row, it does not open.
const VERSION = 'v1';
const IV_BYTES = 12;

export class SecretBoxError extends Error {
  override name = 'SecretBoxError';
}

export function importSecretBoxKey(raw: Uint8Array): Promise<CryptoKey> {
  if (raw.byteLength !== 32) throw new SecretBoxError('the key must be 32 bytes');
  return crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
}

export async function sealSecret(key: CryptoKey, plaintext: Uint8Array, associatedData: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const additionalData = new TextEncoder().encode(associatedData);
  const ciphertext = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData }, key, plaintext));
  return `${VERSION}.${encodeBase64urlNoPadding(iv)}.${encodeBase64urlNoPadding(ciphertext)}`;
}

// Throws SecretBoxError when the value was changed, belongs to another row, or was sealed
// with another key: never returns a wrong secret.
export async function openSecret(key: CryptoKey, sealed: string, associatedData: string): Promise<Uint8Array> {
  const [version, ivText, ciphertextText, ...rest] = sealed.split('.');
  if (version !== VERSION || !ivText || !ciphertextText || rest.length) throw new SecretBoxError('not a sealed value');
  try {
    const iv = decodeBase64urlIgnorePadding(ivText);
    const ciphertext = decodeBase64urlIgnorePadding(ciphertextText);
    const additionalData = new TextEncoder().encode(associatedData);
    return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData }, key, ciphertext));
  } catch {
    throw new SecretBoxError('the sealed value does not open with this key');
  }
}
