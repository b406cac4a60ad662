import { CONFIRM_IDENTITY_PATH } from '../../auth/identity-confirmation';
import { hasUsablePassword } from '../../auth/password-hash';
import type { CurrentUser } from '../../users/avatar-urls';
import { Field, FieldErrorList, type FieldErrors } from '../components/field';

// A one-time code input: digits from an authenticator app (the phone keypad, and the
// browser's one-time-code autofill) or a recovery code (no autocorrect or capitals).
export function CodeField({
  name = 'code',
  label,
  hint,
  kind,
  errors,
  autofocus,
}: {
  name?: string;
  label: string;
  hint?: string;
  kind: 'totp' | 'recovery_code' | 'either';
  errors?: FieldErrors;
  autofocus?: boolean;
}) {
  const totp = kind === 'totp';
  return (
    <Field
      name={name}
      label={label}
      hint={hint}
      errors={errors}
      autofocus={autofocus}
      autocomplete={totp ? 'one-time-code' : 'off'}
      maxlength={totp ? 10 : 32}
      input={{ class: 'code-input', inputmode: totp ? 'numeric' : undefined, autocapitalize: 'none', spellcheck: false }}
    />
  );
}

export const WRONG_CODE = 'That code did not work. Enter the newest code your app shows (the phone’s clock must be right).';
export const WRONG_RECOVERY_CODE = 'That recovery code did not work. Check it, or try another one: each works only once.';
export const WRONG_CODE_OR_RECOVERY_CODE = 'That code did not work. Enter the newest code from your app, or an unused recovery code.';
export const WRONG_PASSWORD = 'That password is wrong.';

// The step-up of every form that changes a credential (src/auth/credential-policy.ts): the
// password where the account has one; else a sign-in again with a linked provider, done
// first on /account/confirm, which sends the person back to `returnTo`.
export function ConfirmPasswordField({
  user,
  returnTo,
  name = 'password',
  label = 'Your password',
  hint,
  errors,
  autofocus,
  required,
}: {
  user: Pick<CurrentUser, 'passwordHash'>;
  returnTo: string;
  name?: string;
  label?: string;
  hint?: string;
  errors?: FieldErrors;
  autofocus?: boolean;
  required?: boolean;
}) {
  if (hasUsablePassword(user.passwordHash)) {
    return <Field name={name} label={label} type="password" errors={errors} autocomplete="current-password" autofocus={autofocus} hint={hint} required={required} />;
  }
  const messages = errors?.[name] ?? [];
  return (
    <div class="notice">
      <ConfirmFirst returnTo={returnTo} what="a change like this one" />
      <FieldErrorList id={`field-${name}-error`} messages={messages} />
    </div>
  );
}

// For an account without a password: what stands in for it, and the way to /account/confirm.
export function ConfirmFirst({ returnTo, what }: { returnTo: string; what: string }) {
  return (
    <p>
      Your account has no password, so {what} needs you to have confirmed it is you in the last 10 minutes (a code by email, a passkey or a sign-in provider).{' '}
      <a href={`${CONFIRM_IDENTITY_PATH}?next=${encodeURIComponent(returnTo)}`}>Confirm it is you</a>
    </p>
  );
}
