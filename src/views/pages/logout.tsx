import type { CurrentUser } from '../../users/avatar-urls';
import { Layout } from '../layout';

export function LogoutPage({ user }: { user: CurrentUser }) {
  return (
    <Layout title="Sign out" user={user}>
      <section class="card narrow">
        <h1>Sign out?</h1>
        <p>You are signed in as {user.username}.</p>
        <form method="post" action="/logout">
          <button type="submit" class="button">
            Sign out
          </button>
        </form>
      </section>
    </Layout>
  );
}
