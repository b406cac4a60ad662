import { hasUsablePassword } from '../../auth/password-hash';
import type { CurrentUser } from '../../users/avatar-urls';
import { Field, FormErrors, focusField, type FieldErrors } from '../components/field';
import type { Flash } from '../components/flash';
import { Layout } from '../layout';
import { ConfirmPasswordField } from './security-fields';

export function AccountPage({ user, flash }: { user: CurrentUser; flash?: Flash | null }) {
  return (
    <Layout title="Account and security" user={user} flash={flash}>
      <section class="card narrow stack">
        <h1>Account and security</h1>
        <nav aria-label="Account settings">
          <ul class="link-list">
            <li>
              <a href="/profile">Email address and picture</a>
            </li>
            <li>
              <a href="/account/password">Change password</a>
            </li>
            <li>
              <a href="/account/sign-in-methods">Sign-in methods</a>
            </li>
            <li>
              <a href="/account/security">Two-factor sign-in</a>
            </li>
            <li>
              <a href="/account/sessions">Where you are signed in</a>
            </li>
            <li>
              <a href="/account/activity">Account activity</a>
            </li>
            <li>
              <a href="/account/export">Download your data</a>
            </li>
          </ul>
        </nav>
      </section>
      <section class="card narrow" aria-labelledby="passkeys-heading">
        <h2 id="passkeys-heading">Passkeys</h2>
        <p>Sign in with your fingerprint, face or device PIN instead of typing your password.</p>
        <p>
          <a class="button button-quiet" href="/account/security/passkeys">
            Add or manage passkeys
          </a>
        </p>
      </section>
      <section class="card narrow danger-zone">
        <h2>Delete account</h2>
        <p>Removes your account, profile, picture and every session. This cannot be undone.</p>
        <p>
          <a class="button button-danger" href="/account/delete">
            Delete my account…
          </a>
        </p>
      </section>
    </Layout>
  );
}

export function PasswordChangePage({ user, errors, removeErrors, flash }: { user: CurrentUser; errors?: FieldErrors; removeErrors?: FieldErrors; flash?: Flash | null }) {
  const focus = focusField(errors, ['currentPassword', 'password', 'passwordConfirm']);
  // An account made through a sign-in provider has none yet: it sets one.
  const setting = !hasUsablePassword(user.passwordHash);
  const title = setting ? 'Set a password' : 'Change password';
  return (
    <Layout title={title} user={user} flash={flash}>
      <section class="card narrow">
        <h1>{title}</h1>
        <p class="muted">
          {setting ? 'Then you can also sign in with your username or email and this password. ' : ''}You stay signed in here; every other device is
          signed out.
        </p>
        <form method="post" action="/account/password" novalidate>
          <FormErrors errors={errors} />
          <input type="text" name="username" value={user.username} autocomplete="username" hidden />
          <ConfirmPasswordField user={user} returnTo="/account/password" name="currentPassword" label="Current password" errors={errors} autofocus={focus === 'currentPassword'} />
          <Field name="password" label="New password" type="password" errors={errors} autocomplete="new-password" autofocus={focus === 'password'} hint="At least 8 characters, not only digits, not a common password, not like your username or email." />
          <Field name="passwordConfirm" label="Confirm new password" type="password" errors={errors} autocomplete="new-password" autofocus={focus === 'passwordConfirm'} />
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
  return (
    <section class="card narrow" aria-labelledby="remove-password">
      <h2 id="remove-password">Sign in without a password</h2>
      {user.emailVerifiedAt ? (
        <form method="post" action="/account/password/remove" novalidate>
          <p class="muted">
            Remove your password and sign in with codes we email to {user.email} (and your passkeys or linked providers, if any). Every other device is
            signed out. You can set a password again at any time.
          </p>
          <FormErrors errors={errors} />
          <Field name="removePassword" label="Your password, to remove it" type="password" errors={errors} autocomplete="current-password" autofocus={Boolean(errors)} />
          <button type="submit" class="button button-quiet">
            Remove my password
          </button>
        </form>
      ) : (
        <p class="muted">Confirm your email address first (see your dashboard): then you can remove your password and sign in with emailed codes.</p>
      )}
    </section>
  );
}

export function DeleteAccountPage({ user, errors, flash }: { user: CurrentUser; errors?: FieldErrors; flash?: Flash | null }) {
  return (
    <Layout title="Delete account" user={user} flash={flash}>
      <section class="card narrow danger-zone">
        <h1>Delete your account</h1>
        <p>
          This permanently removes the account <strong>{user.username}</strong>, its profile and picture, and signs out every device. It cannot be
          undone.
        </p>
        <form method="post" action="/account/delete" novalidate>
          <FormErrors errors={errors} />
          <input type="text" name="username" value={user.username} autocomplete="username" hidden />
          <ConfirmPasswordField user={user} returnTo="/account/delete" label="Your password, to confirm" errors={errors} autofocus={Boolean(errors)} />
          <p class="actions">
            <button type="submit" class="button button-danger">
              Delete my account
            </button>
            <a class="button button-quiet" href="/account">
              Keep my account
            </a>
          </p>
        </form>
      </section>
    </Layout>
  );
}
