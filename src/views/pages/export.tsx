import type { CurrentUser } from '../../users/avatar-urls';
import { FormErrors, type FieldErrors } from '../components/field';
import { ConfirmPasswordField } from './security-fields';
import type { Flash } from '../components/flash';
import { Layout } from '../layout';

export function ExportPage({ user, errors, flash }: { user: CurrentUser; errors?: FieldErrors; flash?: Flash | null }) {
  return (
    <Layout title="Download your data" user={user} flash={flash}>
      <section class="card narrow stack">
        <h1>Download your data</h1>
        <p>A ZIP file with everything this site keeps about your account:</p>
        <ul>
          <li>
            <code>account.json</code>: your username, email address, when you joined and last signed in, the devices where you are signed in (with
            their approximate location), and your account activity since you joined, with the addresses it came from.
          </li>
          <li>
            <code>avatar.webp</code>: your profile picture, if you have one.
          </li>
        </ul>
        <p class="muted">
          Your password, two-factor secrets, recovery codes and sign-in tokens are never included: we store only hashes or encrypted copies of
          them, and they would be of no use to you. The file is made for you now and not kept on the server.
        </p>
        <form method="post" action="/account/export" novalidate>
          <FormErrors errors={errors} />
          <input type="text" name="username" value={user.username} autocomplete="username" hidden />
          <ConfirmPasswordField user={user} returnTo="/account/export" label="Your password, to confirm" errors={errors} autofocus={Boolean(errors)} />
          <p class="actions">
            <button type="submit" class="button">
              Download my data
            </button>
            <a class="button button-quiet" href="/account">
              Back to your account
            </a>
          </p>
        </form>
      </section>
    </Layout>
  );
}
