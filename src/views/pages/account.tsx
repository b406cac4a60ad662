import { hasUsablePassword } from '../../auth/password-hash';
import { useI18n } from '../use-i18n';
import type { CurrentUser } from '../../users/avatar-urls';
import { Field, FormErrors, focusField, type FieldErrors } from '../components/field';
import type { Flash } from '../components/flash';
import { Layout } from '../layout';
import { ConfirmPasswordField } from './security-fields';

export function AccountPage({ user, flash }: { user: CurrentUser; flash?: Flash | null }) {
  const { t } = useI18n();
  return (
    <Layout title={t('account.home.title')} user={user} flash={flash}>
      <section class="card narrow stack">
        <h1>{t('account.home.title')}</h1>
        <nav aria-label={t('account.home.navLabel')}>
          <ul class="link-list">
            <li>
              <a href="/profile">{t('account.home.link.profile')}</a>
            </li>
            <li>
              <a href="/account/password">{t('account.home.link.password')}</a>
            </li>
            <li>
              <a href="/account/sign-in-methods">{t('account.home.link.signInMethods')}</a>
            </li>
            <li>
              <a href="/account/security">{t('account.home.link.twoFactor')}</a>
            </li>
            <li>
              <a href="/account/sessions">{t('account.home.link.sessions')}</a>
            </li>
            <li>
              <a href="/account/activity">{t('account.home.link.activity')}</a>
            </li>
            <li>
              <a href="/account/export">{t('account.home.link.export')}</a>
            </li>
          </ul>
        </nav>
      </section>
      <section class="card narrow" aria-labelledby="passkeys-heading">
        <h2 id="passkeys-heading">{t('account.home.passkeys.heading')}</h2>
        <p>{t('account.home.passkeys.text')}</p>
        <p>
          <a class="button button-quiet" href="/account/security/passkeys">
            {t('account.home.passkeys.manage')}
          </a>
        </p>
      </section>
      <section class="card narrow danger-zone">
        <h2>{t('account.home.delete.heading')}</h2>
        <p>{t('account.home.delete.text')}</p>
        <p>
          <a class="button button-danger" href="/account/delete">
            {t('account.home.delete.button')}
          </a>
        </p>
      </section>
    </Layout>
  );
}

export function PasswordChangePage({ user, errors, removeErrors, flash }: { user: CurrentUser; errors?: FieldErrors; removeErrors?: FieldErrors; flash?: Flash | null }) {
  const { t } = useI18n();
  const focus = focusField(errors, ['currentPassword', 'password', 'passwordConfirm']);
  // An account made through a sign-in provider has none yet: it sets one.
  const setting = !hasUsablePassword(user.passwordHash);
  const title = setting ? t('account.password.titleSet') : t('account.password.titleChange');
  return (
    <Layout title={title} user={user} flash={flash}>
      <section class="card narrow">
        <h1>{title}</h1>
        <p class="muted">{setting ? t('account.password.introSet') : t('account.password.introChange')}</p>
        <form method="post" action="/account/password" novalidate>
          <FormErrors errors={errors} />
          <input type="text" name="username" value={user.username} autocomplete="username" hidden />
          <ConfirmPasswordField user={user} returnTo="/account/password" name="currentPassword" label={t('account.password.current')} errors={errors} autofocus={focus === 'currentPassword'} />
          <Field name="password" label={t('account.password.new')} type="password" errors={errors} autocomplete="new-password" autofocus={focus === 'password'} hint={t('account.password.newHint')} />
          <Field name="passwordConfirm" label={t('account.password.confirm')} type="password" errors={errors} autocomplete="new-password" autofocus={focus === 'passwordConfirm'} />
          <button type="submit" class="button">
            {title}
          </button>
        </form>
      </section>
      {setting ? null : <RemovePasswordSection user={user} errors={removeErrors} />}
    </Layout>
  );
}

// Codes by email make a password optional: an account with a confirmed address can drop it.
function RemovePasswordSection({ user, errors }: { user: CurrentUser; errors?: FieldErrors }) {
  const { t } = useI18n();
  return (
    <section class="card narrow" aria-labelledby="remove-password">
      <h2 id="remove-password">{t('account.password.remove.heading')}</h2>
      {user.emailVerifiedAt ? (
        <form method="post" action="/account/password/remove" novalidate>
          <p class="muted">{t('account.password.remove.text', { email: user.email })}</p>
          <FormErrors errors={errors} />
          <Field name="removePassword" label={t('account.password.remove.label')} type="password" errors={errors} autocomplete="current-password" autofocus={Boolean(errors)} />
          <button type="submit" class="button button-quiet">
            {t('account.password.remove.button')}
          </button>
        </form>
      ) : (
        <p class="muted">{t('account.password.remove.confirmFirst')}</p>
      )}
    </section>
  );
}

export function DeleteAccountPage({ user, errors, flash }: { user: CurrentUser; errors?: FieldErrors; flash?: Flash | null }) {
  const { t, rich } = useI18n();
  return (
    <Layout title={t('account.delete.title')} user={user} flash={flash}>
      <section class="card narrow danger-zone">
        <h1>{t('account.delete.heading')}</h1>
        <p>{rich('account.delete.text', { strong: (text) => <strong>{text}</strong> }, { username: user.username })}</p>
        <form method="post" action="/account/delete" novalidate>
          <FormErrors errors={errors} />
          <input type="text" name="username" value={user.username} autocomplete="username" hidden />
          <ConfirmPasswordField user={user} returnTo="/account/delete" label={t('account.delete.passwordLabel')} errors={errors} autofocus={Boolean(errors)} />
          <p class="actions">
            <button type="submit" class="button button-danger">
              {t('account.delete.button')}
            </button>
            <a class="button button-quiet" href="/account">
              {t('account.delete.keep')}
            </a>
          </p>
        </form>
      </section>
    </Layout>
  );
}
