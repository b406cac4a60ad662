import { authenticate } from '../auth/sign-in';
import { absoluteUrl } from '../mail/links';
import { sendQuietly } from '../mail/mailer';
import { recoveryCodeUsedNotice } from '../mail/messages';
import { verifySecondStep, type SecondFactorMethod, type SecondFactorProof } from '../mfa/second-step';
import type { RelyingParty } from '../mfa/webauthn';
import { authenticateWithPasskey, type AssertionAnswer } from '../mfa/webauthn-sign-in';
import type { SignInMethod } from './complete-sign-in';
import { continueSignIn, finishSignIn, type SignInDeps } from './continue-sign-in';

// Each way to sign in: its own proof, then the same continueSignIn. `now` is taken once,
// before anything is recorded.

export async function signInWithPassword(deps: SignInDeps, input: { login: string; password: string; next?: string }, now = Date.now()) {
  const proof = await authenticate(deps.db, input.login, input.password, deps.context, now);
  if (!proof.ok) return proof;
  return continueSignIn(deps, { method: 'password', userId: proof.user.id, factors: proof.factors, throttleKey: proof.throttleKey, passwordHash: proof.passwordHash }, input.next, now);
}

export async function signInWithPasskey(
  deps: SignInDeps,
  input: { key: CryptoKey; rp: RelyingParty; challengeToken: string | undefined; answer: AssertionAnswer; next?: string },
  now = Date.now(),
) {
  const proof = await authenticateWithPasskey(deps.db, input.key, input.rp, input.challengeToken, input.answer, now);
  if (!proof.ok) return proof;
  const first = { method: 'passkey', userId: proof.user.id, userVerified: proof.userVerified, throttleKey: proof.throttleKey } as const;
  return continueSignIn(deps, first, input.next, now);
}

// The event names both factors after a password (as it always has); another first
// factor names itself. A passkey after a password is named alone: user-verified, it is
// two factors by itself.
function methodAfterSecondStep(firstFactor: string, second: SecondFactorMethod): SignInMethod {
  if (firstFactor === 'passkey' || firstFactor === 'provider' || firstFactor === 'email_code') return firstFactor;
  if (second === 'passkey') return 'passkey';
  return second === 'totp' ? 'password_totp' : 'password_recovery_code';
}

// A code or a passkey, after any first factor: the same finishSignIn, with how the
// first step was proven (and which provider) kept from the pending sign-in.
export async function completeSecondStep(deps: SignInDeps, input: { pendingToken: string | undefined; proof: SecondFactorProof }, now = Date.now()) {
  const step = await verifySecondStep(deps.db, input.pendingToken, input.proof, deps.context, now);
  if (!step.ok) return step;
  const result = await finishSignIn(deps, step.user.id, { method: methodAfterSecondStep(step.firstFactor, step.method), providerName: step.providerName }, { next: step.next, now });
  if (step.method === 'recovery_code') {
    const notice = recoveryCodeUsedNotice(step.user.email, step.user.username, absoluteUrl(deps.config, '/account/security'), step.recoveryCodesLeft ?? 0);
    deps.waitUntil(sendQuietly(deps.mailer(), notice));
  }
  return result;
}
