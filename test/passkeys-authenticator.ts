// A software authenticator for the tests: real keys (WebCrypto), real authenticator data,
// clientDataJSON and a 'none' attestation object encoded in CBOR by hand (@oslojs/cbor
// only decodes), signed the way a security key or phone signs.
import { decodeIEEEP1363ECDSASignature, p256 } from '@oslojs/crypto/ecdsa';
import { sha256 } from '@oslojs/crypto/sha2';
import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from '@oslojs/encoding';

// --- CBOR (RFC 8949), the few major types WebAuthn needs -----------------------------------

type Cbor = number | string | Uint8Array | Map<Cbor, Cbor>;

function head(major: number, value: number): number[] {
  if (value < 24) return [(major << 5) | value];
  if (value < 0x100) return [(major << 5) | 24, value];
  if (value < 0x10000) return [(major << 5) | 25, value >> 8, value & 0xff];
  return [(major << 5) | 26, (value >>> 24) & 0xff, (value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff];
}

export function encodeCbor(value: Cbor): Uint8Array {
  const out: number[] = [];
  const write = (v: Cbor) => {
    if (typeof v === 'number') out.push(...(v >= 0 ? head(0, v) : head(1, -1 - v)));
    else if (typeof v === 'string') {
      const bytes = new TextEncoder().encode(v);
      out.push(...head(3, bytes.length), ...bytes);
    } else if (v instanceof Uint8Array) out.push(...head(2, v.length), ...v);
    else {
      out.push(...head(5, v.size));
      for (const [key, item] of v) {
        write(key);
        write(item);
      }
    }
  };
  write(value);
  return new Uint8Array(out);
}

// --- Authenticator data ---------------------------------------------------------------------

export const FLAG_UP = 0x01;
export const FLAG_UV = 0x04;
export const FLAG_BE = 0x08;
export const FLAG_BS = 0x10;
const FLAG_AT = 0x40;

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function uint32(value: number): Uint8Array {
  return new Uint8Array([(value >>> 24) & 0xff, (value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff]);
}

export interface Ceremony {
  challenge: string; // base64url, as the server's options carry it
  rpId: string;
  origin: string;
}

export interface Tweaks {
  origin?: string;
  rpId?: string;
  challenge?: string;
  type?: string;
  flags?: number;
  counter?: number;
  crossOrigin?: boolean;
}

export type Algorithm = 'ES256' | 'RS256' | 'EdDSA';

export class SoftAuthenticator {
  readonly credentialId = crypto.getRandomValues(new Uint8Array(32));
  // Synced passkeys keep no counter (always 0); security keys count up.
  counter: number;

  private constructor(
    readonly algorithm: Algorithm,
    private readonly keys: CryptoKeyPair,
    readonly userHandle: Uint8Array,
    private readonly counts: boolean,
  ) {
    this.counter = counts ? 1 : 0;
  }

  static async create(options: { algorithm?: Algorithm; userId?: string; counts?: boolean } = {}): Promise<SoftAuthenticator> {
    const algorithm = options.algorithm ?? 'ES256';
    const params =
      algorithm === 'ES256'
        ? { name: 'ECDSA', namedCurve: 'P-256' }
        : algorithm === 'RS256'
          ? { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }
          : { name: 'Ed25519' };
    const keys = (await crypto.subtle.generateKey(params, true, ['sign', 'verify'])) as CryptoKeyPair;
    return new SoftAuthenticator(algorithm, keys, new TextEncoder().encode(options.userId ?? 'user'), options.counts ?? false);
  }

  get id(): string {
    return encodeBase64urlNoPadding(this.credentialId);
  }

  private async coseKey(): Promise<Uint8Array> {
    if (this.algorithm === 'ES256') {
      const raw = new Uint8Array((await crypto.subtle.exportKey('raw', this.keys.publicKey)) as ArrayBuffer);
      return encodeCbor(new Map<Cbor, Cbor>([[1, 2], [3, -7], [-1, 1], [-2, raw.slice(1, 33)], [-3, raw.slice(33, 65)]]));
    }
    if (this.algorithm === 'RS256') {
      const jwk = (await crypto.subtle.exportKey('jwk', this.keys.publicKey)) as JsonWebKey;
      return encodeCbor(new Map<Cbor, Cbor>([[1, 3], [3, -257], [-1, decodeBase64urlIgnorePadding(jwk.n!)], [-2, decodeBase64urlIgnorePadding(jwk.e!)]]));
    }
    const raw = new Uint8Array((await crypto.subtle.exportKey('raw', this.keys.publicKey)) as ArrayBuffer);
    return encodeCbor(new Map<Cbor, Cbor>([[1, 1], [3, -8], [-1, 6], [-2, raw]]));
  }

  private clientData(type: string, ceremony: Ceremony, tweaks: Tweaks): Uint8Array {
    const data: Record<string, unknown> = { type: tweaks.type ?? type, challenge: tweaks.challenge ?? ceremony.challenge, origin: tweaks.origin ?? ceremony.origin };
    if (tweaks.crossOrigin !== undefined) data.crossOrigin = tweaks.crossOrigin;
    return new TextEncoder().encode(JSON.stringify(data));
  }

  private authData(ceremony: Ceremony, tweaks: Tweaks, attested?: Uint8Array): Uint8Array {
    const flags = (tweaks.flags ?? FLAG_UP | FLAG_UV) | (attested ? FLAG_AT : 0);
    const rpIdHash = sha256(new TextEncoder().encode(tweaks.rpId ?? ceremony.rpId));
    return concat(rpIdHash, new Uint8Array([flags]), uint32(tweaks.counter ?? this.counter), attested ?? new Uint8Array());
  }

  // navigator.credentials.create(): the answer's two parts.
  async register(ceremony: Ceremony, tweaks: Tweaks = {}): Promise<{ clientDataJSON: Uint8Array; attestationObject: Uint8Array }> {
    const idLength = new Uint8Array([this.credentialId.length >> 8, this.credentialId.length & 0xff]);
    const attested = concat(new Uint8Array(16), idLength, this.credentialId, await this.coseKey());
    const authData = this.authData(ceremony, tweaks, attested);
    const attestationObject = encodeCbor(new Map<Cbor, Cbor>([['fmt', 'none'], ['attStmt', new Map()], ['authData', authData]]));
    return { clientDataJSON: this.clientData('webauthn.create', ceremony, tweaks), attestationObject };
  }

  // navigator.credentials.get(): signs authenticatorData || SHA-256(clientDataJSON).
  async assert(ceremony: Ceremony, tweaks: Tweaks = {}): Promise<{ clientDataJSON: Uint8Array; authenticatorData: Uint8Array; signature: Uint8Array; userHandle: Uint8Array }> {
    if (this.counts && tweaks.counter === undefined) this.counter += 1;
    const authenticatorData = this.authData(ceremony, tweaks);
    const clientDataJSON = this.clientData('webauthn.get', ceremony, tweaks);
    const signature = await this.sign(concat(authenticatorData, sha256(clientDataJSON)));
    return { clientDataJSON, authenticatorData, signature, userHandle: this.userHandle };
  }

  async sign(message: Uint8Array): Promise<Uint8Array> {
    if (this.algorithm === 'ES256') {
      const p1363 = new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, this.keys.privateKey, message));
      // WebAuthn carries ECDSA signatures DER-encoded; WebCrypto gives r || s.
      return decodeIEEEP1363ECDSASignature(p256, p1363).encodePKIX();
    }
    const name = this.algorithm === 'RS256' ? 'RSASSA-PKCS1-v1_5' : 'Ed25519';
    return new Uint8Array(await crypto.subtle.sign(name, this.keys.privateKey, message));
  }
}

// What assets/static/passkeys.js posts, from an answer.
export const b64 = encodeBase64urlNoPadding;
