import { Field, type FieldErrors } from '../components/field';

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
