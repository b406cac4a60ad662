import type { CurrentUser } from '../../users/avatar-urls';
import type { Flash } from '../components/flash';
import { Layout } from '../layout';

export function HomePage({ user, flash }: { user: CurrentUser | null; flash?: Flash | null }) {
  return (
    <Layout title="Welcome" user={user} flash={flash}>
      <section class="hero">
        <h1>Your account, close to you</h1>
        <p class="lead">Sign up once, sign in from anywhere. Edge Accounts runs in the Cloudflare location nearest to you.</p>
        {user ? (
          <p>
            <a class="button" href="/dashboard">
              Go to your dashboard
            </a>
          </p>
        ) : (
          <p class="actions">
            <a class="button" href="/register">
              Create an account
            </a>
            <a class="button button-quiet" href="/login">
              Sign in
            </a>
          </p>
        )}
      </section>
    </Layout>
  );
}
