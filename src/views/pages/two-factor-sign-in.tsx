import { FormErrors, type FieldErrors } from '../components/field';
import { Layout } from '../layout';
import { CodeField } from './security-fields';

// An account with passkeys but no authenticator app, after a provider: its second step
// would be a passkey, which this page cannot take yet; no code is accepted here.
function PasskeyInsteadPage() {
  return (
    <Layout title="Two-factor sign-in">
      <section class="card narrow stack">
        <h1>Use your passkey</h1>
        <p>This account has a passkey: sign in with your passkey instead.</p>
        <p>
          <a class="button" href="/login">
            Sign in with a passkey
          </a>
        </p>
      </section>
    </Layout>
  );
}

// The second step of a sign-in: a code from the app, or a recovery code.
export function TwoFactorSignInPage({ method, errors }: { method: 'totp' | 'recovery_code' | 'passkey'; errors?: FieldErrors }) {
  if (method === 'passkey') return <PasskeyInsteadPage />;
  const totp = method === 'totp';
  return (
    <Layout title="Two-factor sign-in">
      <section class="card narrow">
        <h1>{totp ? 'Enter the code from your app' : 'Enter a recovery code'}</h1>
        <p class="muted">
          {totp
            ? 'Your password was right. Open your authenticator app and enter the 6-digit code it shows for Edge Accounts.'
            : 'Your password was right. Enter one of the recovery codes you saved when you set up two-factor sign-in. Each code works once.'}
        </p>
        <form method="post" action="/login/two-factor" novalidate>
          <FormErrors errors={errors} />
          <input type="hidden" name="method" value={method} />
          <CodeField label={totp ? '6-digit code' : 'Recovery code'} kind={method} errors={errors} autofocus />
          <button type="submit" class="button">
            Sign in
          </button>
        </form>
        <p>
          {totp ? <a href="/login/two-factor?use=recovery">Use a recovery code instead</a> : <a href="/login/two-factor">Use a code from your app instead</a>}
        </p>
        <p class="muted">
          <a href="/login">Cancel and start again</a>
        </p>
      </section>
    </Layout>
  );
}
