import type { CurrentUser } from '../../users/avatar-urls';
import { ACTIVITY_DAYS, type SecurityEvent } from '../../users/security-events';
import { EventsTable } from '../components/events-table';
import { Layout } from '../layout';

export function ActivityPage({ user, events }: { user: CurrentUser; events: SecurityEvent[] }) {
  return (
    <Layout title="Account activity" user={user}>
      <section class="card stack">
        <h1>Account activity</h1>
        <p class="muted">
          Security events of the last {ACTIVITY_DAYS} days, newest first. Locations are approximate. If something here was not you,{' '}
          <a href="/account/password">change your password</a> and <a href="/account/sessions">sign out other sessions</a>.
        </p>
        {events.length === 0 ? <p>Nothing in the last {ACTIVITY_DAYS} days.</p> : <EventsTable events={events} />}
      </section>
    </Layout>
  );
}
