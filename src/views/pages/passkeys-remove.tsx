import type { PasskeySummary } from '../../mfa/passkeys';
import type { CurrentUser } from '../../users/avatar-urls';
import { Field, FormErrors, type FieldErrors } from '../components/field';
import { Time } from '../components/time';
import { Layout } from '../layout';
import { PASSKEYS_PATH } from './passkeys';

export function RemovePasskeyPage({ user, passkey, errors }: { user: CurrentUser; passkey: PasskeySummary; errors?: FieldErrors }) {
  return (
    <Layout title="Remove a passkey" user={user}>
      <section class="card narrow danger-zone">
        <h1>Remove “{passkey.name}”</h1>
        <p>
          Added <Time ms={passkey.createdAt} />. Once removed it can no longer sign in to your account, and your other sessions are signed out. Delete it from your device or password manager too.
        </p>
        <form method="post" action={`${PASSKEYS_PATH}/${passkey.id}/remove`} novalidate>
          <FormErrors errors={errors} />
          <input type="text" name="username" value={user.username} autocomplete="username" hidden />
          <Field name="password" label="Your password" type="password" errors={errors} autocomplete="current-password" autofocus={Boolean(errors)} />
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
