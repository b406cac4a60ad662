import { CODE_LENGTH, MAX_CODE_ATTEMPTS } from '../../auth/email-codes';
import type { EmailCodePurpose } from '../../auth/email-codes';
import { EMAIL_MAX_LENGTH } from '../../users/identity';
import type { CurrentUser } from '../../users/avatar-urls';
import { Field, FormErrors, type FieldErrors } from '../components/field';
import type { Flash } from '../components/flash';
import { Layout } from '../layout';

// The pages of the codes sent by email (src/routes/email-codes.tsx): ask for a sign-in code,
// enter a code, confirm a link. They work without JavaScript.

export const WRONG_EMAIL_CODE = (attemptsLeft: number) =>
  attemptsLeft > 0
    ? `That code is not right. Check the newest email and try again (${attemptsLeft} ${attemptsLeft === 1 ? 'try' : 'tries'} left).`
    : 'That code is not right, and it no longer works after too many tries. Send a new code.';
export const EXPIRED_EMAIL_CODE = `That code has expired (codes work for 10 minutes) or was replaced by a newer one. Send a new code.`;

function deadCodeMessages(errors: FieldErrors | undefined): string[] {
  const messages = [...(errors?.form ?? []), ...(errors?.code ?? [])];
  return messages.length ? messages : [EXPIRED_EMAIL_CODE];
}

const TITLES: Record<EmailCodePurpose, { title: string; button: string }> = {
  sign_up: { title: 'Confirm your email address', button: 'Create account' },
  sign_in: { title: 'Enter your sign-in code', button: 'Sign in' },
  step_up: { title: 'Confirm it is you', button: 'Confirm' },
};

// A code field that takes what mail apps and SMS/OTP autofill offer: 8 letters and digits,
// pasted with or without the dash.
export function EmailCodeField({ errors, autofocus }: { errors?: FieldErrors; autofocus?: boolean }) {
  return (
    <Field
      name="code"
      label="Code"
      hint={`${CODE_LENGTH} letters and digits, like ABCD-EFGH. Dashes and spaces do not matter.`}
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
  const { title, button } = TITLES[purpose];
  return (
    <Layout title={title} user={user} flash={flash}>
      <section class="card narrow stack">
        <h1>{title}</h1>
        <p>
          We sent a code to <strong class="break-anywhere">{email}</strong>
          {purpose === 'step_up' ? '.' : ', with a link that does the same.'} It works for 10 minutes
          {purpose === 'step_up' ? '' : ', and the code only in this browser'}. If it does not arrive in a minute, check your spam folder.
        </p>
        {live ? (
          <form method="post" action={action} novalidate>
            <FormErrors errors={errors} />
            <EmailCodeField errors={errors} autofocus />
            <button type="submit" class="button">
              {button}
            </button>
          </form>
        ) : (
          // No field to put a message beside: whatever was said about the code, or why it stopped.
          <FormErrors errors={{ form: deadCodeMessages(errors) }} />
        )}
        <form method="post" action={resendAction}>
          <input type="hidden" name="purpose" value={purpose} />
          <button type="submit" class={live ? 'button button-quiet' : 'button'}>
            Send a new code
          </button>
        </form>
        <p class="muted">
          At most {MAX_CODE_ATTEMPTS} tries per code. <a href={back.href}>{back.label}</a>
        </p>
      </section>
    </Layout>
  );
}

export function SignInCodeRequestPage({ email, next, errors, flash }: { email?: string; next?: string; errors?: FieldErrors; flash?: Flash | null }) {
  const action = next ? `/login/code?next=${encodeURIComponent(next)}` : '/login/code';
  return (
    <Layout title="Sign in with a code" flash={flash}>
      <section class="card narrow stack">
        <h1>Sign in with a code</h1>
        <p>Enter the address of your account: we email you a code to sign in with, no password needed.</p>
        <form method="post" action={action} novalidate>
          <FormErrors errors={errors} />
          <Field name="email" label="Email address" type="email" value={email} errors={errors} autocomplete="email" maxlength={EMAIL_MAX_LENGTH} autofocus />
          <button type="submit" class="button">
            Email me a sign-in code
          </button>
        </form>
        <p class="muted">
          <a href={next ? `/login?next=${encodeURIComponent(next)}` : '/login'}>Sign in with a password instead</a>
        </p>
      </section>
    </Layout>
  );
}

// The link from a code mail: a button, so a mail scanner that opens the link does nothing.
export function EmailLinkPage({ token, purpose, email, username }: { token: string; purpose: EmailCodePurpose | null; email?: string; username?: string }) {
  if (!purpose) {
    return (
      <Layout title="Link expired">
        <section class="card narrow stack">
          <h1>This link no longer works</h1>
          <p>Links in our emails work once, for 10 minutes, and a newer email replaces them. Ask for a new one.</p>
          <p>
            <a class="button" href="/login/code">
              Email me a sign-in code
            </a>{' '}
            <a class="button button-quiet" href="/register">
              Create an account
            </a>
          </p>
        </section>
      </Layout>
    );
  }
  const signUp = purpose === 'sign_up';
  return (
    <Layout title={signUp ? 'Create your account' : 'Sign in'}>
      <section class="card narrow stack">
        <h1>{signUp ? 'Create your account' : 'Sign in'}</h1>
        {signUp ? (
          <p>
            Press the button to confirm <strong class="break-anywhere">{email}</strong> and create the account <strong>{username}</strong>. Only do so if you signed up
            yourself: if not, close this page and nothing happens.
          </p>
        ) : (
          <p>
            Press the button to sign in to the account of <strong class="break-anywhere">{email}</strong> in this browser.
          </p>
        )}
        <form method="post" action="/email-link">
          <input type="hidden" name="token" value={token} />
          <button type="submit" class="button">
            {signUp ? 'Create my account' : 'Sign me in'}
          </button>
        </form>
      </section>
    </Layout>
  );
}
