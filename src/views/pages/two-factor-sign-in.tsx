import { FormErrors, type FieldErrors } from '../components/field';
import { Layout } from '../layout';
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

function firstStepDone(first: FirstStep): string {
  switch (first.firstFactor) {
    case 'provider':
      return `${first.providerName ?? 'Your sign-in provider'} confirmed who you are.`;
    case 'email_code':
      return 'The emailed code was right.';
    case 'password':
      return 'Your password was right.';
    default:
      return '';
  }
}

// Shown by assets/static/passkeys.js when the browser can use passkeys; without it (no
// JavaScript, an old browser) the note says so instead.
function PasskeyChoice({ only }: { only: boolean }) {
  return (
    <>
      <div class="passkey-sign-in" data-passkey-second-step hidden>
        {only ? null : <p class="passkey-or">or</p>}
        <button type="button" class={only ? 'button' : 'button button-quiet'}>
          Use your passkey
        </button>
        <p class="passkey-error" role="alert" data-passkey-error></p>
      </div>
      <p class="muted" data-passkey-unsupported>
        {only
          ? 'Using your passkey needs JavaScript and a browser that supports passkeys. Turn JavaScript on and reload this page, or use a device that has your passkey.'
          : 'Using your passkey needs JavaScript and a browser that supports passkeys: enter a code instead.'}
      </p>
    </>
  );
}

function CodeForm({ method, first, errors }: { method: 'totp' | 'recovery_code'; first: FirstStep; errors?: FieldErrors }) {
  const totp = method === 'totp';
  const done = firstStepDone(first);
  return (
    <>
      <h1>{totp ? 'Enter the code from your app' : 'Enter a recovery code'}</h1>
      <p class="muted">
        {totp
          ? `${done} Open your authenticator app and enter the 6-digit code it shows for Edge Accounts.`
          : `${done} Enter one of the recovery codes you saved when you set up two-factor sign-in. Each code works once.`}
      </p>
      <form method="post" action="/login/two-factor" novalidate>
        <FormErrors errors={errors} />
        <input type="hidden" name="method" value={method} />
        <CodeField label={totp ? '6-digit code' : 'Recovery code'} kind={method} errors={errors} autofocus />
        <button type="submit" class="button">
          Sign in
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
  return (
    <Layout title="Two-factor sign-in">
      <section class="card narrow">
        {method === 'passkey' ? (
          <>
            <h1>Use your passkey</h1>
            <p class="muted">{`${firstStepDone(first)} To finish signing in, use one of the passkeys on your account.`.trim()}</p>
          </>
        ) : (
          <CodeForm method={method} first={first} errors={errors} />
        )}
        {choices.passkeys ? <PasskeyChoice only={!choices.totp} /> : null}
        {choices.totp ? (
          <p>
            {method === 'totp' ? <a href="/login/two-factor?use=recovery">Use a recovery code instead</a> : <a href="/login/two-factor">Use a code from your app instead</a>}
          </p>
        ) : null}
        <p class="muted">
          <a href="/login">Cancel and start again</a>
        </p>
      </section>
      {choices.passkeys ? <script type="module" src="/static/passkeys.js"></script> : null}
    </Layout>
  );
}
