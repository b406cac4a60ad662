// Baseline for `npm run bench`: the least a Worker can do for the same pages, with no
// framework. GET / makes no storage call; GET /dashboard makes the storage calls the
// app's signed-in pages make (src/http/current-user.ts): one KV read of the session
// record (with the app's cacheTtl) and one D1 query joining users and profiles and
// checking revoked_sessions, started together since the cookie names the user, then a
// trivial page. The app's speed is reported relative to this.
// The D1 query runs in a D1 session, as every query of the app does (src/db/client.ts:
// the session is what lets reads go to a replica). Locally a session query also makes the
// D1 simulator read its bookmark, about a quarter of a millisecond of workerd CPU; without
// the session the baseline skipped that and was not making the same call.

const HTML = { 'content-type': 'text/html; charset=utf-8' };
// src/auth/session.ts SESSION_CACHE_TTL_SECONDS.
const SESSION_CACHE_TTL_SECONDS = 24 * 60 * 60;

// "<userId>.<sessionId>.<secret>.<expiry>" (src/auth/session.ts); the secret is not checked
// here: the baseline measures the storage calls, not the hashing.
function sessionCookie(request) {
  const match = /(?:^|;\s*)session=([0-9a-f]{24})\.([a-z2-7]{24})\./.exec(request.headers.get('cookie') ?? '');
  return match ? { userId: match[1], sessionId: match[2] } : null;
}

async function dashboard(request, env) {
  const cookie = sessionCookie(request);
  if (!cookie) return new Response('no session', { status: 401 });
  const [session, user] = await Promise.all([
    env.SESSIONS.get(`session:${cookie.sessionId}`, { type: 'json', cacheTtl: SESSION_CACHE_TTL_SECONDS }),
    // A GET without the bookmark cookie starts anywhere (src/http/d1-bookmark.ts).
    env.DB.withSession('first-unconstrained').prepare(
      'SELECT users.id, users.username, users.email, users.date_joined, profiles.avatar_key, exists (SELECT 1 FROM revoked_sessions WHERE session_id = ?) AS revoked FROM users LEFT JOIN profiles ON profiles.user_id = users.id WHERE users.id = ?',
    )
      .bind(cookie.sessionId, cookie.userId)
      .first(),
  ]);
  // A miss must not look fast: the benchmark counts non-2xx answers.
  if (!session || session.userId !== cookie.userId) return new Response('no session', { status: 401 });
  if (!user || user.revoked) return new Response('no user', { status: 404 });
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
