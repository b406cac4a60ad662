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

// For the message after a change that ends every other session.
export function describeSignedOutSessions(count: number): string {
  return count === 1 ? '1 other session was signed out.' : `${count} other sessions were signed out.`;
}

// /account/security: whether sign-in asks for a second factor, and what to do about it.
export function SecurityPage({ user, status, errors, flash }: { user: CurrentUser; status: TwoFactorStatus; errors?: FieldErrors; flash?: Flash | null }) {
  const on = status.enabledAt !== null;
  return (
    <Layout title="Two-factor sign-in" user={user} flash={flash}>
      <section class="card narrow">
        <h1>Two-factor sign-in</h1>
        <p class="muted">
          After your password, sign-in asks for a code from an authenticator app on your phone, so a stolen password alone cannot open your account.
        </p>
        <h2>
          Authenticator app <span class={on ? 'badge badge-success' : 'badge'}>{on ? 'On' : 'Off'}</span>
        </h2>
        {on ? (
          <p>
            Turned on <Time ms={status.enabledAt!} />.
          </p>
        ) : (
          <>
            <p>
              Any app that makes time-based codes works, such as Google Authenticator, Microsoft Authenticator, Aegis, 1Password or Bitwarden. Turning it on
              signs out your other sessions.
            </p>
            <form method="post" action="/account/security/totp" novalidate>
              <input type="text" name="username" value={user.username} autocomplete="username" hidden />
              <ConfirmPasswordField user={user} returnTo="/account/security" errors={errors} autofocus={Boolean(errors)} />
              <button type="submit" class="button">
                Set up an authenticator app
              </button>
            </form>
          </>
        )}
        {on ? (
          <>
            <h2>Recovery codes</h2>
            <p>
              {status.recoveryCodesLeft === 1 ? '1 unused code' : `${status.recoveryCodesLeft} unused codes`}. Each one signs you in once instead of a code from the
              app, if you lose your phone.
            </p>
            <p>
              <a class="button button-quiet" href="/account/security/recovery-codes">
                Make new recovery codes…
              </a>
            </p>
          </>
        ) : null}
      </section>
      <section class="card narrow">
        <h2>Passkeys</h2>
        <p>Sign in with your fingerprint, face or screen lock instead of a password and code.</p>
        <p>
          <a class="button button-quiet" href="/account/security/passkeys">
            Manage passkeys
          </a>
        </p>
      </section>
      {on ? (
        <section class="card narrow danger-zone">
          <h2>Turn off two-factor sign-in</h2>
          <p>Signing in will need only your password, and your recovery codes will stop working.</p>
          <p>
            <a class="button button-danger" href="/account/security/totp/disable">
              Turn off…
            </a>
          </p>
        </section>
      ) : null}
    </Layout>
  );
}
