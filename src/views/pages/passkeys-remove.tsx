import type { PasskeySummary } from '../../mfa/passkeys';
import type { CurrentUser } from '../../users/avatar-urls';
import { FormErrors, type FieldErrors } from '../components/field';
import { Time } from '../components/time';
import type { Flash } from '../components/flash';
import { Layout } from '../layout';
import { PASSKEYS_PATH } from './passkeys';
import { ConfirmPasswordField } from './security-fields';

export function RemovePasskeyPage({ user, passkey, errors, flash }: { user: CurrentUser; passkey: PasskeySummary; errors?: FieldErrors; flash?: Flash | null }) {
  return (
    <Layout title="Remove a passkey" user={user} flash={flash}>
      <section class="card narrow danger-zone">
        <h1>Remove “{passkey.name}”</h1>
        <p>
          Added <Time ms={passkey.createdAt} />. Once removed it can no longer sign in to your account, and your other sessions are signed out. Delete it from your device or password manager too.
        </p>
        <form method="post" action={`${PASSKEYS_PATH}/${passkey.id}/remove`} novalidate>
          <FormErrors errors={errors} />
          <input type="text" name="username" value={user.username} autocomplete="username" hidden />
          <ConfirmPasswordField user={user} returnTo={`${PASSKEYS_PATH}/${passkey.id}/remove`} errors={errors} autofocus={Boolean(errors)} />
          <p class="actions">
            <button type="submit" class="button button-danger">
              Remove passkey
            </button>
            <a class="button button-quiet" href={PASSKEYS_PATH}>
              Keep it
            </a>
          </p>
        </form>
      </section>
    </Layout>
  );
}
