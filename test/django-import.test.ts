import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../src/crypto/sha256';
import { createDb } from '../src/db/client';
import { readDumpdata } from '../src/import/django-users';
import { FAILURE_FLOOR_KEY, failureFloorFor, retireFailureFloor } from '../src/import/failure-floor';
import { planImport, type ImportPlan, type PictureCheck, type PlannedUser } from '../src/import/import-plan';
import { formatImportReport } from '../src/import/import-report';
import { importStatements, inlineStatement, type Statement } from '../src/import/import-statements';
import { readTargetUsers } from '../src/import/target-users';
import { continueDjangoImport } from '../src/maintenance/imported-avatars';
import { newUserId } from '../src/users/user-store';
import { cookieFrom, get, postForm, sessionCookieFrom, signUpAndSignIn, waitForMail } from './helpers';
import { bytesContain, fixture, readObject, testStore } from './profile-helpers';
import dumpdata from './django-fixture/dumpdata.json';
import fixture_ from './django-fixture/users.json';

// The Django fixture (a real Django 4.2 site) imported into this file's fresh D1 with the
// statements the CLI writes (it inlines the same parameters into SQL for wrangler), then
// every user signs in over HTTP with their Django password.
const djangoUsers = fixture_.users;
const source = readDumpdata(JSON.stringify(dumpdata)).users;
const db = createDb(env.DB);
const store = testStore();

async function runStatements(statements: Statement[]) {
  if (statements.length) await env.DB.batch(statements.map((s) => env.DB.prepare(s.sql).bind(...s.params)));
}

async function target() {
  return readTargetUsers(async (sql) => (await env.DB.prepare(sql).all<Record<string, unknown>>()).results);
}

async function importAll(users = source, checks = pictures): Promise<ImportPlan> {
  const plan = planImport(users, await target(), { rule: 'rename', newId: newUserId, pictures: checks });
  await runStatements(plan.users.flatMap((user) => importStatements(user, Date.now())));
  return plan;
}

async function storedHash(djangoId: number): Promise<string> {
  return (await env.DB.prepare('select password_hash as h from users where legacy_id = ?').bind(djangoId).first<{ h: string }>())!.h;
}

const signIn = (login: string, password: string) => postForm('/login', { login, password });
const photo = fixture('photo-gps.jpg');
// Alice's picture is a JPEG with GPS EXIF (test/fixtures/photo-gps.jpg, the source of the Django fixture's).
const pictures = new Map<number, PictureCheck>([[3, { kind: 'image', path: 'profile_pics/Alice_holiday.jpg', contentHash: sha256Hex(photo), extension: 'jpg' }]]);
let plan: ImportPlan;
const planned = (username: string): PlannedUser => plan.users.find((u) => u.django.username === username)!;

beforeAll(async () => {
  plan = await importAll(source, pictures);
});

describe('signing in with Django passwords', () => {
  const canSignIn = djangoUsers.filter((u) => u.expect.sign_in === 'ok');
  it.each(canSignIn.map((u) => [`${u.username} (${u.hasher})`, u] as const))('%s: the Django password works, then the new hash does', async (_, user) => {
    const login = planned(user.username).username;
    expect(await storedHash(user.id)).toBe(user.password_hash);
    // Checked against the Django hash, as typed (for zoë: the NFD spelling of her password).
    expect((await signIn(login, user.django_rejects[0]!)).status).toBe(401);
    const first = await signIn(login, user.password!);
    expect(first.status).toBe(303);
    sessionCookieFrom(first);
    const replaced = await storedHash(user.id);
    expect(replaced).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    // The second sign-in is checked against the new hash: it is not replaced again.
    expect((await signIn(login, user.password!)).status).toBe(303);
    expect(await storedHash(user.id)).toBe(replaced);
  });

  it('renamed users sign in with their email too', async () => {
    const alice = djangoUsers.find((u) => u.username === 'alice')!;
    expect(planned('alice').username).toBe('alice-4');
    expect((await signIn(alice.email, alice.password!)).status).toBe(303);
  });

  it('an inactive account is refused with the right password, as Django does', async () => {
    const frank = djangoUsers.find((u) => u.expect.sign_in === 'inactive')!;
    const res = await signIn(frank.username, frank.password!);
    expect(res.status).toBe(401);
    expect(await storedHash(frank.id)).toBe(frank.password_hash);
  });
});

