import type { AuditEntry, AuditFilters } from '../../admin/audit-log';
import { AUDIT_EVENT_LABELS } from '../../admin/staff-actions';
import { describeUserAgent } from '../../auth/user-agent';
import type { CurrentUser } from '../../users/avatar-urls';
import { Time } from '../components/time';
import { Layout } from '../layout';
import { AdminNav, Pager, auditLabel } from './admin-nav';

export function auditUrl(filters: Omit<AuditFilters, 'before'>, before?: string): string {
  const params = new URLSearchParams();
  if (filters.actor) params.set('actor', filters.actor);
  if (filters.target) params.set('target', filters.target);
  if (filters.type) params.set('type', filters.type);
  if (before) params.set('before', before);
  const query = params.toString();
  return query ? `/admin/audit?${query}` : '/admin/audit';
}

function Who({ id, username, deleted, filter }: { id: string | null; username: string | null; deleted?: boolean; filter: (username: string) => string }) {
  if (!id) return <span class="muted">System</span>;
  if (!username) return <span class="muted">Deleted account</span>;
  if (deleted) return <span>{username} <span class="muted">(deleted)</span></span>;
  return (
    <>
      <a href={`/admin/users/${id}`}>{username}</a>{' '}
      <a href={filter(username)} class="muted filter-link">
        (filter<span class="visually-hidden"> by {username}</span>)
      </a>
    </>
  );
}

export function AdminAuditPage({ user, filters, entries, next }: { user: CurrentUser; filters: AuditFilters; entries: AuditEntry[]; next: string | null }) {
  const base = { actor: filters.actor, target: filters.target, type: filters.type };
  return (
    <Layout title="Audit log · Staff" user={user}>
      <AdminNav current="audit" />
      <section class="card stack">
        <h1>Audit log</h1>
        <p class="muted">Every staff action, newest first: who did what, to which account, when and from where. Entries are kept two years and cannot be changed.</p>
        <form method="get" action="/admin/audit" class="admin-filters" role="search" aria-label="Audit log">
          <div class="field">
            <label for="audit-actor">Staff member (username)</label>
            <input id="audit-actor" name="actor" type="search" value={filters.actor ?? ''} autocomplete="off" />
          </div>
          <div class="field">
            <label for="audit-target">Account (username)</label>
            <input id="audit-target" name="target" type="search" value={filters.target ?? ''} autocomplete="off" />
          </div>
          <div class="field">
            <label for="audit-type">Action</label>
            <select id="audit-type" name="type">
              <option value="" selected={!filters.type}>
                Any
              </option>
              {Object.entries(AUDIT_EVENT_LABELS).map(([type, label]) => (
                <option value={type} selected={filters.type === type}>
                  {label}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" class="button">
            Filter
          </button>
        </form>
        {entries.length === 0 ? (
          <p>No staff actions match.</p>
        ) : (
          <table class="sessions admin-table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Staff member</th>
                <th scope="col">Action</th>
                <th scope="col">Account</th>
                <th scope="col">From</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr data-event={entry.id}>
                  <td data-label="When">
                    <Time ms={entry.createdAt} />
                  </td>
                  <td data-label="Staff member">
                    <Who id={entry.actorId} username={entry.actorUsername} filter={(actor) => auditUrl({ ...base, actor })} />
                  </td>
                  <td data-label="Action">{auditLabel(entry.type)}</td>
                  <td data-label="Account">
                    <Who id={entry.targetId} username={entry.targetUsername} deleted={entry.targetDeleted} filter={(target) => auditUrl({ ...base, target })} />
                  </td>
                  <td data-label="From">
                    {[entry.ip, entry.location].filter(Boolean).join(', ') || 'Unknown'}
                    <br />
                    <span class="muted">{describeUserAgent(entry.userAgent ?? undefined)}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <Pager label="Pages of the audit log" first={filters.before ? auditUrl(base) : undefined} next={next ? auditUrl(base, next) : null} />
      </section>
    </Layout>
  );
}
