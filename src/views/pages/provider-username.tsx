import { useI18n } from '../use-i18n';
import { USERNAME_MAX_LENGTH } from '../../users/identity';
import { Field, FormErrors, type FieldErrors } from '../components/field';
import { Layout } from '../layout';

// After a first sign-in with a provider: the account's name, before the account exists.
export function ProviderUsernamePage({ providerId, provider, email, username, errors }: { providerId: string; provider: string; email: string; username: string; errors?: FieldErrors }) {
  const { t } = useI18n();
  return (
    <Layout title={t('auth.providers.username.title')}>
      <section class="card narrow">
        <h1>{t('auth.providers.username.title')}</h1>
        <p class="muted">{t('auth.providers.username.intro', { provider, email })}</p>
        <form method="post" action={`/oauth/${providerId}/username`} novalidate>
          <FormErrors errors={errors} />
          <Field
            name="username"
            label={t('auth.providers.username.label')}
            value={username}
            errors={errors}
            autocomplete="username"
            maxlength={USERNAME_MAX_LENGTH}
            hint={t('auth.register.usernameHint', { max: USERNAME_MAX_LENGTH })}
            autofocus
          />
          <button type="submit" class="button">
            {t('auth.providers.username.submit')}
          </button>
        </form>
        <p class="muted">
          <a href="/login">{t('auth.providers.username.cancel')}</a>
        </p>
      </section>
    </Layout>
  );
}
