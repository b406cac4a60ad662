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
            <dd>
              {user.email}{' '}
              {user.emailVerifiedAt ? <span class="badge badge-success">Verified</span> : <span class="badge badge-warning">Not verified</span>}
            </dd>
            <dt>Member since</dt>
            <dd>
              <time datetime={user.dateJoined.toISOString()}>{dateFormat.format(user.dateJoined)}</time>
            </dd>
          </dl>
          {user.emailVerifiedAt ? null : (
            <form method="post" action="/verify-email/resend" class="stack">
              <p class="muted">Confirm your address with the link we emailed you, so you can reset your password if you forget it.</p>
              <button type="submit" class="button button-quiet">
                Send the confirmation link again
              </button>
            </form>
          )}
          <p class="actions">
            <a class="button" href="/profile">
              Edit profile
            </a>
            <a class="button button-quiet" href="/account">
              Account and security
            </a>
            <a class="button button-quiet" href="/account/security/passkeys">
              Passkeys
            </a>
          </p>
        </div>
      </section>
    </Layout>
  );
}
