import { useI18n } from '../use-i18n';
import type { CurrentUser } from '../../users/avatar-urls';
import { Layout } from '../layout';

export function VerifyEmailPage({ email, token, user }: { email: string; token: string; user?: CurrentUser | null }) {
  const { t, rich } = useI18n();
  return (
    <Layout title={t('auth.verifyEmail.title')} user={user}>
      <section class="card narrow">
        <h1>{t('auth.verifyEmail.title')}</h1>
        <p class="break-anywhere">{rich('auth.verifyEmail.text', { strong: (text) => <strong>{text}</strong> }, { email })}</p>
        <form method="post" action="/verify-email">
          <input type="hidden" name="token" value={token} />
          <button type="submit" class="button">
            {t('auth.verifyEmail.submit')}
          </button>
        </form>
      </section>
    </Layout>
  );
}
