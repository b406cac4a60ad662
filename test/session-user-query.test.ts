import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createDb, createSessionDb } from '../src/db/client';
import { findActiveUserForSession, sessionUserQuery } from '../src/users/user-store';

// The signed-in page's query is built once per isolate and its rows decoded by hand
// (src/db/built-once.ts). It must answer exactly what Drizzle's own builder answers:
// every column, with dates, booleans and nulls decoded the same way.

let legacyIds = 40;
async function insertUser(id: string, isActive = true) {
  await env.DB.batch([
    env.DB.prepare(
      `insert into users (id, username, username_key, email, password_hash, date_joined, last_login, email_verified_at, is_active, is_staff, must_reset_password, language, time_zone, legacy_id)
       values (?, ?, ?, ?, 'argon2$x', 1700000000000, 1764000000123, null, ?, 1, 0, 'de', 'Europe/Berlin', ?)`,
    ).bind(id, id, id, `${id}@example.com`, isActive ? 1 : 0, legacyIds++),
    env.DB.prepare('insert into profiles (user_id, avatar_key, updated_at) values (?, ?, 1700000000000)').bind(id, `avatars/${id}/a.webp`),
    env.DB.prepare('insert into revoked_sessions (session_id, user_id, expires_at) values (?, ?, ?)').bind(`gone-${id}`, id, Date.now() + 1e9),
  ]);
}

async function drizzleAnswer(id: string, sessionId: string) {
  const row = await sessionUserQuery(createDb(env.DB), id, sessionId).get();
  return row && { ...row.user, avatarKey: row.avatarKey, sessionRevoked: Boolean(row.sessionRevoked) };
}

describe('the signed-in page’s query, built once', () => {
  it('decodes every column as Drizzle does, revoked or not', async () => {
    await insertUser('built1');
    for (const sessionId of ['gone-built1', 'live']) {
      const ours = await findActiveUserForSession(createDb(env.DB), 'built1', sessionId);
      expect(ours).toEqual(await drizzleAnswer('built1', sessionId));
      expect(ours!.dateJoined).toBeInstanceOf(Date);
      expect(ours!.lastLogin!.getTime()).toBe(1764000000123);
      expect(ours!.isStaff).toBe(true);
      expect(ours!.mustResetPassword).toBe(false);
      expect(ours!.emailVerifiedAt).toBeNull();
      expect(ours!.avatarKey).toBe('avatars/built1/a.webp');
    }
    expect((await findActiveUserForSession(createDb(env.DB), 'built1', 'gone-built1'))!.sessionRevoked).toBe(true);
    expect((await findActiveUserForSession(createDb(env.DB), 'built1', 'live'))!.sessionRevoked).toBe(false);
  });

  it('runs on the request’s own D1 session, and gives nothing for an unknown or deactivated user', async () => {
    await insertUser('built2', false);
    const session = createSessionDb(env.DB, 'first-unconstrained');
    expect(await findActiveUserForSession(session.db, 'built2', 'live')).toBeNull();
    expect(session.bookmark()).not.toBeNull();
    expect(await findActiveUserForSession(session.db, 'nobody-here', 'live')).toBeNull();
  });
});
