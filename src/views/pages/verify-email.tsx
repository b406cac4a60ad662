import type { CurrentUser } from '../../users/avatar-urls';
import { Layout } from '../layout';

export function VerifyEmailPage({ email, token, user }: { email: string; token: string; user?: CurrentUser | null }) {
  return (
    <Layout title="Confirm your email address" user={user}>
      <section class="card narrow">
        <h1>Confirm your email address</h1>
        <p class="break-anywhere">
          Confirm that <strong>{email}</strong> is the email address of your account.
        </p>
        <form method="post" action="/verify-email">
          <input type="hidden" name="token" value={token} />
          <button type="submit" class="button">
            Confirm this address
          </button>
        </form>
      </section>
    </Layout>
  );
}
