import { useI18n } from '../use-i18n';
import { Layout } from '../layout';

export function NotMePage({ token }: { token: string }) {
  const { t } = useI18n();
  return (
    <Layout title={t('auth.notMe.title')}>
      <section class="card narrow stack">
        <h1>{t('auth.notMe.title')}</h1>
        <p>{t('auth.notMe.text')}</p>
        <form method="post" action="/not-me">
          <input type="hidden" name="token" value={token} />
          <button type="submit" class="button button-danger">
            {t('auth.notMe.submit')}
          </button>
        </form>
        <p class="muted">{t('auth.notMe.itWasYou')}</p>
      </section>
    </Layout>
  );
}

export function NotMeDonePage() {
  const { t } = useI18n();
  return (
    <Layout title={t('auth.notMe.done.title')}>
      <section class="card narrow stack">
        <h1>{t('auth.notMe.done.title')}</h1>
        <p role="status">{t('auth.notMe.done.text')}</p>
        <p>
          <a class="button" href="/password-reset">
            {t('auth.notMe.done.newPassword')}
          </a>
        </p>
        <p class="muted">{t('auth.notMe.done.note')}</p>
      </section>
    </Layout>
  );
}
