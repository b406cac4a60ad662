import { useI18n } from '../use-i18n';
import { Field, FormErrors, focusField, type FieldErrors } from '../components/field';
import type { Flash } from '../components/flash';
import { Layout } from '../layout';
import { passkeyScriptMessages } from './passkeys';
import { ProviderButtons } from './provider-buttons';

export function LoginPage({
  login,
  next,
  errors,
  flash,
  providers = [],
}: {
  login?: string;
  next?: string;
  errors?: FieldErrors;
  flash?: Flash | null;
  providers?: readonly { id: string; name: string }[];
}) {
  const { t, rich } = useI18n();
  // After a failed sign-in the login is kept, so the password is what to type next.
  const focus = errors?.form && login ? 'password' : focusField(errors, ['login', 'password']);
  const action = next ? `/login?next=${encodeURIComponent(next)}` : '/login';
  return (
    <Layout title={t('auth.login.title')} flash={flash}>
      <section class="card narrow">
        <h1>{t('auth.login.title')}</h1>
        <form method="post" action={action} novalidate>
          <FormErrors errors={errors} />
          <Field name="login" label={t('auth.login.loginLabel')} value={login} errors={errors} autocomplete="username webauthn" autofocus={focus === 'login'} />
          <Field name="password" label={t('auth.login.passwordLabel')} type="password" errors={errors} autocomplete="current-password" autofocus={focus === 'password'} />
          <button type="submit" class="button">
            {t('auth.login.submit')}
          </button>
        </form>
        {/* Shown by assets/static/passkeys.js when the browser can use passkeys; it also
            offers them in the username field's autofill; what it says itself is in the
            data-msg-* attributes, in the page's language. */}
        <div class="passkey-sign-in" data-passkey-sign-in hidden {...passkeyScriptMessages()}>
          <p class="passkey-or">{t('auth.shared.or')}</p>
          <button type="button" class="button button-quiet">
            {t('auth.login.passkey')}
          </button>
          <p class="passkey-error" role="alert" data-passkey-error></p>
        </div>
        <p class="code-sign-in">
          <a class="button button-quiet" href={next ? `/login/code?next=${encodeURIComponent(next)}` : '/login/code'}>
            {t('auth.login.emailCode')}
          </a>
        </p>
        <ProviderButtons providers={providers} next={next} />
        <p class="muted">{t('auth.login.passkeyNote')}</p>
        <p>
          <a href="/password-reset">{t('auth.login.forgot')}</a>
        </p>
        <p class="muted">{rich('auth.login.newHere', { a: (text) => <a href="/register">{text}</a> })}</p>
      </section>
      <script type="module" src="/static/passkeys.js"></script>
    </Layout>
  );
}
