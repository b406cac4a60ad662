import { CONFIRM_IDENTITY_PATH } from '../../auth/identity-confirmation';
import { hasUsablePassword } from '../../auth/password-hash';
import type { CurrentUser } from '../../users/avatar-urls';
import { useI18n } from '../use-i18n';
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

// The step-up of every form that changes a credential (src/auth/credential-policy.ts): the
// password where the account has one; else a sign-in again with a linked provider, done
// first on /account/confirm, which sends the person back to `returnTo`.
export function ConfirmPasswordField({
  user,
  returnTo,
  name = 'password',
  label,
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
  const { t } = useI18n();
  if (hasUsablePassword(user.passwordHash)) {
    return <Field name={name} label={label ?? t('security.fields.yourPassword')} type="password" errors={errors} autocomplete="current-password" autofocus={autofocus} hint={hint} required={required} />;
  }
  const messages = errors?.[name] ?? [];
  return (
    <div class="notice">
      <ConfirmFirst returnTo={returnTo} what="a change like this one" />
      <FieldErrorList id={`field-${name}-error`} messages={messages} />
    </div>
  );
}

// Each `what` is a whole sentence in the catalogue (no sentence glued from fragments); the
// values stay the English phrases callers already pass.
const CONFIRM_FIRST = {
  'a change like this one': 'security.fields.confirmFirstChange',
  'linking or unlinking': 'security.fields.confirmFirstLinking',
} as const;

// For an account without a password: what stands in for it, and the way to /account/confirm.
export function ConfirmFirst({ returnTo, what }: { returnTo: string; what: keyof typeof CONFIRM_FIRST }) {
  const { t } = useI18n();
  return (
    <p>
      {t(CONFIRM_FIRST[what])}{' '}
      <a href={`${CONFIRM_IDENTITY_PATH}?next=${encodeURIComponent(returnTo)}`}>{t('security.fields.confirmLink')}</a>
    </p>
  );
}
