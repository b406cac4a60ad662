import { describeUserAgent } from '../../auth/user-agent';
import type { CurrentUser } from '../../users/avatar-urls';
import { ACTIVITY_DAYS, type SecurityEvent } from '../../users/security-events';
import { Time } from '../components/time';
import { Layout } from '../layout';

const SIGN_IN_METHODS: Record<string, string> = {
  password: 'password',
  password_totp: 'password and authenticator code',
  password_recovery_code: 'password and recovery code',
  passkey: 'passkey',
};

function byStaff(event: SecurityEvent): boolean {
  return Boolean(event.actorId && event.actorId !== event.userId);
}

// What the user reads for each kind of event.
export function describeEvent(event: SecurityEvent): string {
  const staff = event.actorId && event.actorId !== event.userId ? ' (by the site’s staff)' : '';
  switch (event.type) {
    case 'signed_up':
      return 'Account created';
    case 'sign_in': {
      const method = SIGN_IN_METHODS[String(event.details.method)] ?? 'password';
      return `Signed in with ${method}`;
    }
    case 'sign_in_second_factor_failed':
      return 'Wrong second-factor code at sign-in';
    case 'password_changed':
      return `Password changed${staff}`;
    case 'password_reset':
      return 'Password reset through an emailed link';
    case 'email_changed':
      return `Email address changed from ${String(event.details.from ?? 'the old one')} to ${String(event.details.to ?? 'a new one')}`;
    case 'session_revoked':
      return `A session was signed out${staff}`;
    case 'other_sessions_revoked':
      return 'All other sessions were signed out';
    case 'two_factor_enabled':
      return 'Authenticator app turned on';
    case 'two_factor_disabled':
      return `Authenticator app turned off${staff}`;
    case 'recovery_codes_regenerated':
      return 'New recovery codes made (the old ones stopped working)';
    case 'recovery_code_used':
      return 'A recovery code was used';
    case 'passkey_added':
      return `Passkey added${event.details.name ? `: ${String(event.details.name)}` : ''}`;
    case 'passkey_removed':
      return `Passkey removed${event.details.name ? `: ${String(event.details.name)}` : ''}`;
    case 'not_me_reported':
      return '“This wasn’t me”: every session ended, a password reset required';
    case 'data_exported':
      return 'Your data was downloaded';
    case 'staff_password_confirmed':
      return 'Password confirmed for staff actions';
    case 'staff_superuser_created':
      return 'Account created as a superuser from the command line';
    default:
      return event.type.startsWith('staff_') ? `Account changed by the site’s staff (${event.type.slice(6).replaceAll('_', ' ')})` : event.type;
  }
}

export function ActivityPage({ user, events }: { user: CurrentUser; events: SecurityEvent[] }) {
  return (
    <Layout title="Account activity" user={user}>
      <section class="card stack">
        <h1>Account activity</h1>
        <p class="muted">
          Security events of the last {ACTIVITY_DAYS} days, newest first. Locations are approximate. If something here was not you,{' '}
          <a href="/account/password">change your password</a> and <a href="/account/sessions">sign out other sessions</a>.
        </p>
        {events.length === 0 ? (
          <p>Nothing in the last {ACTIVITY_DAYS} days.</p>
        ) : (
          <table class="sessions activity">
            <thead>
              <tr>
                <th scope="col">What</th>
                <th scope="col">When</th>
                <th scope="col">Device</th>
                <th scope="col">Location</th>
              </tr>
            </thead>
            <tbody>
              {events.map((event) => (
                <tr>
                  <td data-label="What">{describeEvent(event)}</td>
                  <td data-label="When">
                    <Time ms={event.createdAt} />
                  </td>
                  {/* A staff member's own device and whereabouts are not the user's to see. */}
                  <td data-label="Device">{byStaff(event) ? 'Site staff' : describeUserAgent(event.userAgent ?? undefined)}</td>
                  <td data-label="Location">{byStaff(event) ? '—' : (event.location ?? 'Unknown')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </Layout>
  );
}
