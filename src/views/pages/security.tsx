import { useI18n } from '../use-i18n';
import type { CurrentUser } from '../../users/avatar-urls';
import type { FieldErrors } from '../components/field';
import type { Flash } from '../components/flash';
import { Time } from '../components/time';
import { Layout } from '../layout';
import { ConfirmPasswordField } from './security-fields';

export interface TwoFactorStatus {
  // When the authenticator app was turned on; null when it is off.
  enabledAt: number | null;
  recoveryCodesLeft: number;
}

// /account/security: whether sign-in asks for a second factor, and what to do about it.
export function SecurityPage({ user, status, errors, flash }: { user: CurrentUser; status: TwoFactorStatus; errors?: FieldErrors; flash?: Flash | null }) {
  const { t, rich } = useI18n();
  const on = status.enabledAt !== null;
  return (
    <Layout title={t('security.overview.title')} user={user} flash={flash}>
      <section class="card narrow">
        <h1>{t('security.overview.title')}</h1>
        <p class="muted">{t('security.overview.intro')}</p>
        <h2>
          {t('security.overview.appHeading')} <span class={on ? 'badge badge-success' : 'badge'}>{on ? t('security.overview.on') : t('security.overview.off')}</span>
        </h2>
        {on ? (
          <p>{rich('security.overview.turnedOn', { time: () => <Time ms={status.enabledAt!} /> })}</p>
        ) : (
          <>
            <p>{t('security.overview.anyApp')}</p>
            <form method="post" action="/account/security/totp" novalidate>
              <input type="text" name="username" value={user.username} autocomplete="username" hidden />
              <ConfirmPasswordField user={user} returnTo="/account/security" errors={errors} autofocus={Boolean(errors)} />
              <button type="submit" class="button">
                {t('security.overview.setUp')}
              </button>
            </form>
          </>
        )}
        {on ? (
          <>
            <h2>{t('security.overview.recoveryHeading')}</h2>
            <p>{t('security.overview.recoveryLeft', { count: status.recoveryCodesLeft })}</p>
            <p>
              <a class="button button-quiet" href="/account/security/recovery-codes">
                {t('security.overview.makeNewCodes')}
              </a>
            </p>
          </>
        ) : null}
      </section>
      <section class="card narrow">
        <h2>{t('security.overview.passkeysHeading')}</h2>
        <p>{t('security.overview.passkeysIntro')}</p>
        <p>
          <a class="button button-quiet" href="/account/security/passkeys">
            {t('security.overview.managePasskeys')}
          </a>
        </p>
      </section>
      {on ? (
        <section class="card narrow danger-zone">
          <h2>{t('security.overview.turnOffHeading')}</h2>
          <p>{t('security.overview.turnOffIntro')}</p>
          <p>
            <a class="button button-danger" href="/account/security/totp/disable">
              {t('security.overview.turnOff')}
            </a>
          </p>
        </section>
      ) : null}
    </Layout>
  );
}
