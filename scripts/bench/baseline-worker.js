// Baseline for `npm run bench`: the least a Worker can do for the same pages, with no
// framework. GET / makes no storage call; GET /dashboard makes the storage calls the
// app's dashboard makes (one KV read of the session, one D1 query joining users and
// profiles) and returns a trivial page. The app's speed is reported relative to this.

const HTML = { 'content-type': 'text/html; charset=utf-8' };

function sessionIdFrom(request) {
  const match = /(?:^|;\s*)session=([^;.]+)/.exec(request.headers.get('cookie') ?? '');
  return match?.[1];
}

async function dashboard(request, env) {
  const sessionId = sessionIdFrom(request);
  const session = sessionId ? await env.SESSIONS.get(`session:${sessionId}`, 'json') : null;
  if (!session) return new Response('no session', { status: 401 });
  const user = await env.DB.prepare(
    'SELECT users.id, users.username, users.email, users.date_joined, profiles.avatar_key FROM users LEFT JOIN profiles ON profiles.user_id = users.id WHERE users.id = ?',
  )
    .bind(session.userId)
    .first();
  // A miss must not look fast: the benchmark counts non-2xx answers.
  if (!user) return new Response('no user', { status: 404 });
  return new Response(`<!doctype html><title>Dashboard</title><h1>${user.username}</h1><p>${user.email}</p>`, { headers: HTML });
}

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    if (pathname === '/') return new Response('<!doctype html><title>Home</title><h1>Home</h1>', { headers: HTML });
    if (pathname === '/dashboard') return dashboard(request, env);
    return new Response('not found', { status: 404 });
  },
};
