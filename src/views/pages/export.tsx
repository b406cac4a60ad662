import { useI18n } from '../use-i18n';
import type { CurrentUser } from '../../users/avatar-urls';
import { FormErrors, type FieldErrors } from '../components/field';
import { ConfirmPasswordField } from './security-fields';
import type { Flash } from '../components/flash';
import { Layout } from '../layout';

export function ExportPage({ user, errors, flash }: { user: CurrentUser; errors?: FieldErrors; flash?: Flash | null }) {
  const { t, rich } = useI18n();
  const code = (text: string) => <code>{text}</code>;
  return (
    <Layout title={t('account.export.title')} user={user} flash={flash}>
      <section class="card narrow stack">
        <h1>{t('account.export.title')}</h1>
        <p>{t('account.export.intro')}</p>
        <ul>
          <li>{rich('account.export.accountJson', { code })}</li>
          <li>{rich('account.export.avatar', { code })}</li>
        </ul>
        <p class="muted">{t('account.export.notIncluded')}</p>
        <form method="post" action="/account/export" novalidate>
          <FormErrors errors={errors} />
          <input type="text" name="username" value={user.username} autocomplete="username" hidden />
          <ConfirmPasswordField user={user} returnTo="/account/export" label={t('account.export.passwordLabel')} errors={errors} autofocus={Boolean(errors)} />
          <p class="actions">
            <button type="submit" class="button">
              {t('account.export.button')}
            </button>
            <a class="button button-quiet" href="/account">
              {t('account.export.back')}
            </a>
          </p>
        </form>
      </section>
    </Layout>
  );
}
