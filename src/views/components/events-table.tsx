import { describeUserAgent } from '../../auth/user-agent';
import type { MessageKey } from '../../i18n/catalog';
import type { Translator } from '../../i18n/translator';
import { useI18n } from '../use-i18n';
import type { SecurityEvent } from '../../users/security-events';
import { describeSignInMethod } from './sign-in-method';
import { Time } from './time';

// Events name the provider by its label where they have it, else by its id.
function providerLabel(t: Translator['t'], details: Record<string, unknown>): string {
  const name = details.providerName ?? details.provider;
  return typeof name === 'string' && name ? name : t('account.signInMethod.provider');
}

// Done by a staff member to this account, not by its owner.
function byStaff(event: SecurityEvent): boolean {
  return Boolean(event.actorId && event.actorId !== event.userId);
}

// The staff actions that only ever show as "Account changed by the site's staff (…)".
const STAFF_CHANGES = {
  staff_avatar_removed: 'account.event.staffAvatarRemoved',
  staff_deactivated: 'account.event.staffDeactivated',
  staff_deleted_account: 'account.event.staffDeletedAccount',
  staff_granted_staff: 'account.event.staffGrantedStaff',
  staff_granted_superuser: 'account.event.staffGrantedSuperuser',
  staff_password_reset_sent: 'account.event.staffPasswordResetSent',
  staff_reactivated: 'account.event.staffReactivated',
  staff_removed_staff: 'account.event.staffRemovedStaff',
  staff_removed_superuser: 'account.event.staffRemovedSuperuser',
  staff_signed_out_everywhere: 'account.event.staffSignedOutEverywhere',
} as const satisfies Record<string, MessageKey>;

const staffChangeKeys: Record<string, (typeof STAFF_CHANGES)[keyof typeof STAFF_CHANGES] | undefined> = STAFF_CHANGES;

// What the user reads for each kind of event, in the request's language (English outside one).
export function describeEvent(event: SecurityEvent): string {
  const { t } = useI18n();
  const staff = byStaff(event);
  const details = event.details;
  const text = (value: unknown) => String(value);
  switch (event.type) {
    case 'signed_up':
      return t(details.method === 'email_code' ? 'account.event.signedUpEmailCode' : 'account.event.signedUp');
    case 'sign_in': {
      const provider = details.method === 'provider' ? providerLabel(t, details) : undefined;
      return t('account.event.signIn', { method: describeSignInMethod(String(details.method), provider) ?? t('account.signInMethod.password') });
    }
    case 'sign_in_second_factor_failed':
      return t('account.event.secondFactorFailed');
    case 'password_changed':
      return t(staff ? 'account.event.passwordChangedByStaff' : 'account.event.passwordChanged');
    case 'password_set':
      return t('account.event.passwordSet');
    case 'password_removed':
      return t('account.event.passwordRemoved');
    case 'password_reset':
      return t('account.event.passwordReset');
    case 'email_confirmed':
      return details.email ? t('account.event.emailConfirmedAddress', { email: text(details.email) }) : t('account.event.emailConfirmed');
    case 'email_change_requested':
      return details.to != null ? t('account.event.emailChangeRequested', { to: text(details.to) }) : t('account.event.emailChangeRequestedUnknown');
    case 'email_changed': {
      // Either address may be missing from an old record: each case is a whole sentence.
      const from = details.from != null ? text(details.from) : null;
      const to = details.to != null ? text(details.to) : null;
      if (from !== null && to !== null) return t('account.event.emailChanged', { from, to });
      if (to !== null) return t('account.event.emailChangedFromUnknown', { to });
      if (from !== null) return t('account.event.emailChangedToUnknown', { from });
      return t('account.event.emailChangedUnknown');
    }
    case 'session_revoked':
      return t(staff ? 'account.event.sessionRevokedByStaff' : 'account.event.sessionRevoked');
    case 'other_sessions_revoked':
      return t('account.event.otherSessionsRevoked');
    case 'two_factor_enabled':
      return t('account.event.twoFactorEnabled');
    case 'two_factor_disabled':
      return t(staff ? 'account.event.twoFactorDisabledByStaff' : 'account.event.twoFactorDisabled');
    case 'recovery_codes_regenerated':
      return t('account.event.recoveryCodesRegenerated');
    case 'recovery_code_used':
      return t('account.event.recoveryCodeUsed');
    case 'passkey_added':
      return details.name ? t('account.event.passkeyAddedNamed', { name: text(details.name) }) : t('account.event.passkeyAdded');
    case 'passkey_removed':
      return details.name ? t('account.event.passkeyRemovedNamed', { name: text(details.name) }) : t('account.event.passkeyRemoved');
    case 'not_me_reported':
      return t('account.event.notMeReported');
    case 'data_exported':
      return t('account.event.dataExported');
    case 'identity_confirmed':
      return t('account.event.identityConfirmed', { provider: providerLabel(t, details) });
    case 'provider_linked':
      return t('account.event.providerLinked', { provider: providerLabel(t, details) });
    case 'provider_unlinked':
      return t(staff ? 'account.event.providerUnlinkedByStaff' : 'account.event.providerUnlinked', { provider: providerLabel(t, details) });
    case 'staff_password_confirmed':
      return t('account.event.staffPasswordConfirmed');
    case 'staff_superuser_created':
      return t('account.event.staffSuperuserCreated');
    case 'staff_unlinked_provider':
      return t('account.event.staffUnlinkedProvider', { provider: providerLabel(t, details) });
    case 'staff_two_factor_reset':
      return t('account.event.staffTwoFactorReset');
    default: {
      const key = staffChangeKeys[event.type];
      if (key) return t(key);
      // A kind this list does not know yet: its code, in words.
      return event.type.startsWith('staff_') ? t('account.event.staffOther', { action: event.type.slice(6).replaceAll('_', ' ') }) : event.type;
    }
  }
}

// A list of security events. `staffDetails`: show where a staff member acted from (for
// staff); the account's owner sees "Site staff" instead of another person's device and place.
export function EventsTable({ events, staffDetails = false }: { events: SecurityEvent[]; staffDetails?: boolean }) {
  const { t } = useI18n();
  return (
    <table class="sessions activity">
      <thead>
        <tr>
          <th scope="col">{t('account.events.what')}</th>
          <th scope="col">{t('account.events.when')}</th>
          <th scope="col">{t('account.events.device')}</th>
          <th scope="col">{t('account.events.location')}</th>
        </tr>
      </thead>
      <tbody>
        {events.map((event) => {
          const hidden = byStaff(event) && !staffDetails;
          return (
            <tr>
              <td data-label={t('account.events.what')}>{describeEvent(event)}</td>
              <td data-label={t('account.events.when')}>
                <Time ms={event.createdAt} />
              </td>
              <td data-label={t('account.events.device')}>{hidden ? t('account.events.siteStaff') : describeUserAgent(event.userAgent ?? undefined, t)}</td>
              <td data-label={t('account.events.location')}>{hidden ? '—' : (event.location ?? t('account.events.unknownLocation'))}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
