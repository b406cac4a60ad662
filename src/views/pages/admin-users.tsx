import { FILTER_WINDOW, type UserListPage } from '../../admin/user-list';
import { userListUrl, type TriState, type UserListForm } from '../../admin/user-list-query';
import { useI18n } from '../use-i18n';
import type { CurrentUser } from '../../users/avatar-urls';
import type { Flash } from '../components/flash';
import { Time } from '../components/time';
import { Layout } from '../layout';
import { AdminNav, Badge, MaybeTime, Pager, UserFlags } from './admin-nav';

function FilterSelect({ name, label, value, yes, no }: { name: string; label: string; value: TriState; yes: string; no: string }) {
  const { t } = useI18n();
  return (
    <div class="field">
      <label for={`filter-${name}`}>{label}</label>
      <select id={`filter-${name}`} name={name}>
        <option value="" selected={value === ''}>
          {t('admin.common.any')}
        </option>
        <option value="yes" selected={value === 'yes'}>
          {yes}
        </option>
        <option value="no" selected={value === 'no'}>
          {no}
        </option>
      </select>
    </div>
  );
}

function Filters({ form }: { form: UserListForm }) {
  const { t } = useI18n();
  return (
    <form method="get" action="/admin/users" class="admin-filters" role="search" aria-label={t('admin.users.heading')}>
      <div class="field admin-search">
        <label for="filter-q">{t('admin.users.startsWith')}</label>
        <input id="filter-q" name="q" type="search" value={form.q} maxlength={254} autocomplete="off" />
      </div>
      <div class="field">
        <label for="filter-by">{t('admin.users.searchIn')}</label>
        <select id="filter-by" name="by">
          <option value="username" selected={form.by === 'username'}>
            {t('admin.users.usernames')}
          </option>
          <option value="email" selected={form.by === 'email'}>
            {t('admin.users.emails')}
          </option>
        </select>
      </div>
      <FilterSelect name="active" label={t('admin.common.active')} value={form.active} yes={t('admin.common.active')} no={t('admin.users.deactivated')} />
      <FilterSelect name="staff" label={t('admin.users.staff')} value={form.staff} yes={t('admin.users.staff')} no={t('admin.users.notStaff')} />
      <FilterSelect name="verified" label={t('admin.common.email')} value={form.verified} yes={t('admin.common.verified')} no={t('admin.common.notVerified')} />
      <button type="submit" class="button">
        {t('admin.users.search')}
      </button>
    </form>
  );
}

export function AdminUsersPage({ user, form, page, paged, flash }: { user: CurrentUser; form: UserListForm; page: UserListPage; paged: boolean; flash?: Flash | null }) {
  const { t } = useI18n();
  const order = form.q ? (form.by === 'email' ? t('admin.users.sortedByEmail') : t('admin.users.sortedByUsername')) : t('admin.users.sortedByJoined');
  return (
    <Layout title={t('admin.page.title', { title: t('admin.users.heading') })} user={user} flash={flash}>
      <AdminNav current="users" />
      <section class="card stack">
        <h1>{t('admin.users.heading')}</h1>
        <Filters form={form} />
        <p class="admin-note" id="users-order">
          {order}{' '}
          {form.q ? t('admin.users.searchOrder') : null}
        </p>
        {page.examined !== undefined && page.next ? (
          <p class="admin-note" role="status">
            {t('admin.users.filteredWindow', { window: FILTER_WINDOW, count: page.rows.length })}
          </p>
        ) : null}
        {page.rows.length === 0 ? (
          <p>{page.next ? t('admin.users.noneOnPage') : t('admin.users.none')}</p>
        ) : (
          <table class="sessions admin-table" aria-describedby="users-order">
            <thead>
              <tr>
                <th scope="col">{t('admin.common.username')}</th>
                <th scope="col">{t('admin.common.email')}</th>
                <th scope="col">{t('admin.common.joined')}</th>
                <th scope="col">{t('admin.common.lastSignIn')}</th>
                <th scope="col">{t('admin.common.flags')}</th>
              </tr>
            </thead>
            <tbody>
              {page.rows.map((row) => (
                <tr>
                  <td data-label={t('admin.common.username')}>
                    <a href={`/admin/users/${row.id}`}>{row.username}</a>
                  </td>
                  <td data-label={t('admin.common.email')}>
                    {row.email} {row.emailVerifiedAt ? <Badge tone="success">{t('admin.common.verified')}</Badge> : <Badge tone="warning">{t('admin.common.notVerified')}</Badge>}
                  </td>
                  <td data-label={t('admin.common.joined')}>
                    <Time ms={row.dateJoined} />
                  </td>
                  <td data-label={t('admin.common.lastSignIn')}>
                    <MaybeTime ms={row.lastLogin} />
                  </td>
                  <td data-label={t('admin.common.flags')}>
                    <UserFlags user={row} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <Pager label={t('admin.users.pages')} first={paged ? userListUrl(form) : undefined} next={page.next ? userListUrl(form, page.next) : null} />
      </section>
    </Layout>
  );
}
