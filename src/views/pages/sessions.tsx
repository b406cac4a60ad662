import type { Session } from '../../auth/session';
import { describeUserAgent } from '../../auth/user-agent';
import { useI18n } from '../use-i18n';
import type { CurrentUser } from '../../users/avatar-urls';
import type { Flash } from '../components/flash';
import { describeSignInMethod } from '../components/sign-in-method';
import { Time } from '../components/time';
import { Layout } from '../layout';


export function SessionsPage({ user, sessions, currentId, flash }: { user: CurrentUser; sessions: Session[]; currentId: string; flash?: Flash | null }) {
  const { t, rich } = useI18n();
  const others = sessions.filter((s) => s.id !== currentId).length;
  // This device first, then the others by last use.
  const ordered = [...sessions].sort((a, b) => Number(b.id === currentId) - Number(a.id === currentId));
  return (
    <Layout title={t('account.sessions.title')} user={user} flash={flash}>
      <section class="card stack">
        <h1>{t('account.sessions.title')}</h1>
        <p class="muted">{t('account.sessions.intro')}</p>
        <table class="sessions">
          <thead>
            <tr>
              <th scope="col">{t('account.sessions.device')}</th>
              <th scope="col">{t('account.sessions.location')}</th>
              <th scope="col">{t('account.sessions.signedIn')}</th>
              <th scope="col">{t('account.sessions.lastSeen')}</th>
              <th scope="col">
                <span class="visually-hidden">{t('account.sessions.action')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {ordered.map((session) => (
              <tr>
                <td data-label={t('account.sessions.device')}>
                  {describeUserAgent(session.userAgent, t)} {session.id === currentId ? <span class="badge">{t('account.sessions.thisDevice')}</span> : null}
                </td>
                <td data-label={t('account.sessions.location')}>{session.location ?? t('account.sessions.unknownLocation')}</td>
                <td data-label={t('account.sessions.signedIn')}>
                  <Time ms={session.createdAt} />
                  <SignedInWith session={session} />
                </td>
                <td data-label={t('account.sessions.lastSeen')}>
                  <Time ms={session.lastSeenAt} />
                </td>
                <td data-label={t('account.sessions.action')}>
                  {session.id === currentId ? null : (
                    <form method="post" action={`/account/sessions/${session.id}/revoke`} class="inline-form">
                      <button type="submit" class="button button-quiet">
                        {rich(
                          'account.sessions.signOut',
                          { hidden: (text) => <span class="visually-hidden">{text}</span> },
                          { device: describeUserAgent(session.userAgent, t) },
                        )}
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {others > 0 ? (
          <form method="post" action="/account/sessions/revoke-others">
            <button type="submit" class="button">
              {t('account.sessions.signOutOthers', { count: others })}
            </button>
          </form>
        ) : (
          <p>{t('account.sessions.onlyDevice')}</p>
        )}
      </section>
    </Layout>
  );
}

function SignedInWith({ session }: { session: Session }) {
  const { t } = useI18n();
  const how = describeSignInMethod(session.signInMethod, session.providerName);
  return how ? <span class="muted"> {t('account.sessions.signedInWith', { method: how })}</span> : null;
}
