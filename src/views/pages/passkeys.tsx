import { useI18n } from '../use-i18n';
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

// What assets/static/passkeys.js says by itself (the rest comes from the server), in the
// visitor's language: put on every element the script sets up (the add form here, the
// sign-in block of /login, the second-step block of /login/two-factor, the confirmation
// block of /account/confirm). No inline script (CSP).
export function passkeyScriptMessages(): Record<string, string> {
  const { t } = useI18n();
  return {
    'data-msg-generic': t('security.passkeyScript.generic'),
    'data-msg-cancelled': t('security.passkeyScript.cancelled'),
    'data-msg-already-kept': t('security.passkeyScript.alreadyKept'),
    'data-msg-wrong-address': t('security.passkeyScript.wrongAddress'),
  };
}

// The passkey's name for screen readers only, where the message puts it. The name is not a
// message param: a name like "<b>x</b>" must not be taken for a tag.
function hiddenName(name: string) {
  return () => <span class="visually-hidden"> {name}</span>;
}

// Rename lives in a <details>, so it works without JavaScript and stays out of the way.
function RenameForm({ passkey, index, error }: { passkey: PasskeySummary; index: number; error?: RenameError }) {
  const { t, rich } = useI18n();
  const id = `passkey-name-${index}`;
  return (
    <details class="passkey-rename" open={error ? true : undefined}>
      <summary>{rich('security.passkeys.rename', { name: hiddenName(passkey.name) })}</summary>
      <form method="post" action={`${PASSKEYS_PATH}/${passkey.id}/rename`} novalidate>
        <div class={error ? 'field field-invalid' : 'field'}>
          <label for={id}>{t('security.passkeys.newName')}</label>
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
          {t('security.passkeys.saveName')}
        </button>
      </form>
    </details>
  );
}

function PasskeyItem({ passkey, index, renameError }: { passkey: PasskeySummary; index: number; renameError?: RenameError }) {
  const { t, rich } = useI18n();
  return (
    <li class="passkey">
      <h2>
        {passkey.name} {passkey.backedUp ? <span class="badge">{t('security.passkeys.synced')}</span> : null}
      </h2>
      <dl class="facts">
        <dt>{t('security.passkeys.added')}</dt>
        <dd>
          <Time ms={passkey.createdAt} />
        </dd>
        <dt>{t('security.passkeys.lastUsed')}</dt>
        <dd>{passkey.lastUsedAt ? <Time ms={passkey.lastUsedAt} /> : t('security.passkeys.never')}</dd>
      </dl>
      <div class="passkey-actions">
        <RenameForm passkey={passkey} index={index} error={renameError?.id === passkey.id ? renameError : undefined} />
        <a class="button button-quiet" href={`${PASSKEYS_PATH}/${passkey.id}/remove`}>
          {rich('security.passkeys.remove', { name: hiddenName(passkey.name) })}
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
  const { t } = useI18n();
  return (
    <Layout title={t('security.passkeys.title')} user={user} flash={flash}>
      <section class="card stack">
        <h1>{t('security.passkeys.title')}</h1>
        <p class="muted">{t('security.passkeys.intro')}</p>
        {passkeys.length ? (
          <ul class="passkey-list">
            {passkeys.map((passkey, index) => (
              <PasskeyItem passkey={passkey} index={index} renameError={renameError} />
            ))}
          </ul>
        ) : (
          <p>{t('security.passkeys.none')}</p>
        )}
        <p>
          <a href="/account/security">{t('security.passkeys.back')}</a>
        </p>
      </section>
      <section class="card narrow" aria-labelledby="add-passkey">
        <h2 id="add-passkey">{t('security.passkeys.addHeading')}</h2>
        <p class="muted" data-passkey-unsupported>
          {t('security.passkeys.unsupported')}
        </p>
        <form method="post" action={`${PASSKEYS_PATH}/options`} data-passkey-add hidden {...passkeyScriptMessages()}>
          <p class="passkey-error" role="alert" data-passkey-error></p>
          <Field
            name="name"
            label={t('security.passkeys.nameLabel')}
            value={suggestedName}
            maxlength={PASSKEY_NAME_MAX_LENGTH}
            autocomplete="off"
            hint={t('security.passkeys.nameHint')}
          />
          <input type="text" name="username" value={user.username} autocomplete="username" hidden />
          <ConfirmPasswordField user={user} returnTo={PASSKEYS_PATH} hint={t('security.passkeys.passwordHint')} />
          <button type="submit" class="button">
            {t('security.passkeys.addSubmit')}
          </button>
        </form>
      </section>
      <script type="module" src="/static/passkeys.js"></script>
    </Layout>
  );
}
