import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../src/crypto/sha256';
import { createDb } from '../src/db/client';
import { readDumpdata, type DjangoUser } from '../src/import/django-users';
import { FAILURE_FLOOR_KEY, failureFloorFor, retireFailureFloor } from '../src/import/failure-floor';
import { placeholderEmail, planImport, type ImportPlan, type PictureCheck, type PlannedUser } from '../src/import/import-plan';
import { formatImportReport } from '../src/import/import-report';
import { importStatements, type Statement } from '../src/import/import-statements';
import { readTargetUsers } from '../src/import/target-users';
import { continueDjangoImport } from '../src/maintenance/imported-avatars';
import { newUserId } from '../src/users/user-store';
import { inlineParams, inlineStatement } from '../scripts/lib/sql-literals';
import { cookieFrom, get, postForm, sessionCookieFrom, signUp, signUpAndSignIn, uniqueName, waitForMail } from './helpers';
import { beforeEnv, codeCookieFrom, codeFromMail, fetchWith } from './email-code-helpers';
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
let importedBetween: [number, number];
const planned = (username: string): PlannedUser => plan.users.find((u) => u.django.username === username)!;

beforeAll(async () => {
  const start = Date.now();
  plan = await importAll(source, pictures);
  importedBetween = [start, Date.now()];
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

// Sign-in by emailed code: a code for a confirmed address, a password-reset link otherwise.
async function askSignInCode(email: string): Promise<{ response: Response; after: number }> {
  const after = Date.now();
  const response = await fetchWith(beforeEnv, '/login/code', { fields: { email } });
  expect(response.status).toBe(303);
  return { response, after };
}

async function expectResetLinkInstead(email: string) {
  const { after } = await askSignInCode(email);
  const mail = await waitForMail(email, 'Your Edge Accounts sign-in code', { after });
  expect(mail.code).toBeUndefined();
  expect(mail.link).toContain('/password-reset');
}

async function signInWithCode(email: string): Promise<Response> {
  const { response, after } = await askSignInCode(email);
  const { code } = await codeFromMail(email, 'is your Edge Accounts sign-in code', after);
  return fetchWith(beforeEnv, '/login/code/enter', { cookie: codeCookieFrom(response), fields: { code } });
}

async function confirmedAt(djangoId: number): Promise<number | null> {
  return (await env.DB.prepare('select email_verified_at as t from users where legacy_id = ?').bind(djangoId).first<{ t: number | null }>())!.t;
}

// test/django-fixture/allauth.sql: django-allauth's account_emailaddress rows (also in dumpdata.json).
describe('addresses django-allauth verified', () => {
  it("are confirmed exactly where allauth verified the account's own address, at the time of the import", async () => {
    const rows = await env.DB.prepare('select legacy_id as id, email_verified_at as t from users where legacy_id between 1 and 26 and email_verified_at is not null order by legacy_id').all<{ id: number; t: number }>();
    const names = rows.results.map((row) => source.find((u) => u.id === row.id)!.username);
    // admin, Alice, judy, quinn and "quinn@example.com": as stored; oscar: "Oscar@Example.COM" in allauth.
    expect(names).toEqual(['admin', 'Alice', 'judy', 'oscar', 'quinn', 'quinn@example.com']);
    for (const row of rows.results) {
      expect(row.t).toBeGreaterThanOrEqual(importedBetween[0]);
      expect(row.t).toBeLessThanOrEqual(importedBetween[1]);
    }
  });

  it('a confirmed imported account signs in with an emailed code', async () => {
    const done = await signInWithCode('oscar@example.com');
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/dashboard');
    const dashboard = await (await get('/dashboard', sessionCookieFrom(done))).text();
    expect(dashboard).toContain('oscar@example.com');
    expect(dashboard).not.toContain('Not verified');
  });

  it('an address allauth left unverified, or a verified address other than the account email, gets the reset link instead of a code', async () => {
    // peggy: unverified row; bob: only his old address verified; carol: unverified (carol2
    // verified the same address but loses it to carol, the older account, and gets a placeholder).
    for (const email of ['peggy@example.com', 'bob@example.com', 'carol@example.com']) await expectResetLinkInstead(email);
    expect(planned('carol2')).toMatchObject({ emailPlaceholder: true, addressVerified: false });
    expect(await confirmedAt(21)).toBeNull();
    // No account uses bob's verified old address: the "no account" mail, whose link is the sign-up page.
    const { after } = await askSignInCode('bob.old@example.com');
    expect((await waitForMail('bob.old@example.com', 'sign-in code', { after })).link).not.toContain('/password-reset');
  });

  it('a later run confirms what Django verified since; a changed address is not confirmed by the old one; a confirmation stays with its address', async () => {
    const password = 'a django password 2';
    const hash = await djangoPbkdf2(password, 'later');
    const late = djangoUser(9301, { password: hash });
    const early = djangoUser(9302, { password: hash });
    early.verifiedEmails = [early.email.toUpperCase()];
    await importWithCliSql([late, early]);
    expect(await confirmedAt(9301)).toBeNull();
    const earlyAt = await confirmedAt(9302);
    expect(earlyAt).not.toBeNull();

    // allauth verified late's address since; early's row was unverified meanwhile: kept.
    const before = Date.now();
    const second = await importWithCliSql([{ ...late, verifiedEmails: [late.email] }, { ...early, verifiedEmails: [] }]);
    expect(second.users.map((u) => u.action)).toEqual(['update', 'unchanged']);
    expect(await confirmedAt(9301)).toBeGreaterThanOrEqual(before);
    expect(await confirmedAt(9302)).toBe(earlyAt);

    // late changed address in Django (the verified row is for the old one); early became staff.
    const moved = `moved-${late.email}`;
    await importWithCliSql([{ ...late, email: moved, verifiedEmails: [late.email] }, { ...early, isStaff: true, verifiedEmails: [] }]);
    expect(await confirmedAt(9301)).toBeNull();
    expect(await confirmedAt(9302)).toBe(earlyAt);
    await expectResetLinkInstead(moved);
    expect((await signInWithCode(early.email)).status).toBe(303);
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

  it('counts the addresses imported as confirmed, and says when the source has no allauth data', () => {
    const context = { source: 'dumpdata.json', target: 'test D1', profile: null };
    const withAllauth = formatImportReport(planImport(source, [], { rule: 'rename', newId: newUserId }), { ...context, emailAddresses: 'account.emailaddress' });
    expect(withAllauth).toContain(`confirmed (verified in "account.emailaddress" for the account's own email): 6\n`);
    expect(withAllauth).toContain('not confirmed (a password reset confirms them; until then sign-in by email code sends them a reset link): 20\n');
    // bob (an old address) and carol2 (the address went to carol).
    expect(withAllauth).toContain('of which 2 have a verified allauth address other than the one imported');

    const bare = readDumpdata(JSON.stringify(dumpdata.filter((entry) => entry.model !== 'account.emailaddress')));
    expect(bare.emailAddresses).toBeNull();
    const plain = planImport(bare.users, [], { rule: 'rename', newId: newUserId });
    expect(plain.users.filter((u) => u.addressVerified)).toEqual([]);
    const report = formatImportReport(plain, context);
    expect(report).toContain('confirmed: 0 (no django-allauth addresses in the source');
    expect(report).toContain('sends them a reset link): 26\n');
  });

  it('the SQL the CLI writes carries exactly these statements, with no input text in it', async () => {
    const user = plan.users.find((u) => u.django.username === 'zoë')!;
    const [insert] = importStatements({ ...user, action: 'insert' }, 1);
    const sql = inlineStatement(insert!);
    expect(sql).not.toContain(user.passwordHash);
    expect(sql).not.toContain('zoë');
    expect(sql).not.toContain("'zo");
    expect(sql.split('?').length).toBe(1);
    expect(inlineParams({ sql: 'select ?, ?, ?', params: ["it's", null, 7] })).toBe("select CAST(X'69742773' AS TEXT), NULL, 7");
    const row = await env.DB.prepare(inlineParams({ sql: 'select ? as v', params: ['zoë\0;BEGIN TRANSACTION;x;COMMIT;'] })).first<{ v: string }>();
    expect(row!.v).toBe('zoë\0;BEGIN TRANSACTION;x;COMMIT;');
  });

  it('quotes every value taken from the input, so no terminal escape reaches the output', () => {
    const escapes = '\u001b]0;pwned\u0007\u001b[2J';
    const user = djangoUser(9241, { username: 'c1\u009b2J\u202ename', email: `x${escapes}@example.com`, picture: `profile_pics/${escapes}` });
    const pictures = new Map<number, PictureCheck>([[9241, { kind: 'unusable', path: user.picture!, reason: 'file not found under --media' }]]);
    const report = formatImportReport(planImport([user], [], { rule: null, newId: newUserId, pictures }), { source: `db${escapes}.sqlite3`, target: 'test D1', profile: `app_1_profile.${escapes}` });
    expect(report).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(report).toContain('"profile_pics/\\u001b]0;pwned\\u0007\\u001b[2J": file not found under --media');
    expect(report).toContain('"c1\\u009b2J\\u202ename"');
  });
});

// A Django password hash as Django's PBKDF2 hasher writes it, with the salt chosen.
async function djangoPbkdf2(password: string, salt: string, iterations = 1000): Promise<string> {
  const utf8 = new TextEncoder();
  const key = await crypto.subtle.importKey('raw', utf8.encode(password), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: utf8.encode(salt), iterations }, key, 256);
  return `pbkdf2_sha256$${iterations}$${salt}$${btoa(String.fromCharCode(...new Uint8Array(bits)))}`;
}

function djangoUser(id: number, fields: Partial<DjangoUser> = {}): DjangoUser {
  const username = fields.username ?? uniqueName('imported');
  return { id, username, email: `imported-${id}-${Date.now()}@example.com`, password: '', isActive: true, isStaff: false, isSuperuser: false, dateJoined: Date.UTC(2020, 0, 1), lastLogin: null, picture: null, verifiedEmails: [], ...fields };
}

async function importWithCliSql(users: DjangoUser[], rule: 'rename' | 'skip' | null = null): Promise<ImportPlan> {
  const planned = planImport(users, await target(), { rule, newId: newUserId });
  const sql = planned.users.flatMap((user) => importStatements(user, Date.now())).map(inlineStatement);
  if (sql.length) await env.DB.batch(sql.map((line) => env.DB.prepare(line)));
  return planned;
}

describe('odd text in the Django data', () => {
  it('a hash with BEGIN TRANSACTION, quotes and semicolons in its salt is stored byte-exact and signs in', async () => {
    const password = 'a django password 1';
    const hash = await djangoPbkdf2(password, "BEGIN TRANSACTION;x;COMMIT;it's\";--");
    const user = djangoUser(9201, { password: hash });
    const written = await importWithCliSql([user]);
    expect(written.users[0]!.mustReset).toBe(false);
    expect(await storedHash(9201)).toBe(hash);
    expect((await signIn(user.username, password)).status).toBe(303);
  });

  it('a hash with a NUL, control characters, broken Unicode or absurd length is a must-reset account, reported', async () => {
    const odd = {
      nul: 'pbkdf2_sha256$1000$salt\0$abc=',
      escape: 'pbkdf2_sha256$1000$\u001b[2J$abc=',
      surrogate: 'pbkdf2_sha256$1000$\ud800$abc=',
      long: `pbkdf2_sha256$1000$${'s'.repeat(600)}$abc=`,
      begin: 'BEGIN TRANSACTION;x;COMMIT;',
    };
    const users = Object.values(odd).map((password, i) => djangoUser(9211 + i, { password }));
    const written = await importWithCliSql(users);
    expect(written.users.map((u) => [u.mustReset, u.passwordHash])).toEqual([
      [true, '!django-import:unreadable'],
      [true, '!django-import:unreadable'],
      [true, '!django-import:unreadable'],
      [true, '!django-import:unreadable'],
      [true, '!django-import:unknown'],
    ]);
    const rows = await env.DB.prepare('select must_reset_password as m, password_hash as h from users where legacy_id between 9211 and 9215').all<{ m: number; h: string }>();
    expect(rows.results.map((r) => r.m)).toEqual([1, 1, 1, 1, 1]);
    const report = formatImportReport(written, { source: 'dumpdata.json', target: 'test D1', profile: null });
    for (const user of users) expect(report).toContain(`    ${JSON.stringify(user.username)}: `);
    expect(report).toContain('unreadable hash (control characters or NUL)');
    expect(report).not.toContain('BEGIN TRANSACTION');
  });
});

describe('addresses and usernames that would shadow each other', () => {
  it('an imported address equal to a username here is a conflict; rename gives a placeholder address and the owner keeps signing in', async () => {
    const owner = await signUp({ username: `${uniqueName('vic.x')}@mail.example`, email: `${uniqueName('own')}@example.com` });
    expect(owner.response.status).toBe(303);
    const password = 'the squatters django password';
    const squatter = djangoUser(9221, { email: owner.username.toUpperCase(), password: await djangoPbkdf2(password, 'somesalt') });

    const undecided = planImport([squatter], await target(), { rule: null, newId: newUserId });
    expect(undecided.needsDecision).toBe(true);
    expect(undecided.users[0]!.issues).toEqual([{ kind: 'email_is_other_users_username', with: owner.username, here: true }]);
    const report = formatImportReport(undecided, { source: 'dumpdata.json', target: 'test D1', profile: null });
    expect(report).toContain(`${JSON.stringify(squatter.email)} is the username of ${JSON.stringify(owner.username)}, an account here`);
    expect(planImport([squatter], await target(), { rule: 'skip', newId: newUserId }).users[0]!.action).toBe('skip');

    const renamed = await importWithCliSql([squatter], 'rename');
    expect(renamed.users[0]).toMatchObject({ action: 'insert', username: squatter.username, email: placeholderEmail(9221) });
    expect((await signIn(owner.username, owner.password)).status).toBe(303);
    expect((await signIn(owner.username, password)).status).toBe(401);
    expect((await signIn(squatter.username, password)).status).toBe(303);
  });

  it('a username equal to an address, here or elsewhere in the file, is a conflict; the name yields', async () => {
    const here = await signUpAndSignIn();
    const addressLike = `${uniqueName('vic.y')}@mail.example`;
    const a = djangoUser(9231, { username: here.email.toUpperCase() });
    const b = djangoUser(9232, { username: addressLike });
    const c = djangoUser(9233, { email: addressLike.toUpperCase() });
    const planned = planImport([a, b, c], await target(), { rule: 'rename', newId: newUserId });
    const [pa, pb, pc] = planned.users;
    expect(pa!.issues).toEqual([{ kind: 'username_is_other_users_email', with: here.username }]);
    expect(pa!.username).toBe(`${here.email.split('@')[0]!.toUpperCase()}-9231`);
    expect(pb!.issues).toEqual([{ kind: 'username_is_other_users_email', with: c.username }]);
    expect(pb!.username).toBe(`${addressLike.split('@')[0]}-9232`);
    expect(pc!.issues).toEqual([]);
    expect(pc!.email).toBe(addressLike);
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
