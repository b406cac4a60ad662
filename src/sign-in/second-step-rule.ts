// How the person proved who they are before any second step. A passkey also says
// whether the authenticator verified the person (device PIN or biometrics).
export type FirstFactorMethod = 'password' | 'passkey' | 'provider' | 'email_code';
export type FirstFactorProof = { method: FirstFactorMethod; userVerified?: boolean };

// What the account has that a second step could ask for.
export interface AccountFactors {
  totp: boolean;
  passkeys: boolean;
}

// Whether a sign-in needs a second step after this first factor. A user-verified
// passkey is two factors already (the key, and the PIN or biometrics). After a password:
// the authenticator app, if it is on. A provider account or a mailbox is a factor kept,
// and taken over, elsewhere: whichever second factor the owner set up, app or passkey,
// is asked for after it.
export function requiresSecondStep(first: FirstFactorProof, account: AccountFactors): boolean {
  switch (first.method) {
    case 'passkey':
      return !first.userVerified && account.totp;
    case 'password':
      return account.totp;
    case 'provider':
    case 'email_code':
      return account.totp || account.passkeys;
  }
}
