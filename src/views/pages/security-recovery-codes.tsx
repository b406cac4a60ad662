import { useI18n } from '../use-i18n';
import type { Translator } from '../../i18n/translator';
import type { CurrentUser } from '../../users/avatar-urls';
import { FormErrors, type FieldErrors } from '../components/field';
import type { Flash } from '../components/flash';
import { Layout } from '../layout';
import { ConfirmPasswordField } from './security-fields';

// The file keeps an ISO-like UTC time (read on paper, years later, in any language).
function codesAsText(t: Translator['t'], username: string, codes: string[], madeAt: number): string {
  return [
    t('security.recovery.fileHeading', { username }),
    t('security.recovery.fileMade', { time: new Date(madeAt).toISOString().slice(0, 16).replace('T', ' ') }),
    '',
    ...codes,
    '',
  ].join('\n');
}

// Shown once, right after the codes are made: nothing can show them again (only hashes are
// kept). Download works without JavaScript (a data: link); "Copy" needs the small script,
// which takes its two messages from the button's data- attributes.
export function RecoveryCodesPage({ user, codes, madeAt, intro }: { user: CurrentUser; codes: string[]; madeAt: number; intro: string }) {
  const { t, rich } = useI18n();
  const text = codesAsText(t, user.username, codes, madeAt);
  return (
    <Layout title={t('security.recovery.saveTitle')} user={user}>
      <section class="card narrow">
        <h1>{t('security.recovery.saveTitle')}</h1>
        <p class="flash flash-success" role="status">
          {intro}
        </p>
        <p>{rich('security.recovery.explain', { strong: (part) => <strong>{part}</strong> })}</p>
        <ol class="recovery-codes" id="recovery-codes">
          {codes.map((code) => (
            <li>
              <code>{code}</code>
            </li>
          ))}
        </ol>
        <p class="actions">
          <a class="button" href={`data:text/plain;charset=utf-8,${encodeURIComponent(text)}`} download="edge-accounts-recovery-codes.txt">
            {t('security.recovery.download')}
          </a>
          <button
            type="button"
            class="button button-quiet"
            data-copy={text}
            data-copy-status="copy-status"
            hidden
            data-copied-message={t('security.recovery.copied')}
            data-copy-failed-message={t('security.recovery.copyFailed')}
          >
            {t('security.recovery.copy')}
          </button>
        </p>
        <p id="copy-status" class="muted" role="status"></p>
        <p>
          <a href="/account/security">{t('security.recovery.saved')}</a>
        </p>
      </section>
      <script src="/static/copy-text.js" defer></script>
    </Layout>
  );
}

export function NewRecoveryCodesPage({ user, errors, flash }: { user: CurrentUser; errors?: FieldErrors; flash?: Flash | null }) {
  const { t } = useI18n();
  return (
    <Layout title={t('security.recovery.newTitle')} user={user} flash={flash}>
      <section class="card narrow">
        <h1>{t('security.recovery.newTitle')}</h1>
        <p>{t('security.recovery.newIntro')}</p>
        <form method="post" action="/account/security/recovery-codes" novalidate>
          <FormErrors errors={errors} />
          <input type="text" name="username" value={user.username} autocomplete="username" hidden />
          <ConfirmPasswordField
            user={user}
            returnTo="/account/security/recovery-codes"
            label={t('security.recovery.passwordLabel')}
            errors={errors}
            autofocus={Boolean(errors)}
          />
          <button type="submit" class="button">
            {t('security.recovery.newSubmit')}
          </button>
        </form>
        <p>
          <a href="/account/security">{t('security.recovery.cancel')}</a>
        </p>
      </section>
    </Layout>
  );
}
