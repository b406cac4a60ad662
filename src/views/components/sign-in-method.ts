import type { MessageKey } from '../../i18n/catalog';
import { useI18n } from '../use-i18n';

// How a sign-in was proven, as the activity list and the sessions page say it
// ("Signed in with …"). Undefined for a record from before methods were kept.
const METHODS = {
  password: 'account.signInMethod.password',
  password_totp: 'account.signInMethod.passwordTotp',
  password_recovery_code: 'account.signInMethod.passwordRecoveryCode',
  passkey: 'account.signInMethod.passkey',
  email_code: 'account.signInMethod.emailCode',
} as const satisfies Record<string, MessageKey>;

const methodKeys: Record<string, (typeof METHODS)[keyof typeof METHODS] | undefined> = METHODS;

export function describeSignInMethod(method: string | undefined, providerName?: string): string | undefined {
  const { t } = useI18n();
  if (method === 'provider') return providerName || t('account.signInMethod.provider');
  const key = method ? methodKeys[method] : undefined;
  return key ? t(key) : undefined;
}
