import { useI18n } from '../../i18n/use-i18n';
import type { CurrentUser } from '../../users/avatar-urls';
import { Avatar } from '../components/avatar';
import type { Flash } from '../components/flash';
import { Layout } from '../layout';

const joinedFormats = new Map<string, Intl.DateTimeFormat>();

// The day of joining, spelled out ("December 4, 2026") in the visitor's language and time
// zone: the translator's date() is the shorter medium style.
function joinedDate(language: string, timeZone: string, when: Date): string {
  const key = `${language}|${timeZone}`;
  let format = joinedFormats.get(key);
  if (!format) joinedFormats.set(key, (format = new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone })));
  return format.format(when);
}

export function DashboardPage({ user, flash }: { user: CurrentUser; flash?: Flash | null }) {
  const { t, language, timeZone } = useI18n();
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
              <time datetime={user.dateJoined.toISOString()}>{joinedDate(language, timeZone, user.dateJoined)}</time>
            </dd>
          </dl>
          {user.emailVerifiedAt ? null : (
            <form method="post" action="/verify-email/resend" class="stack">
              <p class="muted">{t('account.dashboard.confirmHint')}</p>
              <button type="submit" class="button button-quiet">
                {t('account.dashboard.resend')}
              </button>
            </form>
          )}
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
        </div>
      </section>
    </Layout>
  );
}
