import { translateFieldMessage, type FieldErrors } from '../../auth/field-errors';
import { useI18n } from '../use-i18n';

export type { FieldErrors };

export interface FieldProps {
  name: string;
  label: string;
  type?: 'text' | 'email' | 'password';
  value?: string;
  errors?: FieldErrors;
  autocomplete?: string;
  hint?: string;
  required?: boolean;
  autofocus?: boolean;
  maxlength?: number;
  // Anything else the input needs (a class, inputmode, autocapitalize...).
  input?: Record<string, string | number | boolean | undefined>;
}

// A labelled input whose errors are linked to it, so screen readers announce them.
export function Field({ name, label, type = 'text', value, errors, autocomplete, hint, required = true, autofocus, maxlength, input }: FieldProps) {
  const id = `field-${name}`;
  const fieldErrors = errors?.[name] ?? [];
  const describedBy = [hint ? `${id}-hint` : null, fieldErrors.length ? `${id}-error` : null].filter(Boolean).join(' ');
  return (
    <div class={fieldErrors.length ? 'field field-invalid' : 'field'}>
      <label for={id}>{label}</label>
      {hint ? (
        <p class="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      <input
        id={id}
        name={name}
        type={type}
        value={type === 'password' ? undefined : value}
        autocomplete={autocomplete}
        required={required}
        autofocus={autofocus}
        maxlength={maxlength}
        aria-invalid={fieldErrors.length ? 'true' : undefined}
        aria-describedby={describedBy || undefined}
        {...input}
      />
      <FieldErrorList id={`${id}-error`} messages={fieldErrors} />
    </div>
  );
}

// role="alert" sits on a wrapper: on the list itself it would hide the list semantics.
// Messages may be catalogue references (src/auth/field-errors.ts): translated here, at render.
export function FieldErrorList({ id, messages }: { id: string; messages: string[] }) {
  const i18n = useI18n();
  if (!messages.length) return null;
  return (
    <div id={id} role="alert">
      <ul class="field-errors">
        {messages.map((message) => (
          <li>{translateFieldMessage(message, i18n)}</li>
        ))}
      </ul>
    </div>
  );
}

// The field to focus when a form comes back: the first one with an error, else the first.
export function focusField(errors: FieldErrors | undefined, order: string[]): string {
  return order.find((name) => errors?.[name]?.length) ?? order[0]!;
}

export function FormErrors({ errors }: { errors?: FieldErrors }) {
  const i18n = useI18n();
  const messages = errors?.form ?? [];
  if (!messages.length) return null;
  return (
    <div class="form-errors" role="alert">
      {messages.map((message) => (
        <p>{translateFieldMessage(message, i18n)}</p>
      ))}
    </div>
  );
}
