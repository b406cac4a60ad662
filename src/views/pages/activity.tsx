import { useI18n } from '../use-i18n';
import type { CurrentUser } from '../../users/avatar-urls';
import { ACTIVITY_DAYS, type SecurityEvent } from '../../users/security-events';
import { EventsTable } from '../components/events-table';
import { Layout } from '../layout';

export function ActivityPage({ user, events }: { user: CurrentUser; events: SecurityEvent[] }) {
  const { t, rich } = useI18n();
  return (
    <Layout title={t('account.activity.title')} user={user}>
      <section class="card stack">
        <h1>{t('account.activity.title')}</h1>
        <p class="muted">
          {rich(
            'account.activity.intro',
            {
              password: (text) => <a href="/account/password">{text}</a>,
              sessions: (text) => <a href="/account/sessions">{text}</a>,
            },
            { count: ACTIVITY_DAYS },
          )}
        </p>
        {events.length === 0 ? <p>{t('account.activity.empty', { count: ACTIVITY_DAYS })}</p> : <EventsTable events={events} />}
      </section>
    </Layout>
  );
}
