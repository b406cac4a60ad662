import { Field, FormErrors, focusField, type FieldErrors } from '../components/field';
import type { Flash } from '../components/flash';
import { Layout } from '../layout';
import { ProviderButtons } from './provider-buttons';

export function LoginPage({
  login,
  next,
  errors,
  flash,
  providers = [],
}: {
  login?: string;
  next?: string;
  errors?: FieldErrors;
  flash?: Flash | null;
  providers?: readonly { id: string; name: string }[];
}) {
  // After a failed sign-in the login is kept, so the password is what to type next.
  const focus = errors?.form && login ? 'password' : focusField(errors, ['login', 'password']);
  const action = next ? `/login?next=${encodeURIComponent(next)}` : '/login';
  return (
    <Layout title="Sign in" flash={flash}>
      <section class="card narrow">
        <h1>Sign in</h1>
        <form method="post" action={action} novalidate>
          <FormErrors errors={errors} />
          <Field name="login" label="Username or email" value={login} errors={errors} autocomplete="username webauthn" autofocus={focus === 'login'} />
          <Field name="password" label="Password" type="password" errors={errors} autocomplete="current-password" autofocus={focus === 'password'} />
          <button type="submit" class="button">
            Sign in
          </button>
        </form>
        {/* Shown by assets/static/passkeys.js when the browser can use passkeys; it also
            offers them in the username field's autofill. */}
        <div class="passkey-sign-in" data-passkey-sign-in hidden>
          <p class="passkey-or">or</p>
          <button type="button" class="button button-quiet">
            Sign in with a passkey
          </button>
          <p class="passkey-error" role="alert" data-passkey-error></p>
        </div>
        <p class="code-sign-in">
          <a class="button button-quiet" href={next ? `/login/code?next=${encodeURIComponent(next)}` : '/login/code'}>
            Email me a sign-in code
          </a>
        </p>
        <ProviderButtons providers={providers} next={next} />
        <p class="muted">
          A passkey lets you sign in with your fingerprint, face or device PIN instead of a password. Add one from your account once you are signed in.
        </p>
        <p>
          <a href="/password-reset">Forgot your password?</a>
        </p>
        <p class="muted">
          New here? <a href="/register">Create an account</a>
        </p>
      </section>
      <script type="module" src="/static/passkeys.js"></script>
    </Layout>
  );
}
