import { ACCEPTED_FORMATS_TEXT } from '../../images/avatar-image';
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
  const avatarErrors = errors?.avatar ?? [];
  return (
    <Layout title="Edit profile" user={user} flash={flash}>
      <section class="card narrow">
        <h1>Edit profile</h1>
        <form method="post" action="/profile" enctype="multipart/form-data" novalidate class="stack">
          <FormErrors errors={errors} />
          <Field
            name="email"
            label="Email address"
            type="email"
            value={values.email ?? user.email}
            errors={errors}
            autocomplete="email"
            maxlength={EMAIL_MAX_LENGTH}
            autofocus={Boolean(errors?.email)}
            hint={pendingEmail ? `Waiting for confirmation of ${pendingEmail}: open the link we sent there. Until then ${user.email} stays in use.` : undefined}
          />
          <ConfirmPasswordField
            user={user}
            returnTo="/profile"
            name="currentPassword"
            label="Current password"
            errors={errors}
            autofocus={Boolean(errors?.currentPassword) && !errors?.email}
            hint="Needed only to change your email address."
            required={false}
          />
          <fieldset>
            <legend>Profile picture</legend>
            <div class="avatar-edit">
              <Avatar user={user} size="large" />
              <img class="avatar avatar-preview" id="avatar-preview" alt="Preview of the chosen picture" width={160} height={160} hidden />
            </div>
            <div class={avatarErrors.length ? 'field field-invalid' : 'field'}>
              <label for="field-avatar">Upload a new picture</label>
              <p class="field-hint" id="field-avatar-hint">
                {ACCEPTED_FORMATS_TEXT}, up to 5 MB. It is cropped to a square; location and camera data are removed.
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
                <label for="field-removeAvatar">Remove my picture and use the default</label>
              </div>
            ) : null}
          </fieldset>
          <p class="actions">
            <button type="submit" class="button">
              Save changes
            </button>
            <a class="button button-quiet" href="/dashboard">
              Cancel
            </a>
          </p>
        </form>
      </section>
      <script src="/static/avatar-preview.js" defer></script>
    </Layout>
  );
}
