import type { PasskeySummary } from '../../mfa/passkeys';
import { PASSKEY_NAME_MAX_LENGTH } from '../../mfa/passkeys';
import type { CurrentUser } from '../../users/avatar-urls';
import { Field, FieldErrorList } from '../components/field';
import type { Flash } from '../components/flash';
import { Time } from '../components/time';
import { Layout } from '../layout';
import { ConfirmPasswordField } from './security-fields';

export const PASSKEYS_PATH = '/account/security/passkeys';

export interface RenameError {
  id: string;
  name: string;
  message: string;
}

// Rename lives in a <details>, so it works without JavaScript and stays out of the way.
function RenameForm({ passkey, index, error }: { passkey: PasskeySummary; index: number; error?: RenameError }) {
  const id = `passkey-name-${index}`;
  return (
    <details class="passkey-rename" open={error ? true : undefined}>
      <summary>
        Rename<span class="visually-hidden"> {passkey.name}</span>
      </summary>
      <form method="post" action={`${PASSKEYS_PATH}/${passkey.id}/rename`} novalidate>
        <div class={error ? 'field field-invalid' : 'field'}>
          <label for={id}>New name</label>
          <input
            id={id}
            name="name"
            type="text"
            value={error?.name ?? passkey.name}
            maxlength={PASSKEY_NAME_MAX_LENGTH}
            autocomplete="off"
            required
            autofocus={error ? true : undefined}
            aria-invalid={error ? 'true' : undefined}
            aria-describedby={error ? `${id}-error` : undefined}
          />
          <FieldErrorList id={`${id}-error`} messages={error ? [error.message] : []} />
        </div>
        <button type="submit" class="button button-quiet">
          Save name
        </button>
      </form>
    </details>
  );
}

function PasskeyItem({ passkey, index, renameError }: { passkey: PasskeySummary; index: number; renameError?: RenameError }) {
  return (
    <li class="passkey">
      <h2>
        {passkey.name} {passkey.backedUp ? <span class="badge">Synced</span> : null}
      </h2>
      <dl class="facts">
        <dt>Added</dt>
        <dd>
          <Time ms={passkey.createdAt} />
        </dd>
        <dt>Last used</dt>
        <dd>{passkey.lastUsedAt ? <Time ms={passkey.lastUsedAt} /> : 'Never'}</dd>
      </dl>
      <div class="passkey-actions">
        <RenameForm passkey={passkey} index={index} error={renameError?.id === passkey.id ? renameError : undefined} />
        <a class="button button-quiet" href={`${PASSKEYS_PATH}/${passkey.id}/remove`}>
          Remove…<span class="visually-hidden"> {passkey.name}</span>
        </a>
      </div>
    </li>
  );
}

// /account/security/passkeys. Adding one needs the browser's WebAuthn API: the form is
// hidden until assets/static/passkeys.js finds it, and the note says why otherwise.
export function PasskeysPage({
  user,
  passkeys,
  suggestedName,
  renameError,
  flash,
}: {
  user: CurrentUser;
  passkeys: PasskeySummary[];
  suggestedName: string;
  renameError?: RenameError;
  flash?: Flash | null;
}) {
  return (
    <Layout title="Passkeys" user={user} flash={flash}>
      <section class="card stack">
        <h1>Passkeys</h1>
        <p class="muted">
          A passkey signs you in with your fingerprint, face or screen lock, with no password to type and no code to copy. It is kept by your device or password
          manager and works only on this site. Signing in with one counts as two-factor sign-in.
        </p>
        {passkeys.length ? (
          <ul class="passkey-list">
            {passkeys.map((passkey, index) => (
              <PasskeyItem passkey={passkey} index={index} renameError={renameError} />
            ))}
          </ul>
        ) : (
          <p>You have no passkeys yet.</p>
        )}
        <p>
          <a href="/account/security">Back to two-factor sign-in</a>
        </p>
      </section>
      <section class="card narrow" aria-labelledby="add-passkey">
        <h2 id="add-passkey">Add a passkey</h2>
        <p class="muted" data-passkey-unsupported>
          Adding a passkey needs a browser that supports passkeys, with JavaScript on. You can keep signing in with your password.
        </p>
        <form method="post" action={`${PASSKEYS_PATH}/options`} data-passkey-add hidden>
          <p class="passkey-error" role="alert" data-passkey-error></p>
          <Field
            name="name"
            label="Name"
            value={suggestedName}
            maxlength={PASSKEY_NAME_MAX_LENGTH}
            autocomplete="off"
            hint="To tell your passkeys apart: the device or password manager that keeps it."
          />
          <input type="text" name="username" value={user.username} autocomplete="username" hidden />
          <ConfirmPasswordField user={user} returnTo={PASSKEYS_PATH} hint="Needed to add a new way to sign in." />
          <button type="submit" class="button">
            Add a passkey
          </button>
        </form>
      </section>
      <script type="module" src="/static/passkeys.js"></script>
    </Layout>
  );
}
