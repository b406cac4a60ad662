import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env';
import { requireUser, userOf } from '../http/current-user';
import { commonPasswordsOf, loadCommonPasswords } from '../http/common-passwords';
import { confirmPasswordSchema, fieldErrors, passwordChangeSchema, removePasswordSchema } from '../auth/forms';
import { changePassword } from '../auth/password-change';
import { hasUsablePassword } from '../auth/password-hash';
import { confirmIdentity } from '../auth/password-confirmation';
import { askToConfirmIdentity, refuseConfirmation } from '../http/refused-confirmation';
import { isSessionRevoked, revokeOtherSessions, revokeSession } from '../auth/session-revocation';
import { setSessionCookie } from '../http/session-cookie';
import { findUserSession, listUserSessions } from '../auth/user-sessions';
import { deleteSessionCookie } from '../http/session-cookie';
import { setFlash, takeFlash } from '../http/flash';
import { tooManyRequests } from '../http/too-many-requests';
import { requestContext } from '../http/request-context';
import { absoluteUrl } from '../mail/links';
import { sendQuietly } from '../mail/mailer';
import { passwordChangedNotice, passwordRemovedNotice, passwordSetNotice } from '../mail/messages';
import { removePassword } from '../auth/password-removal';
import { deleteAccount } from '../account/account-deletion';
import { listUserEvents } from '../users/security-events';
import { ActivityPage } from '../views/pages/activity';
import { AccountPage, DeleteAccountPage, PasswordChangePage } from '../views/pages/account';
import { SessionsPage } from '../views/pages/sessions';

export const accountRoutes = new Hono<AppEnv>()
  .use('/account/*', requireUser)
  .get('/account', (c) => c.html(<AccountPage user={c.var.user!} flash={takeFlash(c)} />))
  .get('/account/password', (c) => c.html(<PasswordChangePage user={c.var.user!} flash={takeFlash(c)} />))
  .post(
    '/account/password',
    loadCommonPasswords,
    zValidator('form', passwordChangeSchema, (result, c) => {
      if (!result.success) return c.html(<PasswordChangePage user={userOf(c)} errors={fieldErrors(result.error)} />, 422);
    }),
    async (c) => {
      const { currentPassword, password = '', passwordConfirm = '' } = c.req.valid('form');
      const result = await changePassword(c.var.db, c.env.SESSIONS, commonPasswordsOf(c), c.var.user!, { currentPassword, password, passwordConfirm }, c.var.session!, requestContext(c));
      if (!result.ok && result.reason === 'locked') return tooManyRequests(c, result.retryAfterSeconds);
      if (!result.ok && result.reason === 'confirmation-needed') return askToConfirmIdentity(c, '/account/password');
      if (!result.ok) return c.html(<PasswordChangePage user={c.var.user!} errors={result.errors} />, 422);
      setSessionCookie(c, result.token, result.session.expiresAt);
      const user = c.var.user!;
      const notice = hasUsablePassword(user.passwordHash) ? passwordChangedNotice : passwordSetNotice;
      c.executionCtx.waitUntil(sendQuietly(c.var.mailer(), notice(user.email, user.username, absoluteUrl(c.var.config, '/password-reset'))));
      const done = hasUsablePassword(user.passwordHash) ? 'account.password.changed' : 'account.password.set';
      setFlash(c, { kind: 'success', message: c.var.i18n.t(done, { count: result.signedOut }) });
      return c.redirect('/account', 303);
    },
  )
  .post('/account/password/remove', zValidator('form', removePasswordSchema), async (c) => {
    const user = c.var.user!;
    const result = await removePassword(c.var.db, c.env.SESSIONS, user, c.req.valid('form').removePassword, c.var.session!, requestContext(c));
    if (!result.ok && result.reason === 'locked') return tooManyRequests(c, result.retryAfterSeconds);
    if (!result.ok && (result.reason === 'no-password' || result.reason === 'address-unconfirmed')) return c.redirect('/account/password', 303);
    if (!result.ok) {
      const message = c.var.i18n.t(result.reason === 'password-missing' ? 'account.password.remove.missing' : 'account.password.remove.wrong');
      return c.html(<PasswordChangePage user={user} removeErrors={{ removePassword: [message] }} />, result.reason === 'password-missing' ? 422 : 401);
    }
    setSessionCookie(c, result.token, result.session.expiresAt);
    c.executionCtx.waitUntil(sendQuietly(c.var.mailer(), passwordRemovedNotice(user.email, user.username, absoluteUrl(c.var.config, '/account/sign-in-methods'))));
    setFlash(c, { kind: 'success', message: c.var.i18n.t('account.password.remove.done', { count: result.signedOut }) });
    return c.redirect('/account', 303);
  })
  .get('/account/sessions', async (c) => {
    const user = c.var.user!;
    // Not a session D1 would refuse (a sign-in that stopped before its D1 record).
    const state = { sessionsValidAfter: user.sessionsValidAfter, sessionRevoked: false, lastLogin: user.lastLogin };
    const sessions = (await listUserSessions(c.env.SESSIONS, user.id)).filter((session) => !isSessionRevoked(session, state));
    return c.html(<SessionsPage user={c.var.user!} sessions={sessions} currentId={c.var.session!.id} flash={takeFlash(c)} />);
  })
  .post('/account/sessions/revoke-others', async (c) => {
    const { token, session, signedOut: count } = await revokeOtherSessions(c.var.db, c.env.SESSIONS, c.var.session!, requestContext(c));
    setSessionCookie(c, token, session.expiresAt);
    setFlash(c, { kind: 'success', message: c.var.i18n.t('account.sessions.othersSignedOut', { count }) });
    return c.redirect('/account/sessions', 303);
  })
  .post('/account/sessions/:id/revoke', async (c) => {
    const id = c.req.param('id');
    // Only the user's own sessions, and not this one (signing out is for that).
    const session = id === c.var.session!.id ? null : await findUserSession(c.env.SESSIONS, c.var.user!.id, id);
    if (session) {
      await revokeSession(c.var.db, c.env.SESSIONS, session, { context: requestContext(c) });
      setFlash(c, { kind: 'success', message: c.var.i18n.t('account.sessions.signedOut') });
    }
    return c.redirect('/account/sessions', 303);
  })
  .get('/account/activity', async (c) => {
    const events = await listUserEvents(c.var.db, c.var.user!.id);
    return c.html(<ActivityPage user={c.var.user!} events={events} />);
  })
  .get('/account/delete', (c) => c.html(<DeleteAccountPage user={c.var.user!} flash={takeFlash(c)} />))
  .post(
    '/account/delete',
    zValidator('form', confirmPasswordSchema, (result, c) => {
      if (!result.success) return c.html(<DeleteAccountPage user={userOf(c)} errors={fieldErrors(result.error)} />, 422);
    }),
    async (c) => {
      const user = c.var.user!;
      const confirmed = await confirmIdentity(c.var.db, user, { password: c.req.valid('form').password, sessionId: c.var.session!.id });
      if (!confirmed.ok) {
        const showForm = (message: string) => c.html(<DeleteAccountPage user={user} errors={{ password: [message] }} />, 422);
        return refuseConfirmation(c, confirmed, '/account/delete', showForm, c.var.i18n.t('account.delete.wrongPassword'));
      }
      await deleteAccount(c.var.db, c.env.SESSIONS, c.var.objectStore(), user);
      c.set('user', null);
      c.set('session', null);
      deleteSessionCookie(c);
      setFlash(c, { kind: 'info', message: c.var.i18n.t('account.delete.done') });
      return c.redirect('/', 303);
    },
  );
