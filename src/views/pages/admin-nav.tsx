import type { Child } from 'hono/jsx';
import { AUDIT_EVENT_LABELS } from '../../admin/staff-actions';
import { useI18n } from '../use-i18n';
import { Time } from '../components/time';

// The staff area's own navigation, above each of its pages.
export function AdminNav({ current }: { current: 'users' | 'audit' }) {
  const { t } = useI18n();
  return (
    <nav aria-label={t('admin.nav.label')} class="admin-nav">
      <a href="/admin/users" aria-current={current === 'users' ? 'page' : undefined}>
        {t('admin.nav.users')}
      </a>
      <a href="/admin/audit" aria-current={current === 'audit' ? 'page' : undefined}>
        {t('admin.nav.audit')}
      </a>
    </nav>
  );
}

export function Badge({ tone, children }: { tone?: 'success' | 'warning' | 'danger'; children: Child }) {
  return <span class={tone ? `badge badge-${tone}` : 'badge'}>{children}</span>;
}

export function UserFlags({ user }: { user: { isActive: boolean; isStaff: boolean; isSuperuser: boolean } }) {
  const { t } = useI18n();
  const badges = [
    user.isActive ? null : <Badge tone="danger">{t('admin.flags.inactive')}</Badge>,
    user.isSuperuser ? <Badge>{t('admin.flags.superuser')}</Badge> : user.isStaff ? <Badge>{t('admin.flags.staff')}</Badge> : null,
  ].filter(Boolean);
  return <>{badges.length ? badges : <span class="muted">{t('admin.flags.none')}</span>}</>;
}

export function MaybeTime({ ms, none }: { ms: number | null | undefined; none?: string }) {
  const { t } = useI18n();
  return ms ? <Time ms={ms} /> : <span class="muted">{none ?? t('admin.time.never')}</span>;
}

// How an audit event type reads, in the staff member's language (called while a page
// renders, so the request's translator is there).
export function auditLabel(type: string): string {
  const key = AUDIT_EVENT_LABELS[type];
  return key ? useI18n().t(key) : type;
}

// Links between pages of a keyset-paginated list: forward, and back to the start.
export function Pager({ label, first, next }: { label: string; first?: string; next?: string | null }) {
  const { t } = useI18n();
  if (!first && !next) return null;
  return (
    <nav aria-label={label} class="pager">
      {first ? <a href={first}>{t('admin.pager.first')}</a> : null}
      {next ? (
        <a href={next} rel="next">
          {t('admin.pager.next')}
        </a>
      ) : null}
    </nav>
  );
}
