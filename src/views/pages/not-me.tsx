import { Layout } from '../layout';

export function NotMePage({ token }: { token: string }) {
  return (
    <Layout title="This wasn’t me">
      <section class="card narrow stack">
        <h1>This wasn’t me</h1>
        <p>If someone else signed in to your account, this signs out every device at once, cancels any links we have emailed, removes every passkey and turns off two-factor sign-in (set yours up again afterwards), and asks for a new password before anyone can sign in again.</p>
        <form method="post" action="/not-me">
          <input type="hidden" name="token" value={token} />
          <button type="submit" class="button button-danger">
            Sign out everywhere and lock my password
          </button>
        </form>
        <p class="muted">
          It was you after all? Close this page: nothing changes.
        </p>
      </section>
    </Layout>
  );
}

export function NotMeDonePage() {
  return (
    <Layout title="Your account is locked down">
      <section class="card narrow stack">
        <h1>Your account is locked down</h1>
        <p role="status">Every device has been signed out, every passkey removed, two-factor sign-in turned off, and the links we had emailed no longer work. Before anyone can sign in again, the password must be changed.</p>
        <p>
          <a class="button" href="/password-reset">
            Choose a new password
          </a>
        </p>
        <p class="muted">We will send the reset link to the email address of the account. If that address is no longer yours, contact us.</p>
      </section>
    </Layout>
  );
}
