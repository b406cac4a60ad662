import { raw } from 'hono/html';
import { useI18n } from '../use-i18n';
import type { CurrentUser } from '../../users/avatar-urls';
import { FormErrors, type FieldErrors } from '../components/field';
import type { Flash } from '../components/flash';
import { Layout } from '../layout';
import { CodeField, ConfirmPasswordField } from './security-fields';

// Enrolment, after the password on the security page: the key as a QR code (inline SVG
// made on the server) and as text to type, then a first code before it is switched on.
export function TotpSetupPage({ user, qrSvg, keyText, errors }: { user: CurrentUser; qrSvg: string; keyText: string; errors?: FieldErrors }) {
  const { t } = useI18n();
  return (
    <Layout title={t('security.totp.setupTitle')} user={user}>
      <section class="card narrow">
        <h1>{t('security.totp.setupTitle')}</h1>
        <ol class="setup-steps">
          <li>
            <p>{t('security.totp.scan')}</p>
            <div class="qr-frame">{raw(qrSvg)}</div>
          </li>
          <li>
            <p>{t('security.totp.cannotScan')}</p>
            <p class="totp-key">
              <code id="totp-key">{keyText}</code>
            </p>
            <p class="field-hint">{t('security.totp.keyDetails', { username: user.username })}</p>
          </li>
          <li>
            <p>{t('security.totp.enterCode')}</p>
          </li>
        </ol>
        <form method="post" action="/account/security/totp/setup" novalidate>
          <FormErrors errors={errors} />
          <CodeField label={t('security.totp.codeLabel')} kind="totp" errors={errors} autofocus={Boolean(errors)} />
          <button type="submit" class="button">
            {t('security.totp.turnOn')}
          </button>
        </form>
        <p>
          <a href="/account/security">{t('security.totp.cancel')}</a>
        </p>
      </section>
    </Layout>
  );
}

export function TurnOffTwoFactorPage({ user, errors, flash }: { user: CurrentUser; errors?: FieldErrors; flash?: Flash | null }) {
  const { t } = useI18n();
  const focusCode = Boolean(errors?.code?.length && !errors?.password?.length);
  return (
    <Layout title={t('security.totp.offTitle')} user={user} flash={flash}>
      <section class="card narrow danger-zone">
        <h1>{t('security.totp.offTitle')}</h1>
        <p>{t('security.totp.offIntro')}</p>
        <form method="post" action="/account/security/totp/disable" novalidate>
          <FormErrors errors={errors} />
          <input type="text" name="username" value={user.username} autocomplete="username" hidden />
          <ConfirmPasswordField user={user} returnTo="/account/security/totp/disable" errors={errors} autofocus={Boolean(errors) && !focusCode} />
          <CodeField label={t('security.totp.offCodeLabel')} kind="either" errors={errors} autofocus={focusCode} />
          <p class="actions">
            <button type="submit" class="button button-danger">
              {t('security.totp.offSubmit')}
            </button>
            <a class="button button-quiet" href="/account/security">
              {t('security.totp.keepOn')}
            </a>
          </p>
        </form>
      </section>
    </Layout>
  );
}
