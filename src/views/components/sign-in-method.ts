// How a sign-in was proven, as the activity list and the sessions page say it
// ("Signed in with …"). Undefined for a record from before methods were kept.
const METHODS: Record<string, string> = {
  password: 'password',
  password_totp: 'password and authenticator code',
  password_recovery_code: 'password and recovery code',
  passkey: 'passkey',
  email_code: 'emailed code',
};

export function describeSignInMethod(method: string | undefined, providerName?: string): string | undefined {
  if (method === 'provider') return providerName || 'a sign-in provider';
  return method ? METHODS[method] : undefined;
}
