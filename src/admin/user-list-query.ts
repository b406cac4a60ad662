import { normalizeEmail, usernameKey, EMAIL_MAX_LENGTH } from '../users/identity';

// What the users list was asked for, from its URL: ?q=&by=username|email&active=&staff=
// &verified=&after=. Anything unreadable is ignored rather than refused: it is a search
// form, and the worst a wrong value can do is show the first page.

export type SearchField = 'username' | 'email';
export type TriState = '' | 'yes' | 'no';

export type UserListCursor = { kind: 'date'; dateJoined: number; id: string } | { kind: 'key'; key: string };

export interface UserListQuery {
  // The prefix is already in the form the index holds (username_key, or the stored email).
  search?: { field: SearchField; prefix: string };
  active?: boolean;
  staff?: boolean;
  verified?: boolean;
  after?: UserListCursor;
}

// The form as the person filled it in, to show it again and to build page links.
export interface UserListForm {
  q: string;
  by: SearchField;
  active: TriState;
  staff: TriState;
  verified: TriState;
}

function triState(value: string | undefined): TriState {
  return value === 'yes' || value === 'no' ? value : '';
}

function asBoolean(value: TriState): boolean | undefined {
  return value === '' ? undefined : value === 'yes';
}

export function parseCursor(value: string | undefined): UserListCursor | undefined {
  if (!value || value.length > 400) return undefined;
  const date = /^d:(\d{1,16}):([\w-]{1,64})$/.exec(value);
  if (date) return { kind: 'date', dateJoined: Number(date[1]), id: date[2]! };
  if (value.startsWith('k:') && value.length > 2) return { kind: 'key', key: value.slice(2) };
  return undefined;
}

export function parseUserListParams(params: Record<string, string | undefined>): { query: UserListQuery; form: UserListForm } {
  const q = (params.q ?? '').trim().slice(0, EMAIL_MAX_LENGTH);
  const by: SearchField = params.by === 'email' || params.by === 'username' ? params.by : q.includes('@') ? 'email' : 'username';
  const form: UserListForm = { q, by, active: triState(params.active), staff: triState(params.staff), verified: triState(params.verified) };
  const prefix = by === 'email' ? normalizeEmail(q) : usernameKey(q);
  const search = prefix ? { field: by, prefix } : undefined;
  const cursor = parseCursor(params.after);
  // A cursor only means something in the order it was made in.
  const after = cursor && (cursor.kind === 'key') === Boolean(search) ? cursor : undefined;
  return {
    form,
    query: { search, active: asBoolean(form.active), staff: asBoolean(form.staff), verified: asBoolean(form.verified), after },
  };
}

export function userListUrl(form: UserListForm, after?: string): string {
  const params = new URLSearchParams();
  if (form.q) params.set('q', form.q);
  if (form.q) params.set('by', form.by);
  for (const key of ['active', 'staff', 'verified'] as const) if (form[key]) params.set(key, form[key]);
  if (after) params.set('after', after);
  const query = params.toString();
  return query ? `/admin/users?${query}` : '/admin/users';
}
