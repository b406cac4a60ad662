import type { Session } from '../../auth/session';
import { describeUserAgent } from '../../auth/user-agent';
import type { CurrentUser } from '../../users/avatar-urls';
import type { Flash } from '../components/flash';
import { describeSignInMethod } from '../components/sign-in-method';
import { Time } from '../components/time';
import { Layout } from '../layout';


export function SessionsPage({ user, sessions, currentId, flash }: { user: CurrentUser; sessions: Session[]; currentId: string; flash?: Flash | null }) {
  const others = sessions.filter((s) => s.id !== currentId).length;
  // This device first, then the others by last use.
  const ordered = [...sessions].sort((a, b) => Number(b.id === currentId) - Number(a.id === currentId));
  return (
    <Layout title="Where you are signed in" user={user} flash={flash}>
      <section class="card stack">
        <h1>Where you are signed in</h1>
        <p class="muted">Locations are approximate. A device you sign out is refused everywhere as soon as the change is saved.</p>
        <table class="sessions">
          <thead>
            <tr>
              <th scope="col">Device</th>
              <th scope="col">Location</th>
              <th scope="col">Signed in</th>
              <th scope="col">Last seen</th>
              <th scope="col">
                <span class="visually-hidden">Action</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {ordered.map((session) => (
              <tr>
                <td data-label="Device">
                  {describeUserAgent(session.userAgent)} {session.id === currentId ? <span class="badge">This device</span> : null}
                </td>
                <td data-label="Location">{session.location ?? 'Unknown'}</td>
                <td data-label="Signed in">
                  <Time ms={session.createdAt} />
                  <SignedInWith session={session} />
                </td>
                <td data-label="Last seen">
                  <Time ms={session.lastSeenAt} />
                </td>
                <td data-label="Action">
                  {session.id === currentId ? null : (
                    <form method="post" action={`/account/sessions/${session.id}/revoke`} class="inline-form">
                      <button type="submit" class="button button-quiet">
                        Sign out<span class="visually-hidden"> {describeUserAgent(session.userAgent)}</span>
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
              Sign out all other sessions ({others})
            </button>
          </form>
        ) : (
          <p>This is the only device signed in to your account.</p>
        )}
      </section>
    </Layout>
  );
}

function SignedInWith({ session }: { session: Session }) {
  const how = describeSignInMethod(session.signInMethod, session.providerName);
  return how ? <span class="muted"> with {how}</span> : null;
}