describe('accounts that must reset their password', () => {
  const resets = djangoUsers.filter((u) => u.expect.password === 'must_reset');

  it('are imported without any usable hash and flagged', async () => {
    for (const user of resets) {
      const row = await env.DB.prepare('select password_hash as h, must_reset_password as m from users where legacy_id = ?').bind(user.id).first<{ h: string; m: number }>();
      expect(row!.m).toBe(1);
      expect(row!.h).toMatch(/^!django-import:/);
      expect(row!.h).not.toContain(user.password_hash.slice(-12) || 'x');
    }
  });

  it('get the same answer as an unknown account, with the way to the reset link', async () => {
    await env.SESSIONS.put(FAILURE_FLOOR_KEY, JSON.stringify({ floorMs: 50, setAt: Date.now() }));
    const grace = resets.find((u) => u.username === 'grace')!;
    const page = (res: Response, login: string) => res.text().then((html) => html.replace(login, 'LOGIN'));
    const mustReset = await signIn('grace', grace.password!);
    const unknown = await signIn('nobody-like-grace', grace.password!);
    expect(mustReset.status).toBe(401);
    const html = await page(mustReset, 'grace');
    expect(html).toBe(await page(unknown, 'nobody-like-grace'));
    expect(html).toContain('Had an account on our previous site?');
    expect(html).toContain('href="/password-reset"');
  });

  it('choose a new password through the reset link, which clears the flag', async () => {
    const heidi = resets.find((u) => u.username === 'heidi')!;
    const start = Date.now();
    await postForm('/password-reset', { email: heidi.email });
    const mail = await waitForMail(heidi.email, 'Reset your', { after: start });
    const url = new URL(mail.link!);
    const opened = await get(`${url.pathname}${url.search}`);
    const cookie = cookieFrom(opened, 'reset_token')!;
    const fresh = 'a brand new password 77';
    expect((await postForm('/password-reset/confirm', { password: fresh, passwordConfirm: fresh }, { cookie })).status).toBe(303);
    expect((await signIn('heidi', fresh)).status).toBe(303);
    const row = await env.DB.prepare('select must_reset_password as m from users where legacy_id = ?').bind(heidi.id).first<{ m: number }>();
    expect(row!.m).toBe(0);
  });
});

// Without the floor an imported account's wrong password answers ~1 s later than an
// unknown login's (PBKDF2 at 1,000,000 iterations against one Argon2id): that is the
// oracle. With it, every failure takes the floor.
describe('no timing oracle for imported accounts', () => {
  async function failureTime(login: string): Promise<number> {
    const start = performance.now();
    const res = await signIn(login, 'certainly not the password');
    expect(res.status).toBe(401);
    return performance.now() - start;
  }

  it('holds every failed sign-in to the floor while imported hashes remain', async () => {
    const native = await signUpAndSignIn();
    // An imported account that has not signed in yet, with Django 5.2's 1,000,000 iterations.
    const bob = source.find((u) => u.username === 'bob')!;
    await importAll([...source, { ...bob, id: 9001, username: 'timing-probe', email: 'timing-probe@example.com' }]);
    await env.SESSIONS.delete(FAILURE_FLOOR_KEY);
    const unguardedUnknown = await failureTime('nobody-at-all');
    const unguardedImported = await failureTime('timing-probe');
    expect(unguardedImported - unguardedUnknown).toBeGreaterThan(400);

    const floorMs = failureFloorFor(source.map((u) => u.password));
    expect(floorMs).toBeGreaterThanOrEqual(1500);
    await env.SESSIONS.put(FAILURE_FLOOR_KEY, JSON.stringify({ floorMs, setAt: Date.now() }));
    const times = { unknown: await failureTime('nobody-at-all'), imported: await failureTime('timing-probe'), native: await failureTime(native.username), mustReset: await failureTime('ivan') };
    console.log(`Failed sign-in times with a ${floorMs} ms floor: ${JSON.stringify(times)}; without: unknown ${Math.round(unguardedUnknown)} ms, imported (1M PBKDF2) ${Math.round(unguardedImported)} ms`);
    for (const time of Object.values(times)) {
      expect(time).toBeGreaterThanOrEqual(floorMs - 20);
      expect(time).toBeLessThan(floorMs + 400);
    }
  }, 60_000);
});

describe('a second run', () => {
  it('writes nothing when nothing changed, and keeps passwords set here since', async () => {
    const trent = djangoUsers.find((u) => u.username === 'trent')!;
    expect((await signIn('trent', trent.password!)).status).toBe(303);
    const trentHash = await storedHash(trent.id);
    const before = await env.DB.prepare('select count(*) as n from users').first<{ n: number }>();
    const again = planImport(source, await target(), { rule: 'rename', newId: newUserId, pictures });
    expect(again.users.filter((u) => u.action === 'insert' || u.action === 'update')).toEqual([]);
    expect(again.users.find((u) => u.django.id === trent.id)!.action).toBe('used_here');
    await runStatements(again.users.flatMap((user) => importStatements(user, Date.now())));
    expect(await env.DB.prepare('select count(*) as n from users').first<{ n: number }>()).toEqual(before);

    // Django changed meanwhile: the account never used here follows, the one used here does not.
    const changed = source.map((u) => (u.username === 'trent' || u.username === 'judy' ? { ...u, email: `${u.username}.new@example.com`, isStaff: true } : u));
    const third = await importAll(changed);
    expect(third.users.filter((u) => u.action === 'update').map((u) => u.django.username)).toEqual(['judy']);
    expect(await storedHash(trent.id)).toBe(trentHash);
    const rows = await env.DB.prepare("select username, email, is_staff as s from users where username in ('judy', 'trent') order by username").all();
    expect(rows.results).toEqual([
      { username: 'judy', email: 'judy.new@example.com', s: 1 },
      { username: 'trent', email: 'trent@example.com', s: 0 },
    ]);
    await importAll(source);
  });
});

