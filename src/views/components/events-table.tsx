import { describeUserAgent } from '../../auth/user-agent';
import type { SecurityEvent } from '../../users/security-events';
import { describeSignInMethod } from './sign-in-method';
import { Time } from './time';

// Events name the provider by its label where they have it, else by its id.
function providerLabel(details: Record<string, unknown>): string {
  const name = details.providerName ?? details.provider;
  return typeof name === 'string' && name ? name : 'a sign-in provider';
}

// Done by a staff member to this account, not by its owner.
function byStaff(event: SecurityEvent): boolean {
  return Boolean(event.actorId && event.actorId !== event.userId);
}

// What the user reads for each kind of event.
export function describeEvent(event: SecurityEvent): string {
  const staff = event.actorId && event.actorId !== event.userId ? ' (by the site’s staff)' : '';
  switch (event.type) {
    case 'signed_up':
      return event.details.method === 'email_code' ? 'Account created, its address confirmed with an emailed code' : 'Account created';
    case 'sign_in': {
      const provider = event.details.method === 'provider' ? providerLabel(event.details) : undefined;
      return `Signed in with ${describeSignInMethod(String(event.details.method), provider) ?? 'password'}`;
    }
    case 'sign_in_second_factor_failed':
      return 'Wrong second-factor code at sign-in';
    case 'password_changed':
      return `Password changed${staff}`;
    case 'password_set':
      return 'Password set (the account had none)';
    case 'password_removed':
      return 'Password removed: sign-in with emailed codes and the other ways left';
    case 'password_reset':
      return 'Password reset through an emailed link';
    case 'email_confirmed':
      return `Email address confirmed${event.details.email ? `: ${String(event.details.email)}` : ''}`;
    case 'email_change_requested':
      return `Asked to change the email address to ${String(event.details.to ?? 'a new one')}`;
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
    case 'identity_confirmed':
      return `Confirmed it was you with ${providerLabel(event.details)}`;
    case 'provider_linked':
      return `Sign-in with ${providerLabel(event.details)} linked`;
    case 'provider_unlinked':
      return `Sign-in with ${providerLabel(event.details)} unlinked${staff}`;
    case 'staff_password_confirmed':
      return 'Password confirmed for staff actions';
    case 'staff_superuser_created':
      return 'Account created as a superuser from the command line';
    case 'staff_unlinked_provider':
      return `Sign-in with ${providerLabel(event.details)} unlinked by the site’s staff`;
    case 'staff_two_factor_reset':
      return 'Two-factor sign-in turned off by the site’s staff (authenticator app and recovery codes removed)';
    default:
      return event.type.startsWith('staff_') ? `Account changed by the site’s staff (${event.type.slice(6).replaceAll('_', ' ')})` : event.type;
  }
}

// A list of security events. `staffDetails`: show where a staff member acted from (for
// staff); the account's owner sees "Site staff" instead of another person's device and place.
export function EventsTable({ events, staffDetails = false }: { events: SecurityEvent[]; staffDetails?: boolean }) {
  return (
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
        {events.map((event) => {
          const hidden = byStaff(event) && !staffDetails;
          return (
            <tr>
              <td data-label="What">{describeEvent(event)}</td>
              <td data-label="When">
                <Time ms={event.createdAt} />
              </td>
              <td data-label="Device">{hidden ? 'Site staff' : describeUserAgent(event.userAgent ?? undefined)}</td>
              <td data-label="Location">{hidden ? '—' : (event.location ?? 'Unknown')}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
