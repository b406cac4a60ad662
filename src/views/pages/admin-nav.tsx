import type { Child } from 'hono/jsx';
import { AUDIT_EVENT_LABELS } from '../../admin/staff-actions';
import { Time } from '../components/time';

// The staff area's own navigation, above each of its pages.
export function AdminNav({ current }: { current: 'users' | 'audit' }) {
  return (
    <nav aria-label="Staff area" class="admin-nav">
      <a href="/admin/users" aria-current={current === 'users' ? 'page' : undefined}>
        Users
      </a>
      <a href="/admin/audit" aria-current={current === 'audit' ? 'page' : undefined}>
        Audit log
      </a>
    </nav>
  );
}

export function Badge({ tone, children }: { tone?: 'success' | 'warning' | 'danger'; children: Child }) {
  return <span class={tone ? `badge badge-${tone}` : 'badge'}>{children}</span>;
}

export function UserFlags({ user }: { user: { isActive: boolean; isStaff: boolean; isSuperuser: boolean } }) {
  const badges = [
    user.isActive ? null : <Badge tone="danger">Inactive</Badge>,
    user.isSuperuser ? <Badge>Superuser</Badge> : user.isStaff ? <Badge>Staff</Badge> : null,
  ].filter(Boolean);
  return <>{badges.length ? badges : <span class="muted">None</span>}</>;
}

export function MaybeTime({ ms, none = 'Never' }: { ms: number | null | undefined; none?: string }) {
  return ms ? <Time ms={ms} /> : <span class="muted">{none}</span>;
}

export function auditLabel(type: string): string {
  return AUDIT_EVENT_LABELS[type] ?? type;
}

// Links between pages of a keyset-paginated list: forward, and back to the start.
export function Pager({ label, first, next }: { label: string; first?: string; next?: string | null }) {
  if (!first && !next) return null;
  return (
    <nav aria-label={label} class="pager">
      {first ? <a href={first}>First page</a> : null}
      {next ? (
        <a href={next} rel="next">
          Next page
        </a>
      ) : null}
    </nav>
  );
}
