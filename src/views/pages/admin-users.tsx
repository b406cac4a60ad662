import { FILTER_WINDOW, type UserListPage } from '../../admin/user-list';
import { userListUrl, type TriState, type UserListForm } from '../../admin/user-list-query';
import type { CurrentUser } from '../../users/avatar-urls';
import type { Flash } from '../components/flash';
import { Time } from '../components/time';
import { Layout } from '../layout';
import { AdminNav, Badge, MaybeTime, Pager, UserFlags } from './admin-nav';

function FilterSelect({ name, label, value, yes, no }: { name: string; label: string; value: TriState; yes: string; no: string }) {
  return (
    <div class="field">
      <label for={`filter-${name}`}>{label}</label>
      <select id={`filter-${name}`} name={name}>
        <option value="" selected={value === ''}>
          Any
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
  return (
    <form method="get" action="/admin/users" class="admin-filters" role="search" aria-label="Users">
      <div class="field admin-search">
        <label for="filter-q">Username or email starts with</label>
        <input id="filter-q" name="q" type="search" value={form.q} maxlength={254} autocomplete="off" />
      </div>
      <div class="field">
        <label for="filter-by">Search in</label>
        <select id="filter-by" name="by">
          <option value="username" selected={form.by === 'username'}>
            Usernames
          </option>
          <option value="email" selected={form.by === 'email'}>
            Email addresses
          </option>
        </select>
      </div>
      <FilterSelect name="active" label="Active" value={form.active} yes="Active" no="Deactivated" />
      <FilterSelect name="staff" label="Staff" value={form.staff} yes="Staff" no="Not staff" />
      <FilterSelect name="verified" label="Email" value={form.verified} yes="Verified" no="Not verified" />
      <button type="submit" class="button">
        Search
      </button>
    </form>
  );
}

export function AdminUsersPage({ user, form, page, paged, flash }: { user: CurrentUser; form: UserListForm; page: UserListPage; paged: boolean; flash?: Flash | null }) {
  const order = form.q ? `${form.by === 'email' ? 'email address' : 'username'}, A to Z` : 'date joined, newest first';
  return (
    <Layout title="Users · Staff" user={user} flash={flash}>
      <AdminNav current="users" />
      <section class="card stack">
        <h1>Users</h1>
        <Filters form={form} />
        <p class="admin-note" id="users-order">
          Sorted by {order}.{' '}
          {form.q ? 'A search is sorted by what it matches, so it reads one stretch of the index however many accounts there are.' : null}
        </p>
        {page.examined !== undefined && page.next ? (
          <p class="admin-note" role="status">
            Filtered lists look at {FILTER_WINDOW.toLocaleString('en')} accounts per page: {page.rows.length} of them matched. Use “Next page” to look further.
          </p>
        ) : null}
        {page.rows.length === 0 ? (
          <p>{page.next ? 'No matching accounts on this page.' : 'No matching accounts.'}</p>
        ) : (
          <table class="sessions admin-table" aria-describedby="users-order">
            <thead>
              <tr>
                <th scope="col">Username</th>
                <th scope="col">Email</th>
                <th scope="col">Joined</th>
                <th scope="col">Last sign-in</th>
                <th scope="col">Flags</th>
              </tr>
            </thead>
            <tbody>
              {page.rows.map((row) => (
                <tr>
                  <td data-label="Username">
                    <a href={`/admin/users/${row.id}`}>{row.username}</a>
                  </td>
                  <td data-label="Email">
                    {row.email} {row.emailVerifiedAt ? <Badge tone="success">Verified</Badge> : <Badge tone="warning">Not verified</Badge>}
                  </td>
                  <td data-label="Joined">
                    <Time ms={row.dateJoined} />
                  </td>
                  <td data-label="Last sign-in">
                    <MaybeTime ms={row.lastLogin} />
                  </td>
                  <td data-label="Flags">
                    <UserFlags user={row} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <Pager label="Pages of users" first={paged ? userListUrl(form) : undefined} next={page.next ? userListUrl(form, page.next) : null} />
      </section>
    </Layout>
  );
}
