import { CONFIRM_PASSKEY_PATH } from '../../account/passkey-confirmation';
import { useI18n } from '../use-i18n';
import type { CurrentUser } from '../../users/avatar-urls';
import type { Flash } from '../components/flash';
import { Layout } from '../layout';
import { passkeyScriptMessages } from './passkeys';

// "Use a passkey": shown by assets/static/passkeys.js only when the browser can use
// passkeys (so the sentence above names only the ways that work everywhere). The script
// asks the block's options URL, and posts the browser's answer to its answer URL; what it
// says itself comes from the block's data-msg-* attributes, in the page's language.
function PasskeyChoice({ query }: { query: string }) {
  const { t } = useI18n();
  return (
    <div class="passkey-sign-in" data-passkey-confirm data-options-url={`${CONFIRM_PASSKEY_PATH}/options`} data-answer-url={`${CONFIRM_PASSKEY_PATH}${query}`} hidden {...passkeyScriptMessages()}>
      <button type="button" class="button button-quiet">
        {t('account.confirm.usePasskey')}
      </button>
      <p class="passkey-error" role="alert" data-passkey-error></p>
    </div>
  );
}

// For an account without a password: a code by email, a passkey of the account, or a
// linked provider to sign in with again, before something sensitive. `next` is the page
// to go back to (a checked same-site path).
export function ConfirmIdentityPage({
  user,
  providers,
  passkey,
  next,
  flash,
}: {
  user: CurrentUser;
  providers: { id: string; name: string }[];
  // Whether the account has a passkey.
  passkey: boolean;
  next: string;
  flash?: Flash | null;
}) {
  const { t, rich } = useI18n();
  const query = `?next=${encodeURIComponent(next)}`;
  return (
    <Layout title={t('account.confirm.title')} user={user} flash={flash}>
      <section class="card narrow stack">
        <h1>{t('account.confirm.title')}</h1>
        <p>
          {rich(providers.length ? 'account.confirm.introWithProviders' : 'account.confirm.intro', { strong: (text) => <strong>{text}</strong> }, { email: user.email })}
        </p>
        <form method="post" action={`/account/confirm-code/send${query}`}>
          <button type="submit" class="button">
            {t('account.confirm.emailCode')}
          </button>
        </form>
        {passkey ? <PasskeyChoice query={query} /> : null}
        {providers.map((provider) => (
          <form method="post" action={`/account/confirm/${provider.id}${query}`}>
            <button type="submit" class="button button-quiet">
              {t('account.confirm.continueWith', { provider: provider.name })}
            </button>
          </form>
        ))}
        <p>
          <a class="button button-quiet" href={next}>
            {t('account.confirm.back')}
          </a>
        </p>
      </section>
      {passkey ? <script type="module" src="/static/passkeys.js"></script> : null}
    </Layout>
  );
}
