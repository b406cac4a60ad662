import type { AuditEntry, AuditFilters } from '../../admin/audit-log';
import { AUDIT_EVENT_LABELS } from '../../admin/staff-actions';
import { describeUserAgent } from '../../auth/user-agent';
import { useI18n } from '../use-i18n';
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
  const { t, rich } = useI18n();
  if (!id) return <span class="muted">{t('admin.audit.system')}</span>;
  if (!username) return <span class="muted">{t('admin.audit.deletedAccount')}</span>;
  if (deleted) return <span>{username} <span class="muted">{t('admin.audit.deleted')}</span></span>;
  return (
    <>
      <a href={`/admin/users/${id}`}>{username}</a>{' '}
      <a href={filter(username)} class="muted filter-link">
        {rich('admin.audit.filterBy', { hidden: (text) => <span class="visually-hidden">{text}</span> }, { username })}
      </a>
    </>
  );
}

export function AdminAuditPage({ user, filters, entries, next }: { user: CurrentUser; filters: AuditFilters; entries: AuditEntry[]; next: string | null }) {
  const { t } = useI18n();
  const base = { actor: filters.actor, target: filters.target, type: filters.type };
  return (
    <Layout title={t('admin.page.title', { title: t('admin.audit.heading') })} user={user}>
      <AdminNav current="audit" />
      <section class="card stack">
        <h1>{t('admin.audit.heading')}</h1>
        <p class="muted">{t('admin.audit.intro')}</p>
        <form method="get" action="/admin/audit" class="admin-filters" role="search" aria-label={t('admin.audit.heading')}>
          <div class="field">
            <label for="audit-actor">{t('admin.audit.actor')}</label>
            <input id="audit-actor" name="actor" type="search" value={filters.actor ?? ''} autocomplete="off" />
          </div>
          <div class="field">
            <label for="audit-target">{t('admin.audit.target')}</label>
            <input id="audit-target" name="target" type="search" value={filters.target ?? ''} autocomplete="off" />
          </div>
          <div class="field">
            <label for="audit-type">{t('admin.audit.action')}</label>
            <select id="audit-type" name="type">
              <option value="" selected={!filters.type}>
                {t('admin.common.any')}
              </option>
              {Object.entries(AUDIT_EVENT_LABELS).map(([type, label]) => (
                <option value={type} selected={filters.type === type}>
                  {t(label)}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" class="button">
            {t('admin.audit.filter')}
          </button>
        </form>
        {entries.length === 0 ? (
          <p>{t('admin.audit.none')}</p>
        ) : (
          <table class="sessions admin-table">
            <thead>
              <tr>
                <th scope="col">{t('admin.audit.when')}</th>
                <th scope="col">{t('admin.audit.staffMember')}</th>
                <th scope="col">{t('admin.audit.action')}</th>
                <th scope="col">{t('admin.audit.account')}</th>
                <th scope="col">{t('admin.audit.from')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr data-event={entry.id}>
                  <td data-label={t('admin.audit.when')}>
                    <Time ms={entry.createdAt} />
                  </td>
                  <td data-label={t('admin.audit.staffMember')}>
                    <Who id={entry.actorId} username={entry.actorUsername} filter={(actor) => auditUrl({ ...base, actor })} />
                  </td>
                  <td data-label={t('admin.audit.action')}>{auditLabel(entry.type)}</td>
                  <td data-label={t('admin.audit.account')}>
                    <Who id={entry.targetId} username={entry.targetUsername} deleted={entry.targetDeleted} filter={(target) => auditUrl({ ...base, target })} />
                  </td>
                  <td data-label={t('admin.audit.from')}>
                    {[entry.ip, entry.location].filter(Boolean).join(', ') || t('admin.audit.unknown')}
                    <br />
                    <span class="muted">{describeUserAgent(entry.userAgent ?? undefined, t)}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <Pager label={t('admin.audit.pages')} first={filters.before ? auditUrl(base) : undefined} next={next ? auditUrl(base, next) : null} />
      </section>
    </Layout>
  );
}
