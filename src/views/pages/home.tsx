import { useI18n } from '../use-i18n';
import type { CurrentUser } from '../../users/avatar-urls';
import type { Flash } from '../components/flash';
import { Layout } from '../layout';

export function HomePage({ user, flash }: { user: CurrentUser | null; flash?: Flash | null }) {
  const { t } = useI18n();
  return (
    <Layout title={t('auth.home.title')} user={user} flash={flash}>
      <section class="hero">
        <h1>{t('auth.home.heading')}</h1>
        <p class="lead">{t('auth.home.lead')}</p>
        {user ? (
          <p>
            <a class="button" href="/dashboard">
              {t('auth.home.dashboard')}
            </a>
          </p>
        ) : (
          <p class="actions">
            <a class="button" href="/register">
              {t('auth.home.createAccount')}
            </a>
            <a class="button button-quiet" href="/login">
              {t('auth.home.signIn')}
            </a>
          </p>
        )}
      </section>
    </Layout>
  );
}
