import { encodeBase64urlNoPadding } from '@oslojs/encoding';
import { describe, expect, it } from 'vitest';
import { relyingPartyFor, verifyAssertion, verifyRegistration, type NewCredential } from '../src/mfa/webauthn';
import { FLAG_BE, FLAG_BS, FLAG_UP, FLAG_UV, SoftAuthenticator, type Algorithm, type Tweaks } from './passkeys-authenticator';
import { encodeP256Point } from '../src/mfa/webauthn-keys';

const rp = relyingPartyFor('http://localhost:8787');

function newChallenge() {
  const challenge = crypto.getRandomValues(new Uint8Array(32));
  return { challenge, ceremony: { challenge: encodeBase64urlNoPadding(challenge), rpId: 'localhost', origin: 'http://localhost:8787' } };
}

async function registered(algorithm: Algorithm = 'ES256', counts = false) {
  const authenticator = await SoftAuthenticator.create({ algorithm, counts });
  const { challenge, ceremony } = newChallenge();
  const result = verifyRegistration(await authenticator.register(ceremony), { rp, challenge });
  if (!result.ok) throw new Error(`registration refused: ${result.reason}`);
  return { authenticator, credential: result.credential };
}

async function signIn(authenticator: SoftAuthenticator, credential: NewCredential, tweaks: Tweaks = {}, stored: Partial<NewCredential> = {}) {
  const { challenge, ceremony } = newChallenge();
  return verifyAssertion(await authenticator.assert(ceremony, tweaks), { rp, challenge }, { ...credential, ...stored });
}

describe('relying party', () => {
  it('takes its id from the host name of PUBLIC_ORIGIN and the origin as is', () => {
    expect(relyingPartyFor('https://accounts.example.com')).toEqual({ id: 'accounts.example.com', origin: 'https://accounts.example.com' });
    expect(relyingPartyFor('http://localhost:8787/')).toEqual({ id: 'localhost', origin: 'http://localhost:8787' });
  });
});

describe('registration', () => {
  it('accepts a new ES256 passkey and keeps its id, key and flags', async () => {
    const { authenticator, credential } = await registered();
    expect(credential.id).toBe(authenticator.id);
    expect(credential.algorithm).toBe(-7);
    expect(credential.publicKey).toHaveLength(65); // SEC1 uncompressed point
    expect(credential.signCount).toBe(0);
    expect(credential.backedUp).toBe(false);
  });

  it('accepts an RS256 passkey (older Windows Hello)', async () => {
    const { credential } = await registered('RS256');
    expect(credential.algorithm).toBe(-257);
  });

  it('records whether the passkey is synced (the backup-state flag)', async () => {
    const authenticator = await SoftAuthenticator.create();
    const { challenge, ceremony } = newChallenge();
    const result = verifyRegistration(await authenticator.register(ceremony, { flags: FLAG_UP | FLAG_UV | FLAG_BE | FLAG_BS }), { rp, challenge });
    expect(result.ok && result.credential.backedUp).toBe(true);
  });

  const refusals: [string, Tweaks, string][] = [
    ['from another origin', { origin: 'https://evil.example' }, 'origin'],
    ['from another port of this host', { origin: 'http://localhost:9999' }, 'origin'],
    ['inside another site’s frame', { crossOrigin: true }, 'origin'],
    ['for another RP ID', { rpId: 'evil.example' }, 'rp_id'],
    ['for another challenge', { challenge: encodeBase64urlNoPadding(new Uint8Array(32).fill(7)) }, 'challenge'],
    ['of the wrong ceremony type', { type: 'webauthn.get' }, 'type'],
    ['without user verification', { flags: FLAG_UP }, 'user_verification'],
    ['without user presence', { flags: FLAG_UV }, 'user_presence'],
  ];
  for (const [what, tweaks, reason] of refusals) {
    it(`refuses an answer ${what}`, async () => {
      const authenticator = await SoftAuthenticator.create();
      const { challenge, ceremony } = newChallenge();
      expect(verifyRegistration(await authenticator.register(ceremony, tweaks), { rp, challenge })).toEqual({ ok: false, reason });
    });
  }

  it('refuses a key type it cannot verify (Ed25519)', async () => {
    const authenticator = await SoftAuthenticator.create({ algorithm: 'EdDSA' });
    const { challenge, ceremony } = newChallenge();
    expect(verifyRegistration(await authenticator.register(ceremony), { rp, challenge })).toEqual({ ok: false, reason: 'algorithm' });
  });

  it('refuses bytes that are not an attestation object', async () => {
    const authenticator = await SoftAuthenticator.create();
    const { challenge, ceremony } = newChallenge();
    const { clientDataJSON } = await authenticator.register(ceremony);
    expect(verifyRegistration({ clientDataJSON, attestationObject: new Uint8Array([0xa0]) }, { rp, challenge })).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyRegistration({ clientDataJSON: new TextEncoder().encode('not json'), attestationObject: new Uint8Array() }, { rp, challenge })).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });
});

