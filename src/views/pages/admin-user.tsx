import type { UserDetails } from '../../admin/user-details';
import { STAFF_ACTIONS, type StaffAction } from '../../admin/staff-actions';
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
  return (
    <dl class="facts">
      <dt>Email</dt>
      <dd>
        {target.email} {target.emailVerifiedAt ? <Badge tone="success">Verified</Badge> : <Badge tone="warning">Not verified</Badge>}
      </dd>
      <dt>Joined</dt>
      <dd>
        <Time ms={target.dateJoined.getTime()} />
      </dd>
      <dt>Last sign-in</dt>
      <dd>
        <MaybeTime ms={target.lastLogin?.getTime()} />
      </dd>
      <dt>Flags</dt>
      <dd>
        {target.isActive ? 'Active ' : null}
        {target.isActive && !target.isStaff && !target.isSuperuser ? null : <UserFlags user={target} />}
        {target.mustResetPassword ? <Badge tone="warning">Must reset password</Badge> : null}
      </dd>
      <dt>Two-factor sign-in</dt>
      <dd>{target.twoFactorEnabled ? 'On (authenticator app)' : 'Off'}</dd>
      <dt>Live sessions</dt>
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
  const target = details.user;
  const base = `/admin/users/${target.id}`;
  const buttons = BUTTON_ACTIONS.filter((action) => actions.includes(action));
  return (
    <Layout title={`${target.username} · Staff`} user={user} flash={flash}>
      <AdminNav current="users" />
      <section class="card profile-card">
        <Avatar user={{ ...avatar, username: target.username }} size="large" />
        <div>
          <h1>{target.username}</h1>
          <UserFacts target={target} liveSessions={details.liveSessions} />
        </div>
      </section>
      <section class="card stack" aria-labelledby="actions-heading">
        <h2 id="actions-heading">Actions</h2>
        {buttons.length ? (
          <div class="actions">
            {buttons.map((action) => (
              <form method="post" action={`${base}/${action}`} class="inline-form">
                <button type="submit" class="button button-quiet">
                  {STAFF_ACTIONS[action].label}
                </button>
              </form>
            ))}
          </div>
        ) : (
          <p>{actions.includes('delete') ? 'Only deletion is available for this account.' : 'You cannot change this account.'}</p>
        )}
        <p class="muted">Actions ask for your password if you have not confirmed it in the last 15 minutes. Each one is recorded in the audit log.</p>
      </section>
      <section class="card stack" aria-labelledby="providers-heading">
        <h2 id="providers-heading">Sign-in providers</h2>
        {details.identities.length === 0 ? (
          <p>None linked.</p>
        ) : (
          <dl class="facts">
            {details.identities.map((identity) => (
              <>
                <dt>{identity.providerId}</dt>
                <dd>
                  {identity.email ?? 'no address given'} ({identity.issuer}); linked <Time ms={identity.linkedAt} />, last used{' '}
                  <MaybeTime ms={identity.lastUsedAt ?? undefined} />
                  {actions.includes('unlink-provider') ? (
                    <form method="post" action={`${base}/unlink-provider`} class="inline-form">
                      <input type="hidden" name="identityId" value={identity.id} />
                      <button type="submit" class="button button-quiet">
                        {STAFF_ACTIONS['unlink-provider'].label}
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
        <h2 id="events-heading">Recent security events</h2>
        {details.events.length === 0 ? (
          <p>None in the last 90 days.</p>
        ) : (
          <EventsTable events={details.events} staffDetails />
        )}
        <p>
          <a href={`/admin/audit?target=${encodeURIComponent(target.username)}`}>Staff actions on this account</a>
        </p>
      </section>
      {actions.includes('delete') ? (
        <section class="card danger-zone" aria-labelledby="delete-heading">
          <h2 id="delete-heading">Delete this account</h2>
          <p>Removes the account, its profile, picture and sessions, like the owner deleting it. It cannot be undone.</p>
          <form method="post" action={`${base}/delete`} novalidate>
            <Field name="confirmUsername" label="Type the username to confirm" errors={errors} autocomplete="off" autofocus={Boolean(errors)} />
            <button type="submit" class="button button-danger">
              Delete account
            </button>
          </form>
        </section>
      ) : null}
    </Layout>
  );
}
