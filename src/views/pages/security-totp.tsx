import { raw } from 'hono/html';
import type { CurrentUser } from '../../users/avatar-urls';
import { FormErrors, type FieldErrors } from '../components/field';
import type { Flash } from '../components/flash';
import { Layout } from '../layout';
import { CodeField, ConfirmPasswordField } from './security-fields';

// Enrolment, after the password on the security page: the key as a QR code (inline SVG
// made on the server) and as text to type, then a first code before it is switched on.
export function TotpSetupPage({ user, qrSvg, keyText, errors }: { user: CurrentUser; qrSvg: string; keyText: string; errors?: FieldErrors }) {
  return (
    <Layout title="Set up an authenticator app" user={user}>
      <section class="card narrow">
        <h1>Set up an authenticator app</h1>
        <ol class="setup-steps">
          <li>
            <p>In your authenticator app, add an account and scan this QR code.</p>
            <div class="qr-frame">{raw(qrSvg)}</div>
          </li>
          <li>
            <p>Cannot scan it? Choose to enter a setup key, and type this one (spaces do not matter):</p>
            <p class="totp-key">
              <code id="totp-key">{keyText}</code>
            </p>
            <p class="field-hint">Account: {user.username}. Type: time-based, 6 digits.</p>
          </li>
          <li>
            <p>Enter the 6-digit code the app now shows to turn it on. Your other sessions will be signed out.</p>
          </li>
        </ol>
        <form method="post" action="/account/security/totp/setup" novalidate>
          <FormErrors errors={errors} />
          <CodeField label="Code from the app" kind="totp" errors={errors} autofocus={Boolean(errors)} />
          <button type="submit" class="button">
            Turn on two-factor sign-in
          </button>
        </form>
        <p>
          <a href="/account/security">Cancel</a>
        </p>
      </section>
    </Layout>
  );
}

export function TurnOffTwoFactorPage({ user, errors, flash }: { user: CurrentUser; errors?: FieldErrors; flash?: Flash | null }) {
  const focusCode = Boolean(errors?.code?.length && !errors?.password?.length);
  return (
    <Layout title="Turn off two-factor sign-in" user={user} flash={flash}>
      <section class="card narrow danger-zone">
        <h1>Turn off two-factor sign-in</h1>
        <p>Signing in will need only your password, and your recovery codes will stop working. To confirm, enter your password and a code.</p>
        <form method="post" action="/account/security/totp/disable" novalidate>
          <FormErrors errors={errors} />
          <input type="text" name="username" value={user.username} autocomplete="username" hidden />
          <ConfirmPasswordField user={user} returnTo="/account/security/totp/disable" errors={errors} autofocus={Boolean(errors) && !focusCode} />
          <CodeField label="Code from your app, or a recovery code" kind="either" errors={errors} autofocus={focusCode} />
          <p class="actions">
            <button type="submit" class="button button-danger">
              Turn off two-factor sign-in
            </button>
            <a class="button button-quiet" href="/account/security">
              Keep it on
            </a>
          </p>
        </form>
      </section>
    </Layout>
  );
}
