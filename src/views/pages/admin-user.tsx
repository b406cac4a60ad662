import type { UserDetails } from '../../admin/user-details';
import { STAFF_ACTIONS, type StaffAction } from '../../admin/staff-actions';
import { useI18n } from '../use-i18n';
import type { AvatarUrls, CurrentUser } from '../../users/avatar-urls';
import { Avatar } from '../components/avatar';
import { Field, type FieldErrors } from '../components/field';
import type { Flash } from '../components/flash';
import { Time } from '../components/time';
import { EventsTable } from '../components/events-table';
import { Layout } from '../layout';
import { AdminNav, Badge, MaybeTime, UserFlags } from './admin-nav';

// Every action but deletion is one button; deletion asks for the username below.
const BUTTON_ACTIONS: StaffAction[] = [
  'deactivate',
  'reactivate',
  'sign-out',
  'remove-avatar',
  'password-reset',
  'reset-two-factor',
  'grant-staff',
  'grant-superuser',
  'remove-superuser',
  'remove-staff',
];

function UserFacts({ target, liveSessions }: { target: UserDetails['user']; liveSessions: number }) {
  const { t } = useI18n();
  return (
    <dl class="facts">
      <dt>{t('admin.common.email')}</dt>
      <dd>
        {target.email} {target.emailVerifiedAt ? <Badge tone="success">{t('admin.common.verified')}</Badge> : <Badge tone="warning">{t('admin.common.notVerified')}</Badge>}
      </dd>
      <dt>{t('admin.common.joined')}</dt>
      <dd>
        <Time ms={target.dateJoined.getTime()} />
      </dd>
      <dt>{t('admin.common.lastSignIn')}</dt>
      <dd>
        <MaybeTime ms={target.lastLogin?.getTime()} />
      </dd>
      <dt>{t('admin.common.flags')}</dt>
      <dd>
        {target.isActive ? `${t('admin.common.active')} ` : null}
        {target.isActive && !target.isStaff && !target.isSuperuser ? null : <UserFlags user={target} />}
        {target.mustResetPassword ? <Badge tone="warning">{t('admin.user.mustReset')}</Badge> : null}
      </dd>
      <dt>{t('admin.user.twoFactor')}</dt>
      <dd>{target.twoFactorEnabled ? t('admin.user.twoFactorOn') : t('admin.user.twoFactorOff')}</dd>
      <dt>{t('admin.user.liveSessions')}</dt>
      <dd>{liveSessions}</dd>
    </dl>
  );
}

export function AdminUserPage({
  user,
  details,
  avatar,
  actions,
  flash,
  errors,
}: {
  user: CurrentUser;
  details: UserDetails;
  avatar: AvatarUrls;
  actions: StaffAction[];
  flash?: Flash | null;
  errors?: FieldErrors;
}) {
  const { t, rich } = useI18n();
  const target = details.user;
  const base = `/admin/users/${target.id}`;
  const buttons = BUTTON_ACTIONS.filter((action) => actions.includes(action));
  return (
    <Layout title={t('admin.page.title', { title: target.username })} user={user} flash={flash}>
      <AdminNav current="users" />
      <section class="card profile-card">
        <Avatar user={{ ...avatar, username: target.username }} size="large" />
        <div>
          <h1>{target.username}</h1>
          <UserFacts target={target} liveSessions={details.liveSessions} />
        </div>
      </section>
      <section class="card stack" aria-labelledby="actions-heading">
        <h2 id="actions-heading">{t('admin.user.actions')}</h2>
        {buttons.length ? (
          <div class="actions">
            {buttons.map((action) => (
              <form method="post" action={`${base}/${action}`} class="inline-form">
                <button type="submit" class="button button-quiet">
                  {t(STAFF_ACTIONS[action].label)}
                </button>
              </form>
            ))}
          </div>
        ) : (
          <p>{actions.includes('delete') ? t('admin.user.onlyDeletion') : t('admin.user.noActions')}</p>
        )}
        <p class="muted">{t('admin.user.actionsNote')}</p>
      </section>
      <section class="card stack" aria-labelledby="providers-heading">
        <h2 id="providers-heading">{t('admin.user.providers')}</h2>
        {details.identities.length === 0 ? (
          <p>{t('admin.user.noProviders')}</p>
        ) : (
          <dl class="facts">
            {details.identities.map((identity) => (
              <>
                <dt>{identity.providerId}</dt>
                <dd>
                  {identity.email ?? t('admin.user.noAddress')} ({identity.issuer});{' '}
                  {rich('admin.user.linkedUsed', {
                    linked: () => <Time ms={identity.linkedAt} />,
                    used: () => <MaybeTime ms={identity.lastUsedAt ?? undefined} />,
                  })}
                  {actions.includes('unlink-provider') ? (
                    <form method="post" action={`${base}/unlink-provider`} class="inline-form">
                      <input type="hidden" name="identityId" value={identity.id} />
                      <button type="submit" class="button button-quiet">
                        {t(STAFF_ACTIONS['unlink-provider'].label)}
                        <span class="visually-hidden"> {identity.providerId}</span>
                      </button>
                    </form>
                  ) : null}
                </dd>
              </>
            ))}
          </dl>
        )}
      </section>
      <section class="card stack" aria-labelledby="events-heading">
        <h2 id="events-heading">{t('admin.user.events')}</h2>
        {details.events.length === 0 ? (
          <p>{t('admin.user.noEvents')}</p>
        ) : (
          <EventsTable events={details.events} staffDetails />
        )}
        <p>
          <a href={`/admin/audit?target=${encodeURIComponent(target.username)}`}>{t('admin.user.auditLink')}</a>
        </p>
      </section>
      {actions.includes('delete') ? (
        <section class="card danger-zone" aria-labelledby="delete-heading">
          <h2 id="delete-heading">{t('admin.user.deleteHeading')}</h2>
          <p>{t('admin.user.deleteText')}</p>
          <form method="post" action={`${base}/delete`} novalidate>
            <Field name="confirmUsername" label={t('admin.user.deleteConfirm')} errors={errors} autocomplete="off" autofocus={Boolean(errors)} />
            <button type="submit" class="button button-danger">
              {t('admin.user.deleteButton')}
            </button>
          </form>
        </section>
      ) : null}
    </Layout>
  );
}
