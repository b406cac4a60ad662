import type { Translator } from '../../i18n/translator';
import { useI18n } from '../use-i18n';
import { FormErrors, type FieldErrors } from '../components/field';
import { Layout } from '../layout';
import { passkeyScriptMessages } from './passkeys';
import { CodeField } from './security-fields';

export type SecondStepView = 'totp' | 'recovery_code' | 'passkey';

// What the account has for a second step (src/mfa/other-credentials.ts findAccountFactors).
export interface SecondStepChoices {
  totp: boolean;
  passkeys: boolean;
}

// How the first step went, as the pending sign-in keeps it.
export interface FirstStep {
  firstFactor: string;
  providerName?: string;
}

// Which form to show: the one asked for, if the account has it. Codes need the app;
// an account with only passkeys gets the passkey.
export function chooseSecondStepView(choices: SecondStepChoices, asked?: string): SecondStepView {
  if (!choices.totp) return 'passkey';
  return asked === 'recovery' || asked === 'recovery_code' ? 'recovery_code' : 'totp';
}

function firstStepDone(t: Translator['t'], first: FirstStep): string {
  switch (first.firstFactor) {
    case 'provider':
      return first.providerName ? t('auth.twoFactor.done.provider', { provider: first.providerName }) : t('auth.twoFactor.done.someProvider');
    case 'email_code':
      return t('auth.twoFactor.done.emailCode');
    case 'password':
      return t('auth.twoFactor.done.password');
    default:
      return '';
  }
}

// Shown by assets/static/passkeys.js when the browser can use passkeys; without it (no
// JavaScript, an old browser) the note says so instead. The script's own messages come from
// the block's data-msg-* attributes, in the page's language.
function PasskeyChoice({ only }: { only: boolean }) {
  const { t } = useI18n();
  return (
    <>
      <div class="passkey-sign-in" data-passkey-second-step hidden {...passkeyScriptMessages()}>
        {only ? null : <p class="passkey-or">{t('auth.shared.or')}</p>}
        <button type="button" class={only ? 'button' : 'button button-quiet'}>
          {t('auth.twoFactor.passkey.button')}
        </button>
        <p class="passkey-error" role="alert" data-passkey-error></p>
      </div>
      <p class="muted" data-passkey-unsupported>
        {only ? t('auth.twoFactor.passkey.unsupportedOnly') : t('auth.twoFactor.passkey.unsupported')}
      </p>
    </>
  );
}

function CodeForm({ method, first, errors }: { method: 'totp' | 'recovery_code'; first: FirstStep; errors?: FieldErrors }) {
  const { t } = useI18n();
  const totp = method === 'totp';
  const done = firstStepDone(t, first);
  return (
    <>
      <h1>{totp ? t('auth.twoFactor.totp.heading') : t('auth.twoFactor.recovery.heading')}</h1>
      <p class="muted">{t('auth.twoFactor.doneThen', { done, next: totp ? t('auth.twoFactor.totp.text') : t('auth.twoFactor.recovery.text') })}</p>
      <form method="post" action="/login/two-factor" novalidate>
        <FormErrors errors={errors} />
        <input type="hidden" name="method" value={method} />
        <CodeField label={totp ? t('auth.twoFactor.totp.label') : t('auth.twoFactor.recovery.label')} kind={method} errors={errors} autofocus />
        <button type="submit" class="button">
          {t('auth.twoFactor.submit')}
        </button>
      </form>
    </>
  );
}

// The second step of a sign-in: a code from the app, a recovery code, or a passkey, as
// the account has them.
export function TwoFactorSignInPage({
  method,
  choices,
  first,
  errors,
}: {
  method: SecondStepView;
  choices: SecondStepChoices;
  first: FirstStep;
  errors?: FieldErrors;
}) {
  const { t } = useI18n();
  return (
    <Layout title={t('auth.twoFactor.title')}>
      <section class="card narrow">
        {method === 'passkey' ? (
          <>
            <h1>{t('auth.twoFactor.passkey.heading')}</h1>
            <p class="muted">{t('auth.twoFactor.doneThen', { done: firstStepDone(t, first), next: t('auth.twoFactor.passkey.text') }).trim()}</p>
          </>
        ) : (
          <CodeForm method={method} first={first} errors={errors} />
        )}
        {choices.passkeys ? <PasskeyChoice only={!choices.totp} /> : null}
        {choices.totp ? (
          <p>
            {method === 'totp' ? <a href="/login/two-factor?use=recovery">{t('auth.twoFactor.useRecovery')}</a> : <a href="/login/two-factor">{t('auth.twoFactor.useApp')}</a>}
          </p>
        ) : null}
        <p class="muted">
          <a href="/login">{t('auth.twoFactor.cancel')}</a>
        </p>
      </section>
      {choices.passkeys ? <script type="module" src="/static/passkeys.js"></script> : null}
    </Layout>
  );
}
