import { Hono, type Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../http/app-env';
import { listAuditEntries, parseAuditFilters } from '../admin/audit-log';
import { performStaffAction } from '../account/perform-staff-action';
import { findProvider } from '../providers/provider-sign-in';
import { listIdentities } from '../providers/user-identities';
import { availableActions, isStaffAction, refuseStaffAction, STAFF_ACTIONS } from '../admin/staff-actions';
import { confirmSudo, hasRecentSudo } from '../admin/sudo';
import { findUserDetails, findUserWithProfile } from '../admin/user-details';
import { listUsers } from '../admin/user-list';
import { parseUserListParams } from '../admin/user-list-query';
import { setFlash, takeFlash } from '../http/flash';
import { requestContext } from '../http/request-context';
import { tooManyRequests } from '../http/too-many-requests';
import { avatarUrls } from '../users/avatar-urls';
import { usernameKey } from '../users/identity';
import { fieldMessage } from '../auth/field-errors';
import type { FieldErrors } from '../views/components/field';
import { AdminAuditPage } from '../views/pages/admin-audit';
import { AdminSudoPage } from '../views/pages/admin-sudo';
import { AdminUserPage } from '../views/pages/admin-user';
import { AdminUsersPage } from '../views/pages/admin-users';
import { ErrorPage } from '../views/pages/error';

// The staff area. Not advertised: anyone who is not staff gets the ordinary 404 page,
// whatever the path or method. is_staff is read from D1 on every request (the signed-in
// user query), so removing staff rights takes effect at once.
const notFound = (c: Context<AppEnv>) => c.html(<ErrorPage status={404} user={c.var.user} />, 404);

const requireStaff = createMiddleware<AppEnv>(async (c, next) => {
  if (!c.var.user?.isStaff || !c.var.session) return notFound(c);
  await next();
  c.header('Cache-Control', 'no-store');
});

async function renderUserPage(c: Context<AppEnv>, userId: string, errors?: FieldErrors) {
  const details = await findUserDetails(c.var.db, c.env.SESSIONS, userId);
  if (!details) return notFound(c);
  const staff = c.var.user!;
  const page = (
    <AdminUserPage
      user={staff}
      details={details}
      avatar={avatarUrls(c.var.config.mediaBaseUrl, details.user.avatarKey)}
      actions={availableActions(staff, details.user)}
      flash={errors ? null : takeFlash(c)}
      errors={errors}
    />
  );
  return c.html(page, errors ? 422 : 200);
}

export const adminRoutes = new Hono<AppEnv>()
  .use('/admin', requireStaff)
  .use('/admin/*', requireStaff)
  .get('/admin', (c) => c.redirect('/admin/users'))
  .get('/admin/users', async (c) => {
    const { query, form } = parseUserListParams(c.req.query());
    const page = await listUsers(c.var.db, query);
    return c.html(<AdminUsersPage user={c.var.user!} form={form} page={page} paged={Boolean(query.after)} flash={takeFlash(c)} />);
  })
  .get('/admin/users/:id', (c) => renderUserPage(c, c.req.param('id')))
  .post('/admin/users/:id/:action', async (c) => {
    const action = c.req.param('action');
    const target = isStaffAction(action) ? await findUserWithProfile(c.var.db, c.req.param('id')) : null;
    if (!target || !isStaffAction(action)) return notFound(c);
    const staff = c.var.user!;
    const userPage = `/admin/users/${target.id}`;
    const refusal = refuseStaffAction(staff, target, action);
    if (refusal) {
      setFlash(c, { kind: 'error', message: c.var.i18n.t(refusal) });
      return c.redirect(userPage, 303);
    }
    const body = await c.req.parseBody();
    const field = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : '');
    const confirmUsername = field('confirmUsername');
    if (action === 'delete' && usernameKey(confirmUsername) !== target.usernameKey) {
      return renderUserPage(c, target.id, { confirmUsername: [fieldMessage('admin.user.deleteMismatch')] });
    }
    const identityId = field('identityId');
    const identity = action === 'unlink-provider' ? (await listIdentities(c.var.db, target.id)).find((row) => row.id === identityId) : undefined;
    if (action === 'unlink-provider' && !identity) return notFound(c);

    const session = c.var.session!;
    if (!(await hasRecentSudo(c.var.db, staff.id, session.id))) {
      const prompt = (errors?: FieldErrors) => {
        const fields: Record<string, string> = action === 'delete' ? { confirmUsername } : action === 'unlink-provider' ? { identityId } : {};
        const page = <AdminSudoPage user={staff} actionLabel={STAFF_ACTIONS[action].label} targetUsername={target.username} actionUrl={c.req.path} cancelUrl={userPage} fields={fields} errors={errors} />;
        return c.html(page, errors ? 422 : 200);
      };
      const password = field('sudoPassword');
      if (!password) return prompt();
      const confirmed = await confirmSudo(c.var.db, staff, session.id, password, requestContext(c));
      if (!confirmed.ok && confirmed.reason === 'locked') return tooManyRequests(c, confirmed.retryAfterSeconds);
      if (!confirmed.ok) return prompt({ sudoPassword: [fieldMessage('admin.sudo.wrongPassword')] });
    }

    const deps = { db: c.var.db, kv: c.env.SESSIONS, objectStore: c.var.objectStore, mailer: c.var.mailer, config: c.var.config };
    const providerName = identity ? (findProvider(c.var.config.signInProviders, identity.providerId)?.name ?? identity.providerId) : undefined;
    await performStaffAction(deps, staff, target, action, requestContext(c), Date.now(), { identity, providerName });
    setFlash(c, { kind: 'success', message: c.var.i18n.t(STAFF_ACTIONS[action].done, { username: target.username }) });
    return c.redirect(action === 'delete' ? '/admin/users' : userPage, 303);
  })
  .get('/admin/audit', async (c) => {
    const filters = parseAuditFilters(c.req.query());
    const { entries, next } = await listAuditEntries(c.var.db, filters);
    return c.html(<AdminAuditPage user={c.var.user!} filters={filters} entries={entries} next={next} />);
  });