describe('sign-in (assertion)', () => {
  it('accepts a signature by the registered key, ES256 and RS256', async () => {
    for (const algorithm of ['ES256', 'RS256'] as const) {
      const { authenticator, credential } = await registered(algorithm);
      expect(await signIn(authenticator, credential)).toEqual({ ok: true, signCount: 0, backedUp: false });
    }
  });

  it('refuses a signature by another key', async () => {
    const { credential } = await registered();
    const other = await SoftAuthenticator.create();
    expect(await signIn(other, credential)).toEqual({ ok: false, reason: 'signature' });
  });

  it('refuses authenticator data changed after signing (UV flag set afterwards)', async () => {
    const { authenticator, credential } = await registered();
    const { challenge, ceremony } = newChallenge();
    const answer = await authenticator.assert(ceremony, { flags: FLAG_UP });
    const forged = answer.authenticatorData.slice();
    forged[32] = FLAG_UP | FLAG_UV;
    expect(await verifyAssertion({ ...answer, authenticatorData: forged }, { rp, challenge }, credential)).toEqual({ ok: false, reason: 'signature' });
  });

  it('refuses a signature over another challenge', async () => {
    const { authenticator, credential } = await registered();
    const { ceremony } = newChallenge();
    const answer = await authenticator.assert(ceremony);
    expect(await verifyAssertion(answer, { rp, challenge: newChallenge().challenge }, credential)).toEqual({ ok: false, reason: 'challenge' });
  });

  const refusals: [string, Tweaks, string][] = [
    ['from another origin', { origin: 'https://evil.example' }, 'origin'],
    ['for another RP ID', { rpId: 'evil.example' }, 'rp_id'],
    ['of the wrong ceremony type', { type: 'webauthn.create' }, 'type'],
    ['without user verification', { flags: FLAG_UP }, 'user_verification'],
    ['without user presence', { flags: FLAG_UV }, 'user_presence'],
  ];
  for (const [what, tweaks, reason] of refusals) {
    it(`refuses an answer ${what}`, async () => {
      const { authenticator, credential } = await registered();
      expect(await signIn(authenticator, credential, tweaks)).toEqual({ ok: false, reason });
    });
  }

  it('refuses garbage in place of a signature', async () => {
    const { authenticator, credential } = await registered();
    const { challenge, ceremony } = newChallenge();
    const answer = await authenticator.assert(ceremony);
    expect(await verifyAssertion({ ...answer, signature: new Uint8Array([1, 2, 3]) }, { rp, challenge }, credential)).toEqual({ ok: false, reason: 'signature' });
  });

  describe('signature counter', () => {
    it('accepts a counter that went up, and returns it to be stored', async () => {
      const { authenticator, credential } = await registered('ES256', true);
      expect(await signIn(authenticator, credential, { counter: 6 }, { signCount: 5 })).toMatchObject({ ok: true, signCount: 6 });
    });

    it('refuses a counter that did not go up (a cloned authenticator, or a replay)', async () => {
      const { authenticator, credential } = await registered('ES256', true);
      expect(await signIn(authenticator, credential, { counter: 5 }, { signCount: 5 })).toEqual({ ok: false, reason: 'counter' });
      expect(await signIn(authenticator, credential, { counter: 4 }, { signCount: 5 })).toEqual({ ok: false, reason: 'counter' });
      expect(await signIn(authenticator, credential, { counter: 0 }, { signCount: 5 })).toEqual({ ok: false, reason: 'counter' });
    });

    it('accepts 0 every time from an authenticator that keeps no counter (synced passkeys)', async () => {
      const { authenticator, credential } = await registered();
      expect(await signIn(authenticator, credential, { counter: 0 }, { signCount: 0 })).toMatchObject({ ok: true, signCount: 0 });
      expect(await signIn(authenticator, credential, { counter: 0 }, { signCount: 0 })).toMatchObject({ ok: true, signCount: 0 });
    });
  });
});

describe('P-256 public keys', () => {
  it('are stored as the exact SEC1 point, also when a coordinate starts with zero bytes', async () => {
    const toBigInt = (bytes: Uint8Array) => BigInt(`0x${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('') || '0'}`);
    let leadingZero = 0;
    for (let i = 0; i < 600 && leadingZero < 3; i++) {
      const keys = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
      const raw = new Uint8Array((await crypto.subtle.exportKey('raw', keys.publicKey)) as ArrayBuffer);
      if (raw[1] === 0 || raw[33] === 0) leadingZero += 1;
      expect(encodeP256Point(toBigInt(raw.slice(1, 33)), toBigInt(raw.slice(33)))).toEqual(raw);
    }
    // Hand-made edge cases: tiny coordinates.
    const tiny = encodeP256Point(1n, 2n);
    expect(tiny.length).toBe(65);
    expect([tiny[0], tiny[32], tiny[64]]).toEqual([4, 1, 2]);
  });
});
