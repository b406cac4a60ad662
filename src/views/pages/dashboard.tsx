import { useI18n } from '../use-i18n';
import type { CurrentUser } from '../../users/avatar-urls';
import { Avatar } from '../components/avatar';
import type { Flash } from '../components/flash';
import { Layout } from '../layout';
import { renderedOnce } from '../rendered-once';

export function DashboardPage({ user, flash }: { user: CurrentUser; flash?: Flash | null }) {
  const { t, date } = useI18n();
  return (
    <Layout title={t('account.dashboard.title')} user={user} flash={flash}>
      <section class="card profile-card">
        <Avatar user={user} size="large" />
        <div>
          <h1>{user.username}</h1>
          <dl class="facts">
            <dt>{t('account.dashboard.email')}</dt>
            <dd>
              {user.email}{' '}
              {user.emailVerifiedAt ? (
                <span class="badge badge-success">{t('account.dashboard.verified')}</span>
              ) : (
                <span class="badge badge-warning">{t('account.dashboard.notVerified')}</span>
              )}
            </dd>
            <dt>{t('account.dashboard.memberSince')}</dt>
            <dd>
              <time datetime={user.dateJoined.toISOString()}>{date(user.dateJoined, 'long')}</time>
            </dd>
          </dl>
          {user.emailVerifiedAt
            ? null
            : renderedOnce('dashboard-resend', () => (
                <form method="post" action="/verify-email/resend" class="stack">
                  <p class="muted">{t('account.dashboard.confirmHint')}</p>
                  <button type="submit" class="button button-quiet">
                    {t('account.dashboard.resend')}
                  </button>
                </form>
              ))}
          {renderedOnce('dashboard-actions', () => (
            <p class="actions">
              <a class="button" href="/profile">
                {t('account.dashboard.editProfile')}
              </a>
              <a class="button button-quiet" href="/account">
                {t('account.dashboard.accountAndSecurity')}
              </a>
              <a class="button button-quiet" href="/account/security/passkeys">
                {t('account.dashboard.passkeys')}
              </a>
            </p>
          ))}
        </div>
      </section>
    </Layout>
  );
}