describe('pictures', () => {
  it('are processed like an upload: square WebP, no EXIF, the original deleted', async () => {
    const alice = planned('Alice');
    expect(alice.picture.kind).toBe('stage');
    const importKey = alice.picture.kind === 'stage' ? alice.picture.key : '';
    await store.put(importKey, photo, 'image/jpeg');
    const run = await continueDjangoImport(db, store, env.IMAGES, env.SESSIONS);
    expect(run.processed).toBe(1);
    const profile = await env.DB.prepare('select avatar_key as k, avatar_import_key as i from profiles where user_id = ?').bind(alice.id).first<{ k: string; i: string | null }>();
    expect(profile!.i).toBeNull();
    expect(profile!.k).toMatch(new RegExp(`^avatars/${alice.id}/[0-9a-f]{32}\\.webp$`));
    const served = await get(`/media/${profile!.k}`);
    expect(served.headers.get('content-type')).toBe('image/webp');
    const bytes = new Uint8Array(await served.arrayBuffer());
    expect(bytesContain(photo, 'EXIF-MARKER-FOR-TESTS')).toBe(true);
    expect(bytesContain(bytes, 'EXIF-MARKER-FOR-TESTS')).toBe(false);
    expect(bytesContain(bytes, 'Exif')).toBe(false);
    expect(await readObject(importKey)).toBeNull();
    // The original is never served, even while staged.
    expect((await get(`/media/${importKey}`)).status).toBe(404);
  });

  it('a picture that cannot be processed leaves the default avatar', async () => {
    const staffer = planned('staffer');
    const bytes = fixture('not-an-image.jpg');
    const key = `imports/${staffer.id}/${sha256Hex(bytes).slice(0, 32)}.jpg`;
    await store.put(key, bytes, 'image/jpeg');
    await env.DB.prepare('update profiles set avatar_import_key = ? where user_id = ?').bind(key, staffer.id).run();
    const run = await continueDjangoImport(db, store, env.IMAGES, env.SESSIONS);
    expect(run.unusable).toEqual([staffer.id]);
    const profile = await env.DB.prepare('select avatar_key as k, avatar_import_key as i from profiles where user_id = ?').bind(staffer.id).first<{ k: string | null; i: string | null }>();
    expect(profile).toEqual({ k: null, i: null });
    expect(await readObject(key)).toBeNull();
  });
});

describe('the report', () => {
  it('lists every conflict, every must-reset account and every unusable picture by username', () => {
    const pictures = new Map<number, PictureCheck>([
      [25, { kind: 'unusable', path: 'profile_pics/victor.jpg', reason: 'not a JPEG, PNG, WebP, GIF or AVIF image' }],
      [26, { kind: 'unusable', path: 'profile_pics/walter.jpg', reason: 'file not found under --media' }],
    ]);
    const fresh = planImport(source, [], { rule: null, newId: newUserId, pictures });
    expect(fresh.needsDecision).toBe(true);
    const report = formatImportReport(fresh, { source: 'db.sqlite3', target: 'test D1', profile: 'app_1_profile.profile_pic' });
    const section = (title: string) => report.slice(report.indexOf(title)).split('\n\n')[0]!;
    const conflicts = section('Conflicts Django allowed');
    for (const conflict of fixture_.conflicts) for (const username of conflict.usernames) expect(conflicts).toContain(JSON.stringify(username));
    for (const user of djangoUsers.filter((u) => u.expect.password === 'must_reset')) expect(section('Passwords')).toContain(JSON.stringify(user.username));
    for (const user of djangoUsers.filter((u) => u.expect.picture === 'default_avatar_reported')) expect(section('Pictures')).toContain(JSON.stringify(user.username));
    expect(report).toContain('--on-conflict rename');
  });

  it('the SQL the CLI writes carries exactly these statements', () => {
    const user = plan.users.find((u) => u.django.username === 'zoë')!;
    const [insert] = importStatements({ ...user, action: 'insert' }, 1);
    const sql = inlineStatement(insert!);
    expect(sql).toContain(`'${user.passwordHash}'`);
    expect(sql).toContain("'zoë'");
    expect(sql.split('?').length).toBe(1);
    expect(inlineStatement({ sql: 'select ?, ?', params: ["it's", null] })).toBe("select 'it''s', NULL;");
  });
});

// Last in this file: it gives every imported account a password of this app.
describe('the end of the move', () => {
  it('removes the failure floor once no imported account is left without a password here', async () => {
    await env.SESSIONS.put(FAILURE_FLOOR_KEY, JSON.stringify({ floorMs: 2000, setAt: Date.now() }));
    expect(await retireFailureFloor(db, env.SESSIONS)).toBe(false);
    await env.DB.prepare("update users set password_hash = '$argon2id$stand-in', must_reset_password = 0 where legacy_id is not null").run();
    expect(await retireFailureFloor(db, env.SESSIONS)).toBe(true);
    expect(await env.SESSIONS.get(FAILURE_FLOOR_KEY)).toBeNull();
    expect((await signIn('nobody-at-all', 'x')).status).toBe(401);
  });
});
