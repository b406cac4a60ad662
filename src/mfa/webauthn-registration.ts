import { encodeBase64urlNoPadding } from '@oslojs/encoding';
import { count, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { passkeys, type UserRow } from '../db/schema';
import { securityEvent, type RequestContext } from '../users/security-events';
import { insertPasskey, MAX_PASSKEYS_PER_USER, parseTransports } from './passkeys';
import { SUPPORTED_ALGORITHMS, verifyRegistration, type RelyingParty } from './webauthn';
import { consumeWebAuthnChallenge, createWebAuthnChallenge, WEBAUTHN_CHALLENGE_LIFETIME_MS, type IssuedChallenge } from './webauthn-challenges';
import { confirmIdentity, type IdentityProof } from '../auth/password-confirmation';

// Adding a passkey, in two requests: options (a challenge, after the password), then the
// browser's answer (checked, stored with its event in one batch).

export const RP_NAME = 'Edge Accounts';
type Who = Pick<UserRow, 'id' | 'username' | 'passwordHash'>;

// PublicKeyCredentialCreationOptionsJSON (binary values in base64url).
export interface CreationOptionsJSON {
  challenge: string;
  rp: { id: string; name: string };
  user: { id: string; name: string; displayName: string };
  pubKeyCredParams: { type: 'public-key'; alg: number }[];
  timeout: number;
  excludeCredentials: { type: 'public-key'; id: string; transports?: string[] }[];
  authenticatorSelection: { residentKey: 'required'; requireResidentKey: true; userVerification: 'required' };
  attestation: 'none';
}

export type StartRegistrationResult =
  | { ok: true; issued: IssuedChallenge; options: CreationOptionsJSON }
  | { ok: false; reason: 'wrong-password' | 'password-missing' | 'confirmation-needed' | 'too-many' }
  | { ok: false; reason: 'locked'; retryAfterSeconds: number };

// The password first, as for the authenticator app: a stolen session must not be able
// to add its own lasting way in. A wrong one counts toward the sign-in lockout.
export async function startPasskeyRegistration(db: Db, rp: RelyingParty, user: Who, proof: IdentityProof, now = Date.now()): Promise<StartRegistrationResult> {
  const confirmed = await confirmIdentity(db, user, proof, now);
  if (!confirmed.ok) return confirmed;
  const existing = await db.select().from(passkeys).where(eq(passkeys.userId, user.id)).all();
  if (existing.length >= MAX_PASSKEYS_PER_USER) return { ok: false, reason: 'too-many' };
  const issued = await createWebAuthnChallenge(db, 'webauthn_register', user.id, now);
  const options: CreationOptionsJSON = {
    challenge: encodeBase64urlNoPadding(issued.challenge),
    rp: { id: rp.id, name: RP_NAME },
    // The user handle is the random user id: nothing personal goes to the authenticator
    // beyond the name shown in its account picker.
    user: { id: encodeBase64urlNoPadding(new TextEncoder().encode(user.id)), name: user.username, displayName: user.username },
    pubKeyCredParams: SUPPORTED_ALGORITHMS.map((alg) => ({ type: 'public-key', alg })),
    timeout: WEBAUTHN_CHALLENGE_LIFETIME_MS,
    // The same authenticator twice would only be a duplicate: it says so instead.
    excludeCredentials: existing.map((row) => {
      const transports = parseTransports(row.transports);
      return { type: 'public-key', id: row.id, ...(transports.length ? { transports } : {}) };
    }),
    authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'required' },
    attestation: 'none',
  };
  return { ok: true, issued, options };
}

export interface RegistrationAnswer {
  name: string;
  clientDataJSON: Uint8Array;
  attestationObject: Uint8Array;
  transports: string[];
}

export type FinishRegistrationResult =
  | { ok: true; passkey: { id: string; name: string } }
  | { ok: false; reason: 'expired' | 'invalid' | 'duplicate' | 'too-many' };

export async function finishPasskeyRegistration(
  db: Db,
  rp: RelyingParty,
  userId: string,
  token: string | undefined,
  answer: RegistrationAnswer,
  context: RequestContext = {},
  now = Date.now(),
): Promise<FinishRegistrationResult> {
  const challenge = await consumeWebAuthnChallenge(db, 'webauthn_register', token, now);
  // Another account's challenge (a shared browser) is no use here.
  if (!challenge || challenge.userId !== userId) return { ok: false, reason: 'expired' };
  const verified = verifyRegistration(answer, { rp, challenge: challenge.challenge });
  if (!verified.ok) return { ok: false, reason: 'invalid' };
  const { credential } = verified;
  const [taken, mine] = await Promise.all([
    db.select({ id: passkeys.id }).from(passkeys).where(eq(passkeys.id, credential.id)).get(),
    db.select({ n: count() }).from(passkeys).where(eq(passkeys.userId, userId)).get(),
  ]);
  if (taken) return { ok: false, reason: 'duplicate' };
  if ((mine?.n ?? 0) >= MAX_PASSKEYS_PER_USER) return { ok: false, reason: 'too-many' };
  await db.batch([
    insertPasskey(db, userId, answer.name, credential, answer.transports, now),
    securityEvent(db, { type: 'passkey_added', userId, details: { name: answer.name } }, context, now),
  ]);
  return { ok: true, passkey: { id: credential.id, name: answer.name } };
}
