import { encodeBase64urlNoPadding } from '@oslojs/encoding';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { passkeys, users, type UserRow } from '../db/schema';
import { loginLockedForSeconds, passkeyThrottleKey, recordLoginFailure } from '../auth/rate-limits';
import { toStoredPasskey, type StoredPasskey } from './passkeys';
import { verifyAssertion, type RelyingParty } from './webauthn';
import { issueSignInChallenge, redeemSignInChallenge } from './signed-challenges';
import { WEBAUTHN_CHALLENGE_LIFETIME_MS, type IssuedChallenge } from './webauthn-challenges';

// Signing in with a passkey alone: a discoverable credential, no username typed. The
// authenticator verified the person (biometrics or device PIN) and proved possession of
// the key, so it counts as two factors (src/sign-in/second-step-rule.ts).

export interface AllowedCredential {
  type: 'public-key';
  id: string;
  transports: string[];
}

// PublicKeyCredentialRequestOptionsJSON. Signing in: no allowCredentials, the authenticator
// offers whichever of its passkeys are for this site, and the answer says whose it is. A
// second step (webauthn-second-step.ts) lists the account's own.
export interface RequestOptionsJSON {
  challenge: string;
  rpId: string;
  timeout: number;
  userVerification: 'required';
  allowCredentials: AllowedCredential[];
}

// Writes nothing (the challenge is signed, not stored): the sign-in page asks on every view.
export async function startPasskeySignIn(key: CryptoKey, rp: RelyingParty, now = Date.now()): Promise<{ issued: IssuedChallenge; options: RequestOptionsJSON }> {
  const issued = await issueSignInChallenge(key, now);
  const options: RequestOptionsJSON = {
    challenge: encodeBase64urlNoPadding(issued.challenge),
    rpId: rp.id,
    timeout: WEBAUTHN_CHALLENGE_LIFETIME_MS,
    userVerification: 'required',
    allowCredentials: [],
  };
  return { issued, options };
}

export interface AssertionAnswer {
  credentialId: string;
  clientDataJSON: Uint8Array;
  authenticatorData: Uint8Array;
  signature: Uint8Array;
  userHandle: Uint8Array | null;
}

// A passkey as a first factor (src/sign-in decides what follows). userVerified: the
// authenticator verified the person, which verifyAssertion requires of every answer.
export type PasskeyCheck =
  | { ok: true; user: UserRow; userVerified: true; throttleKey: string }
  | { ok: false; reason: 'expired' | 'invalid' | 'must-reset' }
  | { ok: false; reason: 'locked'; retryAfterSeconds: number };

export function sameUser(userHandle: Uint8Array | null, userId: string): boolean {
  return userHandle === null || new TextDecoder().decode(userHandle) === userId;
}

// Compare-and-set on the counter: of two answers racing with one counter value, one wins.
export async function recordPasskeyUse(db: Db, stored: StoredPasskey, verified: { signCount: number; backedUp: boolean }, now: number): Promise<boolean> {
  const updated = await db
    .update(passkeys)
    .set({ signCount: verified.signCount, backedUp: verified.backedUp, lastUsedAt: now })
    .where(and(eq(passkeys.id, stored.id), eq(passkeys.signCount, stored.signCount)))
    .returning({ id: passkeys.id })
    .get();
  return Boolean(updated);
}

// A wrong or unknown passkey is a failed sign-in like a wrong password: one answer, and
// counted toward the presented credential id's own lockout, whether or not it exists (as
// a typed login's), so neither the answer nor a lockout says whether an account exists.
export async function authenticateWithPasskey(
  db: Db,
  key: CryptoKey,
  rp: RelyingParty,
  token: string | undefined,
  answer: AssertionAnswer,
  now = Date.now(),
): Promise<PasskeyCheck> {
  const challenge = await redeemSignInChallenge(db, key, token, now);
  if (!challenge) return { ok: false, reason: 'expired' };
  const found = await db
    .select({ passkey: passkeys, user: users })
    .from(passkeys)
    .innerJoin(users, eq(users.id, passkeys.userId))
    .where(eq(passkeys.id, answer.credentialId))
    .get();
  const throttleKey = passkeyThrottleKey(answer.credentialId);
  const lockedFor = await loginLockedForSeconds(db, throttleKey, now);
  if (lockedFor > 0) return { ok: false, reason: 'locked', retryAfterSeconds: lockedFor };

  const stored = found ? toStoredPasskey(found.passkey) : null;
  const verified = stored && sameUser(answer.userHandle, stored.userId) ? await verifyAssertion(answer, { rp, challenge: challenge.challenge }, stored) : null;
  if (!found || !stored || !verified?.ok) {
    await recordLoginFailure(db, throttleKey, now);
    return { ok: false, reason: 'invalid' };
  }
  // Like a password sign-in, a deactivated account gets the answer a wrong key gets, and
  // counts as a failure: one that never locked would say it is deactivated.
  // "This wasn't me" or an import: a passkey added by an intruder must not skip the reset.
  if (!found.user.isActive || found.user.mustResetPassword) {
    await recordLoginFailure(db, throttleKey, now);
    return { ok: false, reason: found.user.isActive ? 'must-reset' : 'invalid' };
  }
  if (!(await recordPasskeyUse(db, stored, verified, now))) return { ok: false, reason: 'invalid' };
  return { ok: true, user: found.user, userVerified: true, throttleKey };
}
