import { PASSWORD_MIN_LENGTH } from '../../auth/password-rules';
import { useI18n } from '../use-i18n';
import { EMAIL_MAX_LENGTH } from '../../users/identity';
import { Field, FormErrors, focusField, type FieldErrors } from '../components/field';
import { Layout } from '../layout';

export function ForgotPasswordPage({ email, errors, sent }: { email?: string; errors?: FieldErrors; sent?: boolean }) {
  const { t, rich } = useI18n();
  return (
    <Layout title={t('auth.passwordReset.forgot.title')}>
      <section class="card narrow">
        <h1>{t('auth.passwordReset.forgot.title')}</h1>
        {sent ? (
          <p class="flash flash-info" role="status">
            {t('auth.passwordReset.forgot.requested')}
          </p>
        ) : (
          <p class="muted">{t('auth.passwordReset.forgot.intro')}</p>
        )}
        <form method="post" action="/password-reset" novalidate>
          <FormErrors errors={errors} />
          <Field name="email" label={t('auth.passwordReset.forgot.email')} type="email" value={email} errors={errors} autocomplete="email" maxlength={EMAIL_MAX_LENGTH} autofocus={!sent} />
          <button type="submit" class="button">
            {t('auth.passwordReset.forgot.submit')}
          </button>
        </form>
        <p class="muted">{rich('auth.passwordReset.forgot.remembered', { a: (text) => <a href="/login">{text}</a> })}</p>
      </section>
    </Layout>
  );
}

export function ResetPasswordPage({ username, errors }: { username: string; errors?: FieldErrors }) {
  const { t } = useI18n();
  const focus = focusField(errors, ['password', 'passwordConfirm']);
  return (
    <Layout title={t('auth.passwordReset.new.title')}>
      <section class="card narrow">
        <h1>{t('auth.passwordReset.new.title')}</h1>
        <p class="muted">{t('auth.passwordReset.new.intro', { username })}</p>
        <form method="post" action="/password-reset/confirm" novalidate>
          <FormErrors errors={errors} />
          <input type="text" name="username" value={username} autocomplete="username" hidden />
          <Field
            name="password"
            label={t('auth.passwordReset.new.password')}
            type="password"
            errors={errors}
            autocomplete="new-password"
            autofocus={focus === 'password'}
            hint={t('auth.passwordReset.new.passwordHint', { min: PASSWORD_MIN_LENGTH })}
          />
          <Field name="passwordConfirm" label={t('auth.passwordReset.new.passwordConfirm')} type="password" errors={errors} autocomplete="new-password" autofocus={focus === 'passwordConfirm'} />
          <button type="submit" class="button">
            {t('auth.passwordReset.new.submit')}
          </button>
        </form>
      </section>
    </Layout>
  );
}

// Which emailed link failed: each has its own sentence and its own way on.
const INVALID_LINKS = {
  passwordReset: { text: 'auth.invalidLink.passwordReset.text', retry: 'auth.invalidLink.passwordReset.retry', href: '/password-reset' },
  emailConfirmation: { text: 'auth.invalidLink.emailConfirmation.text', retry: 'auth.invalidLink.emailConfirmation.retry', href: '/dashboard' },
  notMe: { text: 'auth.invalidLink.notMe.text', retry: 'auth.invalidLink.notMe.retry', href: '/password-reset' },
} as const;

export type InvalidLinkKind = keyof typeof INVALID_LINKS;

export function InvalidLinkPage({ kind }: { kind: InvalidLinkKind }) {
  const { t } = useI18n();
  const link = INVALID_LINKS[kind];
  return (
    <Layout title={t('auth.invalidLink.title')}>
      <section class="card narrow error-page">
        <h1>{t('auth.invalidLink.heading')}</h1>
        <p role="alert">{t(link.text)}</p>
        <p>
          <a class="button" href={link.href}>
            {t(link.retry)}
          </a>
        </p>
      </section>
    </Layout>
  );
}
