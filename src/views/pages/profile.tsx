import { useI18n } from '../use-i18n';
import type { CurrentUser } from '../../users/avatar-urls';
import { EMAIL_MAX_LENGTH } from '../../users/identity';
import { Avatar } from '../components/avatar';
import { Field, FieldErrorList, FormErrors, type FieldErrors } from '../components/field';
import type { Flash } from '../components/flash';
import { Layout } from '../layout';
import { ConfirmPasswordField } from './security-fields';

export interface ProfileValues {
  email?: string;
  removeAvatar?: boolean;
}

export function ProfilePage({
  user,
  values = {},
  errors,
  flash,
  pendingEmail,
}: {
  user: CurrentUser;
  values?: ProfileValues;
  errors?: FieldErrors;
  flash?: Flash | null;
  pendingEmail?: string | null;
}) {
  const { t } = useI18n();
  const avatarErrors = errors?.avatar ?? [];
  return (
    <Layout title={t('account.profile.title')} user={user} flash={flash}>
      <section class="card narrow">
        <h1>{t('account.profile.title')}</h1>
        <form method="post" action="/profile" enctype="multipart/form-data" novalidate class="stack">
          <FormErrors errors={errors} />
          <Field
            name="email"
            label={t('account.profile.email')}
            type="email"
            value={values.email ?? user.email}
            errors={errors}
            autocomplete="email"
            maxlength={EMAIL_MAX_LENGTH}
            autofocus={Boolean(errors?.email)}
            hint={pendingEmail ? t('account.profile.pendingEmail', { pending: pendingEmail, email: user.email }) : undefined}
          />
          <ConfirmPasswordField
            user={user}
            returnTo="/profile"
            name="currentPassword"
            label={t('account.profile.currentPassword')}
            errors={errors}
            autofocus={Boolean(errors?.currentPassword) && !errors?.email}
            hint={t('account.profile.currentPasswordHint')}
            required={false}
          />
          <fieldset>
            <legend>{t('account.profile.picture')}</legend>
            <div class="avatar-edit">
              <Avatar user={user} size="large" />
              <img class="avatar avatar-preview" id="avatar-preview" alt={t('account.profile.previewAlt')} width={160} height={160} hidden />
            </div>
            <div class={avatarErrors.length ? 'field field-invalid' : 'field'}>
              <label for="field-avatar">{t('account.profile.upload')}</label>
              <p class="field-hint" id="field-avatar-hint">
                {t('account.profile.uploadHint')}
              </p>
              <input
                id="field-avatar"
                name="avatar"
                type="file"
                accept="image/jpeg,image/png,image/webp,image/gif,image/avif"
                aria-invalid={avatarErrors.length ? 'true' : undefined}
                aria-describedby={avatarErrors.length ? 'field-avatar-hint field-avatar-error' : 'field-avatar-hint'}
                data-preview="avatar-preview"
              />
              <FieldErrorList id="field-avatar-error" messages={avatarErrors} />
            </div>
            {user.avatarKey ? (
              <div class="field field-checkbox">
                <input id="field-removeAvatar" name="removeAvatar" type="checkbox" value="on" checked={values.removeAvatar} />
                <label for="field-removeAvatar">{t('account.profile.removePicture')}</label>
              </div>
            ) : null}
          </fieldset>
          <p class="actions">
            <button type="submit" class="button">
              {t('account.profile.save')}
            </button>
            <a class="button button-quiet" href="/dashboard">
              {t('account.profile.cancel')}
            </a>
          </p>
        </form>
      </section>
      <script src="/static/avatar-preview.js" defer></script>
    </Layout>
  );
}
