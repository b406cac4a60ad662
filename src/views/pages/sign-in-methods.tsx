import { SIGN_IN_METHODS_PATH, type SignInMethodsOverview } from '../../account/sign-in-methods';
import { useI18n } from '../use-i18n';
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
  const { t, rich } = useI18n();
  const formError = (form: string) => (error?.form === form && !methods.password ? <p role="alert" class="form-errors">{error.message}</p> : null);
  return (
    <Layout title={t('account.methods.title')} user={user} flash={flash}>
      <section class="card stack">
        <h1>{t('account.methods.title')}</h1>
        <p class="muted">{t('account.methods.intro')}</p>
        {methods.password ? null : (
          <div class="notice">
            <ConfirmFirst returnTo={SIGN_IN_METHODS_PATH} what="linking or unlinking" />
          </div>
        )}
        <ul class="link-list sign-in-methods">
          <li>
            <h2>{t('account.methods.password.heading')}</h2>
            <p>{methods.password ? t('account.methods.password.set') : t('account.methods.password.none')}</p>
            <p>
              <a href="/account/password">{methods.password ? t('account.methods.password.change') : t('account.methods.password.setLink')}</a>
            </p>
          </li>
          <li>
            <h2>{t('account.methods.emailCodes.heading')}</h2>
            <p>{methods.emailCodes ? t('account.methods.emailCodes.on', { email: user.email }) : t('account.methods.emailCodes.off')}</p>
          </li>
          <li>
            <h2>{t('account.methods.passkeys.heading')}</h2>
            <p>{methods.passkeys === 0 ? t('account.methods.passkeys.none') : t('account.methods.passkeys.count', { count: methods.passkeys })}</p>
            <p>
              <a href="/account/security/passkeys">{t('account.methods.passkeys.manage')}</a>
            </p>
          </li>
          {methods.linked.map(({ identity, name }) => {
            const form = `unlink:${identity.id}`;
            return (
              <li>
                <h2>{name}</h2>
                <dl class="facts">
                  <dt>{t('account.methods.provider.address', { provider: name })}</dt>
                  <dd>{identity.email ?? t('account.methods.provider.noAddress')}</dd>
                  <dt>{t('account.methods.provider.linked')}</dt>
                  <dd>
                    <Time ms={identity.linkedAt} />
                  </dd>
                  <dt>{t('account.methods.provider.lastUsed')}</dt>
                  <dd>{identity.lastUsedAt ? <Time ms={identity.lastUsedAt} /> : t('account.methods.provider.never')}</dd>
                </dl>
                <form method="post" action={`${SIGN_IN_METHODS_PATH}/${identity.id}/unlink`} novalidate>
                  {formError(form)}
                  <input type="text" name="username" value={user.username} autocomplete="username" hidden />
                  <PasswordInput form={form} label={t('account.methods.provider.unlinkPassword')} error={error} hasPassword={methods.password} />
                  <button type="submit" class="button button-quiet">
                    {rich('account.methods.provider.unlink', { hidden: (text) => <span class="visually-hidden">{text}</span> }, { provider: name })}
                  </button>
                </form>
              </li>
            );
          })}
        </ul>
      </section>
      {methods.linkable.length ? (
        <section class="card narrow stack" aria-labelledby="link-heading">
          <h2 id="link-heading">{t('account.methods.link.heading')}</h2>
          {methods.linkable.map((provider) => {
            const form = `link:${provider.id}`;
            return (
              <form method="post" action={`${SIGN_IN_METHODS_PATH}/${provider.id}/link`} novalidate>
                {formError(form)}
                <input type="text" name="username" value={user.username} autocomplete="username" hidden />
                <PasswordInput form={form} label={t('account.methods.link.password', { provider: provider.name })} error={error} hasPassword={methods.password} />
                <button type="submit" class="button">
                  {t('account.methods.link.button', { provider: provider.name })}
                </button>
              </form>
            );
          })}
        </section>
      ) : null}
      <p>
        <a href="/account">{t('account.methods.back')}</a>
      </p>
    </Layout>
  );
}
