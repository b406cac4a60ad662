import type { Context } from 'hono';
import { CONFIRM_IDENTITY_PATH } from '../auth/identity-confirmation';
import type { IdentityConfirmation } from '../auth/password-confirmation';
import type { AppEnv } from './app-env';
import { setFlash } from './flash';
import { tooManyRequests } from './too-many-requests';

type Refusal = Exclude<IdentityConfirmation, { ok: true }>;

const REFUSALS = new Set<string>(['locked', 'confirmation-needed', 'password-missing', 'wrong-password']);

// Whether a use case's refusal is its step-up's (the rest are its own).
export function isConfirmationRefusal(result: { ok: false; reason: string }): result is Refusal {
  return REFUSALS.has(result.reason);
}

// An account without a password that has not confirmed it is you lately: to /account/confirm.
export function askToConfirmIdentity(c: Context<AppEnv>, returnTo: string) {
  setFlash(c, { kind: 'info', message: c.var.i18n.t('auth.confirm.first') });
  return c.redirect(`${CONFIRM_IDENTITY_PATH}?next=${encodeURIComponent(returnTo)}`, 303);
}

// How every form that asks "is it you?" answers a refusal of confirmIdentity: a 429 when
// the account is locked; an account without a password goes to /account/confirm (and comes
// back to `returnTo`); otherwise the form again with the message beside the field.
export function refuseConfirmation(
  c: Context<AppEnv>,
  refusal: Refusal,
  returnTo: string,
  showForm: (message: string) => Response | Promise<Response>,
  wrongMessage: string,
) {
  switch (refusal.reason) {
    case 'locked':
      return tooManyRequests(c, refusal.retryAfterSeconds);
    case 'confirmation-needed':
      return askToConfirmIdentity(c, returnTo);
    case 'password-missing':
      return showForm(c.var.i18n.t('auth.confirm.passwordMissing'));
    case 'wrong-password':
      return showForm(wrongMessage);
  }
}
