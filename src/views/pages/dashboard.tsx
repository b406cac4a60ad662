import type { CurrentUser } from '../../users/avatar-urls';
import { Avatar } from '../components/avatar';
import type { Flash } from '../components/flash';
import { Layout } from '../layout';

const dateFormat = new Intl.DateTimeFormat('en', { dateStyle: 'long', timeZone: 'UTC' });

export function DashboardPage({ user, flash }: { user: CurrentUser; flash?: Flash | null }) {
  return (
    <Layout title="Dashboard" user={user} flash={flash}>
      <section class="card profile-card">
        <Avatar user={user} size="large" />
        <div>
          <h1>{user.username}</h1>
          <dl class="facts">
            <dt>Email</dt>
            <dd>{user.email}</dd>
            <dt>Member since</dt>
            <dd>
              <time datetime={user.dateJoined.toISOString()}>{dateFormat.format(user.dateJoined)}</time>
            </dd>
          </dl>
          <p>
            <a class="button button-quiet" href="/profile">
              Edit profile
            </a>
          </p>
        </div>
      </section>
    </Layout>
  );
}
