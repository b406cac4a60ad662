import { useI18n } from '../use-i18n';
import type { CurrentUser } from '../../users/avatar-urls';
import { Layout } from '../layout';

export function LogoutPage({ user }: { user: CurrentUser }) {
  const { t } = useI18n();
  return (
    <Layout title={t('auth.logout.title')} user={user}>
      <section class="card narrow">
        <h1>{t('auth.logout.heading')}</h1>
        <p>{t('auth.logout.signedInAs', { username: user.username })}</p>
        <form method="post" action="/logout">
          <button type="submit" class="button">
            {t('auth.logout.submit')}
          </button>
        </form>
      </section>
    </Layout>
  );
}
