import { decodeCBORToNativeValueNoLeftoverBytes } from '@oslojs/cbor';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase64urlNoPadding } from '@oslojs/encoding';
import {
  ClientDataType,
  createAssertionSignatureMessage,
  parseAttestationObject,
  parseAuthenticatorData,
  parseClientDataJSON,
  type AuthenticatorData,
} from '@oslojs/webauthn';
import { encodePublicKey, verifySignature, type StoredCredential } from './webauthn-keys';

export { SUPPORTED_ALGORITHMS, type StoredCredential } from './webauthn-keys';

// Checking what a browser's WebAuthn calls return (W3C WebAuthn level 3, sections 7.1
// and 7.2): no storage, no clock; the caller brings the challenge it issued and, for a
// sign-in, the stored credential.

export interface RelyingParty {
  // The RP ID: PUBLIC_ORIGIN's host name. A passkey is bound to it for good.
  id: string;
  // clientDataJSON.origin must be exactly this.
  origin: string;
}

export function relyingPartyFor(publicOrigin: string): RelyingParty {
  const url = new URL(publicOrigin);
  return { id: url.hostname, origin: url.origin };
}

export type WebAuthnRefusal =
  | 'malformed'
  | 'type'
  | 'challenge'
  | 'origin'
  | 'rp_id'
  | 'user_presence'
  | 'user_verification'
  | 'algorithm'
  | 'signature'
  | 'counter';

type Checked<T> = ({ ok: true } & T) | { ok: false; reason: WebAuthnRefusal };

export interface NewCredential {
  // base64url, no padding: the passkeys table's primary key.
  id: string;
  algorithm: number;
  // SEC1 uncompressed point (ES256) or PKCS#1 (RS256).
  publicKey: Uint8Array;
  signCount: number;
  backedUp: boolean;
}

function checkClientData(encoded: Uint8Array, type: ClientDataType, rp: RelyingParty, challenge: Uint8Array): Checked<object> {
  let clientData;
  try {
    clientData = parseClientDataJSON(encoded);
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (clientData.type !== type) return { ok: false, reason: 'type' };
  if (!constantTimeEqual(clientData.challenge, challenge)) return { ok: false, reason: 'challenge' };
  // Exactly our origin, and not from inside another site's frame.
  if (clientData.origin !== rp.origin || clientData.crossOrigin === true) return { ok: false, reason: 'origin' };
  return { ok: true };
}

// Every passkey use must be by the right site, with the person present and verified
// (biometrics or device PIN): that is what lets a passkey stand for two factors.
function checkAuthenticatorData(data: AuthenticatorData, rp: RelyingParty): Checked<object> {
  if (!data.verifyRelyingPartyIdHash(rp.id)) return { ok: false, reason: 'rp_id' };
  if (!data.userPresent) return { ok: false, reason: 'user_presence' };
  if (!data.userVerified) return { ok: false, reason: 'user_verification' };
  return { ok: true };
}

// The BS flag (bit 4): the credential is synced or backed up (iCloud Keychain, Google
// Password Manager...). @oslojs/webauthn does not expose it.
function isBackedUp(authenticatorData: Uint8Array): boolean {
  return ((authenticatorData[32] ?? 0) & 0x10) !== 0;
}

// The attestation object's authData bytes, for the flag the parser leaves out. Only
// called once parseAttestationObject has accepted the object.
function rawAuthenticatorData(attestationObject: Uint8Array): Uint8Array {
  const decoded = decodeCBORToNativeValueNoLeftoverBytes(attestationObject, 4) as { authData?: unknown };
  return decoded.authData instanceof Uint8Array ? decoded.authData : new Uint8Array();
}

// Registration. We ask for no attestation and ignore any statement sent: we make no
// claim about the authenticator's make, and every later sign-in is proven by signature.
export function verifyRegistration(
  response: { clientDataJSON: Uint8Array; attestationObject: Uint8Array },
  expected: { rp: RelyingParty; challenge: Uint8Array },
): Checked<{ credential: NewCredential }> {
  const client = checkClientData(response.clientDataJSON, ClientDataType.Create, expected.rp, expected.challenge);
  if (!client.ok) return client;
  let authenticatorData: AuthenticatorData;
  try {
    authenticatorData = parseAttestationObject(response.attestationObject).authenticatorData;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const checked = checkAuthenticatorData(authenticatorData, expected.rp);
  if (!checked.ok) return checked;
  const credential = authenticatorData.credential;
  if (!credential || credential.id.byteLength < 16 || credential.id.byteLength > 1023) return { ok: false, reason: 'malformed' };
  const key = encodePublicKey(credential.publicKey);
  if (!key) return { ok: false, reason: 'algorithm' };
  return {
    ok: true,
    credential: {
      id: encodeBase64urlNoPadding(credential.id),
      ...key,
      signCount: authenticatorData.signatureCounter,
      backedUp: isBackedUp(rawAuthenticatorData(response.attestationObject)),
    },
  };
}

// A sign-in. The counter: an authenticator that keeps one (non-zero) must show a higher
// value each time, or it may have been cloned; synced passkeys always send 0.
export async function verifyAssertion(
  response: { clientDataJSON: Uint8Array; authenticatorData: Uint8Array; signature: Uint8Array },
  expected: { rp: RelyingParty; challenge: Uint8Array },
  stored: StoredCredential,
): Promise<Checked<{ signCount: number; backedUp: boolean }>> {
  const client = checkClientData(response.clientDataJSON, ClientDataType.Get, expected.rp, expected.challenge);
  if (!client.ok) return client;
  let authenticatorData: AuthenticatorData;
  try {
    authenticatorData = parseAuthenticatorData(response.authenticatorData);
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const checked = checkAuthenticatorData(authenticatorData, expected.rp);
  if (!checked.ok) return checked;
  const message = createAssertionSignatureMessage(response.authenticatorData, response.clientDataJSON);
  if (!(await verifySignature(stored, message, response.signature))) return { ok: false, reason: 'signature' };
  const signCount = authenticatorData.signatureCounter;
  if ((signCount !== 0 || stored.signCount !== 0) && signCount <= stored.signCount) return { ok: false, reason: 'counter' };
  return { ok: true, signCount, backedUp: isBackedUp(response.authenticatorData) };
}
