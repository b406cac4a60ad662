import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { inlineParams, renderSqlFile, sqlLiteral } from '../scripts/lib/sql-literals';
import { superuserInputErrors, superuserStatements, takenIdentityErrors } from '../src/admin/superuser';
import { createDb } from '../src/db/client';
import { loadCommonPasswordsAsset } from '../src/http/common-passwords';
import { get, postForm, sessionCookieFrom } from './helpers';

// What `npm run createsuperuser` sends to D1, run here inside workerd: the rows it makes
// sign in with the Worker's own password check. (The command itself, with its questions
// and wrangler, is tested in Node: test/createsuperuser.test.ts.)

const PASSWORD = 'Amber-meadow-compass-97';

async function createSuperuser(username: string, email: string) {
  const { statements, userId } = await superuserStatements({ username, email, password: PASSWORD, passwordConfirm: PASSWORD });
  // As wrangler gets them: one SQL file of plain statements.
  const file = renderSqlFile(statements);
  await env.DB.batch(file.split(';\n').filter((sql) => sql.trim()).map((sql) => env.DB.prepare(sql)));
  return userId;
}

describe('the statements createsuperuser runs', () => {
  it('make a verified staff superuser with a profile, who signs in and opens /admin', async () => {
    const id = await createSuperuser("Chief_O'Hara", 'Chief@Example.com');
    const row = await env.DB.prepare('select u.*, p.user_id as profile from users u join profiles p on p.user_id = u.id where u.id = ?').bind(id).first<Record<string, unknown>>();
    expect(row).toMatchObject({ username: "Chief_O'Hara", email: 'chief@example.com', is_staff: 1, is_superuser: 1, is_active: 1, last_login: null, profile: id });
    expect(row!.email_verified_at).toEqual(expect.any(Number));
    const events = await env.DB.prepare('select type, actor_id, user_agent from security_events where user_id = ?').bind(id).all();
    expect(events.results).toEqual([{ type: 'staff_superuser_created', actor_id: id, user_agent: 'npm run createsuperuser' }]);

    const signIn = await postForm('/login', { login: 'chief@example.com', password: PASSWORD });
    expect(signIn.status).toBe(303);
    const admin = await get('/admin/users', sessionCookieFrom(signIn));
    expect(admin.status).toBe(200);
  });

  it('are refused by the database when the name is taken, leaving nothing half made', async () => {
    await createSuperuser('Twice', 'twice@example.com');
    expect(await takenIdentityErrors(createDb(env.DB), 'TWICE', 'other@example.com')).toEqual({
      username: ['The username "TWICE" is already taken, as a username or as an email address. Nothing was changed.'],
    });
    await expect(createSuperuser('twice', 'another@example.com')).rejects.toThrow(/UNIQUE/);
    expect(await env.DB.prepare("select count(*) as n from users where email = 'another@example.com'").first('n')).toBe(0);
  });

  it('follow the sign-up rules, the common-password list included', async () => {
    const list = await loadCommonPasswordsAsset(env.ASSETS);
    const errors = superuserInputErrors({ username: 'no spaces', email: 'nope', password: 'nospaces1', passwordConfirm: 'other' }, list);
    expect(Object.keys(errors).sort()).toEqual(['email', 'password', 'passwordConfirm', 'username']);
    expect(superuserInputErrors({ username: 'fine', email: 'fine@example.com', password: 'iloveyou', passwordConfirm: 'iloveyou' }, list).password).toEqual([
      'This password is too common: it is among the first that attackers try.',
    ]);
    expect(superuserInputErrors({ username: 'fine', email: 'fine@example.com', password: PASSWORD, passwordConfirm: PASSWORD }, list)).toEqual({});
  });
});

describe('SQL literals for wrangler', () => {
  it('writes strings as hex, keeps numbers and nulls, and never touches a "?" inside quotes', () => {
    expect(sqlLiteral("O'Brien")).toBe("CAST(X'4f27427269656e' AS TEXT)");
    expect(sqlLiteral(null)).toBe('NULL');
    expect(sqlLiteral(true)).toBe('1');
    expect(sqlLiteral(12.5)).toBe('12.5');
    expect(() => sqlLiteral(Number.NaN)).toThrow();
    expect(sqlLiteral('a\0b')).toBe("CAST(X'610062' AS TEXT)");
    expect(inlineParams({ sql: `select '?', "a?" from t where x = ? and y = ?`, params: ["it's", 2] })).toBe(`select '?', "a?" from t where x = CAST(X'69742773' AS TEXT) and y = 2`);
    expect(() => inlineParams({ sql: 'select ?', params: [] })).toThrow();
    expect(() => inlineParams({ sql: 'select 1', params: [1] })).toThrow();
  });

  it('a hostile value stays one string', async () => {
    const value = "x'); drop table users; --";
    const row = await env.DB.prepare(inlineParams({ sql: 'select ? as v', params: [value] })).first<{ v: string }>();
    expect(row?.v).toBe(value);
  });
});
