import { useI18n } from '../use-i18n';
import type { PasskeySummary } from '../../mfa/passkeys';
import type { CurrentUser } from '../../users/avatar-urls';
import { FormErrors, type FieldErrors } from '../components/field';
import { Time } from '../components/time';
import type { Flash } from '../components/flash';
import { Layout } from '../layout';
import { PASSKEYS_PATH } from './passkeys';
import { ConfirmPasswordField } from './security-fields';

export function RemovePasskeyPage({ user, passkey, errors, flash }: { user: CurrentUser; passkey: PasskeySummary; errors?: FieldErrors; flash?: Flash | null }) {
  const { t, rich } = useI18n();
  return (
    <Layout title={t('security.passkeyRemove.title')} user={user} flash={flash}>
      <section class="card narrow danger-zone">
        <h1>{t('security.passkeyRemove.heading', { name: passkey.name })}</h1>
        <p>{rich('security.passkeyRemove.explain', { time: () => <Time ms={passkey.createdAt} /> })}</p>
        <form method="post" action={`${PASSKEYS_PATH}/${passkey.id}/remove`} novalidate>
          <FormErrors errors={errors} />
          <input type="text" name="username" value={user.username} autocomplete="username" hidden />
          <ConfirmPasswordField user={user} returnTo={`${PASSKEYS_PATH}/${passkey.id}/remove`} errors={errors} autofocus={Boolean(errors)} />
          <p class="actions">
            <button type="submit" class="button button-danger">
              {t('security.passkeyRemove.submit')}
            </button>
            <a class="button button-quiet" href={PASSKEYS_PATH}>
              {t('security.passkeyRemove.keep')}
            </a>
          </p>
        </form>
      </section>
    </Layout>
  );
}
