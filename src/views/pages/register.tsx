import type { Config } from '../../config';
import { PASSWORD_MIN_LENGTH } from '../../auth/password-rules';
import { useI18n } from '../use-i18n';
import { EMAIL_MAX_LENGTH, USERNAME_MAX_LENGTH } from '../../users/identity';
import { Field, FormErrors, focusField, type FieldErrors } from '../components/field';
import { Layout } from '../layout';
import { ProviderButtons } from './provider-buttons';

export interface RegisterValues {
  username?: string;
  email?: string;
}

export function RegisterPage({ values = {}, errors, config }: { values?: RegisterValues; errors?: FieldErrors; config: Pick<Config, 'signInProviders' | 'signUpConfirmation'> }) {
  const { t, rich } = useI18n();
  const providers = config.signInProviders;
  const focus = focusField(errors, ['username', 'email', 'password', 'passwordConfirm']);
  return (
    <Layout title={t('auth.register.title')}>
      <section class="card narrow">
        <h1>{t('auth.register.title')}</h1>
        {config.signUpConfirmation === 'before' ? <p class="muted">{t('auth.register.confirmFirst')}</p> : null}
        <form method="post" action="/register" novalidate>
          <FormErrors errors={errors} />
          <Field
            name="username"
            label={t('auth.register.username')}
            value={values.username}
            errors={errors}
            autocomplete="username"
            maxlength={USERNAME_MAX_LENGTH}
            hint={t('auth.register.usernameHint', { max: USERNAME_MAX_LENGTH })}
            autofocus={focus === 'username'}
          />
          <Field name="email" label={t('auth.register.email')} type="email" value={values.email} errors={errors} autocomplete="email" maxlength={EMAIL_MAX_LENGTH} autofocus={focus === 'email'} />
          <Field
            name="password"
            label={t('auth.register.password')}
            type="password"
            errors={errors}
            required={false}
            autocomplete="new-password"
            autofocus={focus === 'password'}
            hint={t('auth.register.passwordHint', { min: PASSWORD_MIN_LENGTH })}
          />
          <Field name="passwordConfirm" label={t('auth.register.passwordConfirm')} type="password" errors={errors} required={false} autocomplete="new-password" autofocus={focus === 'passwordConfirm'} />
          <button type="submit" class="button">
            {t('auth.register.submit')}
          </button>
        </form>
        <ProviderButtons providers={providers} />
        <p class="muted">{rich('auth.register.haveAccount', { a: (text) => <a href="/login">{text}</a> })}</p>
      </section>
    </Layout>
  );
}
