import type { CurrentUser } from '../../users/avatar-urls';
import type { Flash } from '../components/flash';
import { Layout } from '../layout';

// For an account without a password: which linked provider to sign in with again before
// something sensitive. `next` is the page to go back to (a checked same-site path).
export function ConfirmIdentityPage({
  user,
  providers,
  next,
  flash,
}: {
  user: CurrentUser;
  providers: { id: string; name: string }[];
  next: string;
  flash?: Flash | null;
}) {
  const query = `?next=${encodeURIComponent(next)}`;
  return (
    <Layout title="Confirm it is you" user={user} flash={flash}>
      <section class="card narrow stack">
        <h1>Confirm it is you</h1>
        {providers.length ? (
          <>
            <p>
              Your account has no password, so before this change we ask you to sign in again with a provider linked to your account. It counts for
              10 minutes, on this device only.
            </p>
            {providers.map((provider) => (
              <form method="post" action={`/account/confirm/${provider.id}${query}`}>
                <button type="submit" class="button">
                  Continue with {provider.name}
                </button>
              </form>
            ))}
          </>
        ) : (
          <p>
            Your account has no password and no linked provider to confirm it is you. Set a password with a link by email (
            <a href="/password-reset">Forgot your password?</a>), then come back.
          </p>
        )}
        <p>
          <a class="button button-quiet" href={next}>
            Back
          </a>
        </p>
      </section>
    </Layout>
  );
}
