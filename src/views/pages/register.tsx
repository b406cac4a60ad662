import type { Config } from '../../config';
import { PASSWORD_MIN_LENGTH } from '../../auth/password-rules';
import { EMAIL_MAX_LENGTH, USERNAME_MAX_LENGTH } from '../../users/identity';
import { Field, FormErrors, focusField, type FieldErrors } from '../components/field';
import { Layout } from '../layout';
import { ProviderButtons } from './provider-buttons';

export interface RegisterValues {
  username?: string;
  email?: string;
}

export function RegisterPage({ values = {}, errors, config }: { values?: RegisterValues; errors?: FieldErrors; config: Pick<Config, 'signInProviders' | 'signUpConfirmation'> }) {
  const providers = config.signInProviders;
  const focus = focusField(errors, ['username', 'email', 'password', 'passwordConfirm']);
  return (
    <Layout title="Create an account">
      <section class="card narrow">
        <h1>Create an account</h1>
        {config.signUpConfirmation === 'before' ? <p class="muted">We email you a code to confirm your address; the account is created once you enter it.</p> : null}
        <form method="post" action="/register" novalidate>
          <FormErrors errors={errors} />
          <Field name="username" label="Username" value={values.username} errors={errors} autocomplete="username" maxlength={USERNAME_MAX_LENGTH} hint={`Up to ${USERNAME_MAX_LENGTH} characters: letters, digits and @ . + - _ only.`} autofocus={focus === 'username'} />
          <Field name="email" label="Email address" type="email" value={values.email} errors={errors} autocomplete="email" maxlength={EMAIL_MAX_LENGTH} autofocus={focus === 'email'} />
          <Field
            name="password"
            label="Password"
            type="password"
            errors={errors}
            required={false}
            autocomplete="new-password"
            autofocus={focus === 'password'}
            hint={`Optional: leave empty to sign in with codes we email you. Otherwise at least ${PASSWORD_MIN_LENGTH} characters, not only digits, not a common password, not like your username or email.`}
          />
          <Field name="passwordConfirm" label="Confirm password" type="password" errors={errors} required={false} autocomplete="new-password" autofocus={focus === 'passwordConfirm'} />
          <button type="submit" class="button">
            Create account
          </button>
        </form>
        <ProviderButtons providers={providers} />
        <p class="muted">
          Already have an account? <a href="/login">Sign in</a>
        </p>
      </section>
    </Layout>
  );
}
