import { SIGN_IN_METHODS_PATH, type SignInMethodsOverview } from '../../account/sign-in-methods';
import type { CurrentUser } from '../../users/avatar-urls';
import { FieldErrorList } from '../components/field';
import type { Flash } from '../components/flash';
import { Time } from '../components/time';
import { Layout } from '../layout';
import { ConfirmFirst } from './security-fields';

// A refusal shown next to the form it belongs to: `link:<provider id>` or `unlink:<identity id>`.
export interface MethodError {
  form: string;
  message: string;
}

// Several forms on one page each ask for the password: ids must not collide.
function PasswordInput({ form, label, error, hasPassword }: { form: string; label: string; error?: MethodError; hasPassword: boolean }) {
  if (!hasPassword) return null;
  const id = `password-${form.replace(':', '-')}`;
  const invalid = error?.form === form;
  return (
    <div class={invalid ? 'field field-invalid' : 'field'}>
      <label for={id}>{label}</label>
      <input
        id={id}
        name="password"
        type="password"
        autocomplete="current-password"
        required
        autofocus={invalid ? true : undefined}
        aria-invalid={invalid ? 'true' : undefined}
        aria-describedby={invalid ? `${id}-error` : undefined}
      />
      <FieldErrorList id={`${id}-error`} messages={invalid ? [error.message] : []} />
    </div>
  );
}

export function SignInMethodsPage({
  user,
  methods,
  error,
  flash,
}: {
  user: CurrentUser;
  methods: SignInMethodsOverview;
  error?: MethodError;
  flash?: Flash | null;
}) {
  const formError = (form: string) => (error?.form === form && !methods.password ? <p role="alert" class="form-errors">{error.message}</p> : null);
  return (
    <Layout title="Sign-in methods" user={user} flash={flash}>
      <section class="card stack">
        <h1>Sign-in methods</h1>
        <p class="muted">Every way into your account. Keep at least one: the last one cannot be removed.</p>
        {methods.password ? null : (
          <div class="notice">
            <ConfirmFirst returnTo={SIGN_IN_METHODS_PATH} what="linking or unlinking" />
          </div>
        )}
        <ul class="link-list sign-in-methods">
          <li>
            <h2>Password</h2>
            <p>{methods.password ? 'Set.' : 'No password: this account signs in with emailed codes or the methods below.'}</p>
            <p>
              <a href="/account/password">{methods.password ? 'Change or remove password' : 'Set a password'}</a>
            </p>
          </li>
          <li>
            <h2>Codes by email</h2>
            <p>
              {methods.emailCodes
                ? `On: “Email me a sign-in code” sends a code to ${user.email}.`
                : 'Off until your address is confirmed (and, if asked, a new password chosen through a reset link).'}
            </p>
          </li>
          <li>
            <h2>Passkeys</h2>
            <p>{methods.passkeys === 0 ? 'None.' : methods.passkeys === 1 ? '1 passkey.' : `${methods.passkeys} passkeys.`}</p>
            <p>
              <a href="/account/security/passkeys">Add or manage passkeys</a>
            </p>
          </li>
          {methods.linked.map(({ identity, name }) => {
            const form = `unlink:${identity.id}`;
            return (
              <li>
                <h2>{name}</h2>
                <dl class="facts">
                  <dt>Address at {name}</dt>
                  <dd>{identity.email ?? 'None given'}</dd>
                  <dt>Linked</dt>
                  <dd>
                    <Time ms={identity.linkedAt} />
                  </dd>
                  <dt>Last used</dt>
                  <dd>{identity.lastUsedAt ? <Time ms={identity.lastUsedAt} /> : 'Never'}</dd>
                </dl>
                <form method="post" action={`${SIGN_IN_METHODS_PATH}/${identity.id}/unlink`} novalidate>
                  {formError(form)}
                  <input type="text" name="username" value={user.username} autocomplete="username" hidden />
                  <PasswordInput form={form} label="Your password, to unlink" error={error} hasPassword={methods.password} />
                  <button type="submit" class="button button-quiet">
                    Unlink<span class="visually-hidden"> {name}</span>
                  </button>
                </form>
              </li>
            );
          })}
        </ul>
      </section>
      {methods.linkable.length ? (
        <section class="card narrow stack" aria-labelledby="link-heading">
          <h2 id="link-heading">Link another way to sign in</h2>
          {methods.linkable.map((provider) => {
            const form = `link:${provider.id}`;
            return (
              <form method="post" action={`${SIGN_IN_METHODS_PATH}/${provider.id}/link`} novalidate>
                {formError(form)}
                <input type="text" name="username" value={user.username} autocomplete="username" hidden />
                <PasswordInput form={form} label={`Your password, to link ${provider.name}`} error={error} hasPassword={methods.password} />
                <button type="submit" class="button">
                  Link {provider.name}
                </button>
              </form>
            );
          })}
        </section>
      ) : null}
      <p>
        <a href="/account">Back to account and security</a>
      </p>
    </Layout>
  );
}
