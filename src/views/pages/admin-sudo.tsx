import { useI18n } from '../use-i18n';
import type { ActionLabelKey } from '../../admin/staff-actions';
import type { CurrentUser } from '../../users/avatar-urls';
import { Field, FormErrors, type FieldErrors } from '../components/field';
import { Layout } from '../layout';
import { AdminNav } from './admin-nav';

// "Sudo mode": the action the staff member asked for, held until they confirm their
// password; the form posts it again with the password, and it goes ahead.
export function AdminSudoPage({
  user,
  actionLabel,
  targetUsername,
  actionUrl,
  cancelUrl,
  fields,
  errors,
}: {
  user: CurrentUser;
  actionLabel: ActionLabelKey;
  targetUsername: string;
  actionUrl: string;
  cancelUrl: string;
  fields: Record<string, string>;
  errors?: FieldErrors;
}) {
  const { t, rich, language } = useI18n();
  // English reads the button's label as a verb in the sentence ("To deactivate for ...");
  // the other languages name the action, so its label keeps its capitals there.
  const action = language === 'en' ? t(actionLabel).toLowerCase() : t(actionLabel);
  return (
    <Layout title={t('admin.page.title', { title: t('admin.sudo.heading') })} user={user}>
      <AdminNav current="users" />
      <section class="card narrow">
        <h1>{t('admin.sudo.heading')}</h1>
        <p>
          {rich(
            'admin.sudo.intro',
            { action: (text) => <strong>{text}</strong>, user: (text) => <strong class="break-anywhere">{text}</strong> },
            { action, username: targetUsername },
          )}
        </p>
        <form method="post" action={actionUrl} novalidate>
          <FormErrors errors={errors} />
          <input type="text" name="username" value={user.username} autocomplete="username" hidden />
          {Object.entries(fields).map(([name, value]) => (
            <input type="hidden" name={name} value={value} />
          ))}
          <Field name="sudoPassword" label={t('admin.sudo.password')} type="password" errors={errors} autocomplete="current-password" autofocus />
          <button type="submit" class="button">
            {t('admin.sudo.submit')}
          </button>
        </form>
        <p>
          <a href={cancelUrl}>{t('admin.sudo.cancel')}</a>
        </p>
      </section>
    </Layout>
  );
}
