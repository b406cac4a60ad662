import { EMAIL_MAX_LENGTH } from '../../users/identity';
import { Field, FormErrors, focusField, type FieldErrors } from '../components/field';
import { Layout } from '../layout';

export const RESET_REQUESTED =
  'If an account uses that address, we have sent it a link to choose a new password. It expires in one hour. Check your spam folder if nothing arrives.';

export function ForgotPasswordPage({ email, errors, sent }: { email?: string; errors?: FieldErrors; sent?: boolean }) {
  return (
    <Layout title="Forgot your password?">
      <section class="card narrow">
        <h1>Forgot your password?</h1>
        {sent ? (
          <p class="flash flash-info" role="status">
            {RESET_REQUESTED}
          </p>
        ) : (
          <p class="muted">Enter the email address of your account and we will send you a link to choose a new password.</p>
        )}
        <form method="post" action="/password-reset" novalidate>
          <FormErrors errors={errors} />
          <Field name="email" label="Email address" type="email" value={email} errors={errors} autocomplete="email" maxlength={EMAIL_MAX_LENGTH} autofocus={!sent} />
          <button type="submit" class="button">
            Send me a link
          </button>
        </form>
        <p class="muted">
          Remembered it? <a href="/login">Sign in</a>
        </p>
      </section>
    </Layout>
  );
}

export function ResetPasswordPage({ username, errors }: { username: string; errors?: FieldErrors }) {
  return (
    <Layout title="Choose a new password">
      <section class="card narrow">
        <h1>Choose a new password</h1>
        <p class="muted">For the account {username}. Every device signed in to it will be signed out.</p>
        <form method="post" action="/password-reset/confirm" novalidate>
          <FormErrors errors={errors} />
          <input type="text" name="username" value={username} autocomplete="username" hidden />
          <Field name="password" label="New password" type="password" errors={errors} autocomplete="new-password" autofocus={focusField(errors, ['password', 'passwordConfirm']) === 'password'} hint="At least 8 characters, not only digits, not a common password, not like your username or email." />
          <Field name="passwordConfirm" label="Confirm new password" type="password" errors={errors} autocomplete="new-password" autofocus={focusField(errors, ['password', 'passwordConfirm']) === 'passwordConfirm'} />
          <button type="submit" class="button">
            Set new password
          </button>
        </form>
      </section>
    </Layout>
  );
}

export function InvalidLinkPage({ what, retry }: { what: string; retry: { href: string; label: string } }) {
  return (
    <Layout title="Link not valid">
      <section class="card narrow error-page">
        <h1>This link no longer works</h1>
        <p role="alert">The {what} link is wrong, was already used, or has expired. Links work once and only for a limited time.</p>
        <p>
          <a class="button" href={retry.href}>
            {retry.label}
          </a>
        </p>
      </section>
    </Layout>
  );
}
