import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from '@oslojs/encoding';

// Values a browser carries but must not change (a cookie): JSON under an HMAC, each use
// with a key of its own derived (HKDF) from one app secret, so one setting serves several
// purposes without one key doing two jobs.

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const keys = new WeakMap<Uint8Array, Map<string, Promise<CryptoKey>>>();

// `purpose` is the HKDF info: a different one gives an unrelated key. Derived once per isolate.
export function derivedHmacKey(secret: Uint8Array, purpose: string): Promise<CryptoKey> {
  let forSecret = keys.get(secret);
  if (!forSecret) keys.set(secret, (forSecret = new Map()));
  let key = forSecret.get(purpose);
  if (!key) {
    key = crypto.subtle
      .importKey('raw', secret, 'HKDF', false, ['deriveKey'])
      .then((base) =>
        crypto.subtle.deriveKey(
          { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: encoder.encode(purpose) },
          base,
          { name: 'HMAC', hash: 'SHA-256', length: 256 },
          false,
          ['sign', 'verify'],
        ),
      );
    forSecret.set(purpose, key);
  }
  return key;
}

// "<base64url JSON>.<base64url HMAC-SHA-256>"
export async function sealJson(key: CryptoKey, value: unknown): Promise<string> {
  const payload = encodeBase64urlNoPadding(encoder.encode(JSON.stringify(value)));
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(payload)));
  return `${payload}.${encodeBase64urlNoPadding(mac)}`;
}

export type OpenedJson<T> = { ok: true; value: T } | { ok: false; reason: 'malformed' | 'altered' };

// The sealed value, if intact; the caller checks what it means (expiry, whose it is).
export async function openSealedJson<T>(key: CryptoKey, sealed: string): Promise<OpenedJson<T>> {
  const match = /^([A-Za-z0-9_-]{1,4000})\.([A-Za-z0-9_-]{43})$/.exec(sealed);
  if (!match) return { ok: false, reason: 'malformed' };
  const [, payload, mac] = match;
  // crypto.subtle.verify compares in constant time.
  if (!(await crypto.subtle.verify('HMAC', key, decodeBase64urlIgnorePadding(mac!), encoder.encode(payload!)))) return { ok: false, reason: 'altered' };
  return { ok: true, value: JSON.parse(decoder.decode(decodeBase64urlIgnorePadding(payload!))) as T };
}
