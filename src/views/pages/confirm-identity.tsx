import type { CurrentUser } from '../../users/avatar-urls';
import type { Flash } from '../components/flash';
import { Layout } from '../layout';

// For an account without a password: a code by email, or a linked provider to sign in
// with again, before something sensitive. `next` is the page to go back to (a checked same-site path).
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
        <p>
          Your account has no password, so before this change we ask you to confirm it is you: with a code we email to <strong>{user.email}</strong>
          {providers.length ? ', or by signing in again with a provider linked to your account' : ''}. It counts for 10 minutes, on this device only.
        </p>
        <form method="post" action={`/account/confirm-code/send${query}`}>
          <button type="submit" class="button">
            Email me a code
          </button>
        </form>
        {providers.map((provider) => (
          <form method="post" action={`/account/confirm/${provider.id}${query}`}>
            <button type="submit" class="button button-quiet">
              Continue with {provider.name}
            </button>
          </form>
        ))}
        <p>
          <a class="button button-quiet" href={next}>
            Back
          </a>
        </p>
      </section>
    </Layout>
  );
}
