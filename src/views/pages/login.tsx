import { Field, FormErrors, focusField, type FieldErrors } from '../components/field';
import type { Flash } from '../components/flash';
import { Layout } from '../layout';

export function LoginPage({ login, next, errors, flash }: { login?: string; next?: string; errors?: FieldErrors; flash?: Flash | null }) {
  // After a failed sign-in the login is kept, so the password is what to type next.
  const focus = errors?.form && login ? 'password' : focusField(errors, ['login', 'password']);
  const action = next ? `/login?next=${encodeURIComponent(next)}` : '/login';
  return (
    <Layout title="Sign in" flash={flash}>
      <section class="card narrow">
        <h1>Sign in</h1>
        <form method="post" action={action} novalidate>
          <FormErrors errors={errors} />
          <Field name="login" label="Username or email" value={login} errors={errors} autocomplete="username" autofocus={focus === 'login'} />
          <Field name="password" label="Password" type="password" errors={errors} autocomplete="current-password" autofocus={focus === 'password'} />
          <button type="submit" class="button">
            Sign in
          </button>
        </form>
        <p>
          <a href="/password-reset">Forgot your password?</a>
        </p>
        <p class="muted">
          New here? <a href="/register">Create an account</a>
        </p>
      </section>
    </Layout>
  );
}
