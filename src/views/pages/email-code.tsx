import { CODE_LENGTH, MAX_CODE_ATTEMPTS } from '../../auth/email-codes';
import type { EmailCodePurpose } from '../../auth/email-codes';
import type { MessageKey } from '../../i18n/catalog';
import type { Translator } from '../../i18n/translator';
import { useI18n } from '../use-i18n';
import { EMAIL_MAX_LENGTH } from '../../users/identity';
import type { CurrentUser } from '../../users/avatar-urls';
import { Field, FormErrors, type FieldErrors } from '../components/field';
import type { Flash } from '../components/flash';
import { Layout } from '../layout';

// The pages of the codes sent by email (src/routes/email-codes.tsx): ask for a sign-in code,
// enter a code, confirm a link. They work without JavaScript.

// What a refused code says, in the visitor's language (the route passes c.var.i18n.t).
export const wrongEmailCode = (t: Translator['t'], attemptsLeft: number) =>
  attemptsLeft > 0 ? t('auth.emailCode.wrong', { count: attemptsLeft }) : t('auth.emailCode.wrongWornOut');

function deadCodeMessages(t: Translator['t'], errors: FieldErrors | undefined): string[] {
  const messages = [...(errors?.form ?? []), ...(errors?.code ?? [])];
  return messages.length ? messages : [t('auth.emailCode.expired')];
}

const TITLES = {
  sign_up: { title: 'auth.emailCode.signUp.title', button: 'auth.emailCode.signUp.submit' },
  sign_in: { title: 'auth.emailCode.signIn.title', button: 'auth.emailCode.signIn.submit' },
  step_up: { title: 'auth.emailCode.stepUp.title', button: 'auth.emailCode.stepUp.submit' },
} as const satisfies Record<EmailCodePurpose, { title: MessageKey; button: MessageKey }>;

// A code field that takes what mail apps and SMS/OTP autofill offer: 8 letters and digits,
// pasted with or without the dash.
export function EmailCodeField({ errors, autofocus }: { errors?: FieldErrors; autofocus?: boolean }) {
  const { t } = useI18n();
  return (
    <Field
      name="code"
      label={t('auth.emailCode.codeLabel')}
      hint={t('auth.emailCode.codeHint', { length: CODE_LENGTH })}
      errors={errors}
      autofocus={autofocus}
      autocomplete="one-time-code"
      maxlength={CODE_LENGTH + 4}
      input={{ class: 'code-input', autocapitalize: 'characters', spellcheck: false, autocorrect: 'off' }}
    />
  );
}

export function EmailCodePage({
  purpose,
  email,
  action,
  resendAction,
  errors,
  live = true,
  user,
  flash,
  back,
}: {
  purpose: EmailCodePurpose;
  email: string;
  action: string;
  resendAction: string;
  errors?: FieldErrors;
  // False: expired or worn out; only "send a new code" is offered.
  live?: boolean;
  user?: CurrentUser | null;
  flash?: Flash | null;
  back: { href: string; label: string };
}) {
  const { t, rich } = useI18n();
  const title = t(TITLES[purpose].title);
  const strong = (text: string) => <strong class="break-anywhere">{text}</strong>;
  return (
    <Layout title={title} user={user} flash={flash}>
      <section class="card narrow stack">
        <h1>{title}</h1>
        <p>{purpose === 'step_up' ? rich('auth.emailCode.sentStepUp', { strong }, { email }) : rich('auth.emailCode.sent', { strong }, { email })}</p>
        {live ? (
          <form method="post" action={action} novalidate>
            <FormErrors errors={errors} />
            <EmailCodeField errors={errors} autofocus />
            <button type="submit" class="button">
              {t(TITLES[purpose].button)}
            </button>
          </form>
        ) : (
          // No field to put a message beside: whatever was said about the code, or why it stopped.
          <FormErrors errors={{ form: deadCodeMessages(t, errors) }} />
        )}
        <form method="post" action={resendAction}>
          <input type="hidden" name="purpose" value={purpose} />
          <button type="submit" class={live ? 'button button-quiet' : 'button'}>
            {t('auth.emailCode.resend')}
          </button>
        </form>
        <p class="muted">
          {t('auth.emailCode.attempts', { count: MAX_CODE_ATTEMPTS })} <a href={back.href}>{back.label}</a>
        </p>
      </section>
    </Layout>
  );
}

export function SignInCodeRequestPage({ email, next, errors, flash }: { email?: string; next?: string; errors?: FieldErrors; flash?: Flash | null }) {
  const { t } = useI18n();
  const action = next ? `/login/code?next=${encodeURIComponent(next)}` : '/login/code';
  return (
    <Layout title={t('auth.codeRequest.title')} flash={flash}>
      <section class="card narrow stack">
        <h1>{t('auth.codeRequest.title')}</h1>
        <p>{t('auth.codeRequest.intro')}</p>
        <form method="post" action={action} novalidate>
          <FormErrors errors={errors} />
          <Field name="email" label={t('auth.codeRequest.email')} type="email" value={email} errors={errors} autocomplete="email" maxlength={EMAIL_MAX_LENGTH} autofocus />
          <button type="submit" class="button">
            {t('auth.codeRequest.submit')}
          </button>
        </form>
        <p class="muted">
          <a href={next ? `/login?next=${encodeURIComponent(next)}` : '/login'}>{t('auth.codeRequest.withPassword')}</a>
        </p>
      </section>
    </Layout>
  );
}

// The link from a code mail: a button, so a mail scanner that opens the link does nothing.
export function EmailLinkPage({ token, purpose, email, username }: { token: string; purpose: EmailCodePurpose | null; email?: string; username?: string }) {
  const { t, rich } = useI18n();
  if (!purpose) {
    return (
      <Layout title={t('auth.emailLink.expired.title')}>
        <section class="card narrow stack">
          <h1>{t('auth.emailLink.expired.heading')}</h1>
          <p>{t('auth.emailLink.expired.text')}</p>
          <p>
            <a class="button" href="/login/code">
              {t('auth.emailLink.expired.signInCode')}
            </a>{' '}
            <a class="button button-quiet" href="/register">
              {t('auth.emailLink.expired.signUp')}
            </a>
          </p>
        </section>
      </Layout>
    );
  }
  const signUp = purpose === 'sign_up';
  const title = signUp ? t('auth.emailLink.signUp.title') : t('auth.emailLink.signIn.title');
  const address = (text: string) => <strong class="break-anywhere">{text}</strong>;
  return (
    <Layout title={title}>
      <section class="card narrow stack">
        <h1>{title}</h1>
        {signUp ? (
          <p>{rich('auth.emailLink.signUp.text', { email: address, strong: (text) => <strong>{text}</strong> }, { email: email ?? '', username: username ?? '' })}</p>
        ) : (
          <p>{rich('auth.emailLink.signIn.text', { strong: address }, { email: email ?? '' })}</p>
        )}
        <form method="post" action="/email-link">
          <input type="hidden" name="token" value={token} />
          <button type="submit" class="button">
            {signUp ? t('auth.emailLink.signUp.submit') : t('auth.emailLink.signIn.submit')}
          </button>
        </form>
      </section>
    </Layout>
  );
}
