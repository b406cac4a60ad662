// The import CLI in Node, where it runs (vitest runs the other tests inside workerd, which
// has no disk, no node:sqlite and no child processes). Run with:
//   node --import ./scripts/lib/typescript-loader.mjs --test test/django-import-cli.node-test.mts
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { pbkdf2Sync } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import S3rver from 's3rver';
import { checkPictures } from '../scripts/import-django/pictures';
import { readDjangoSource } from '../scripts/import-django/read-source';
import { createObjectStore } from '../src/storage/object-store';

const FIXTURE = 'test/django-fixture';
const expected = JSON.parse(readFileSync(join(FIXTURE, 'users.json'), 'utf8')) as {
  users: { id: number; username: string; email: string; password_hash: string; is_active: boolean; is_staff: boolean; is_superuser: boolean; profile_pic: string | null; expect: { picture: string } }[];
};

// Asynchronous: the test's own S3 server runs in this process and must keep answering.
function cli(args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', '--import', './scripts/lib/typescript-loader.mjs', 'scripts/import-django/cli.ts', ...args], {
    env: { ...process.env, ...env },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  child.stderr.on('data', (chunk) => (err += chunk));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, out, err })));
}

function wranglerQuery(persistTo: string, sql: string): Record<string, unknown>[] {
  const result = spawnSync('node_modules/.bin/wrangler', ['d1', 'execute', 'DB', '--local', '--persist-to', persistTo, '--json', '--command', sql], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return (JSON.parse(result.stdout.slice(result.stdout.indexOf('['))) as { results: Record<string, unknown>[] }[])[0]!.results;
}

function freshState(): string {
  const dir = mkdtempSync(join(tmpdir(), 'import-django-state-'));
  rmSync(dir, { recursive: true });
  return dir;
}

// A Django PBKDF2 hash with the salt chosen (Django's salts may hold any character but "$").
function djangoPbkdf2(password: string, salt: string, iterations = 1000): string {
  return `pbkdf2_sha256$${iterations}$${salt}$${pbkdf2Sync(password, salt, iterations, 32, 'sha256').toString('base64')}`;
}

type Fields = Record<string, unknown>;
const authUser = (pk: number, fields: Fields) => ({
  model: 'auth.user',
  pk,
  fields: { password: '', last_login: null, is_superuser: false, username: `user${pk}`, email: `user${pk}@example.com`, is_staff: false, is_active: true, date_joined: '2020-01-01T00:00:00Z', ...fields },
});
const profile = (pk: number, picture: string) => ({ model: 'app_1.profile', pk, fields: { user: pk, profile_pic: picture } });

// As `manage.py dumpdata` writes it: JSON, so a NUL is "\u0000".
function writeDumpdata(dir: string, entries: object[]): string {
  const file = join(dir, 'dumpdata.json');
  writeFileSync(file, JSON.stringify(entries));
  return file;
}

// Printed to a terminal, these would act on it (ESC, BEL, the C1 controls, DEL).
const TERMINAL_CONTROLS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

describe('reading a Django site', () => {
  it('reads the same users from the SQLite database and from dumpdata', () => {
    const sqlite = readDjangoSource(join(FIXTURE, 'db.sqlite3'), {});
    const json = readDjangoSource(join(FIXTURE, 'dumpdata.json'), {});
    assert.deepEqual(sqlite.profile, { table: 'app_1_profile', column: 'profile_pic' });
    assert.deepEqual(json.profile, sqlite.profile);
    assert.equal(sqlite.users.length, expected.users.length);
    for (const user of expected.users) {
      const a = sqlite.users.find((u) => u.id === user.id)!;
      const b = json.users.find((u) => u.id === user.id)!;
      assert.deepEqual(
        [a.username, a.email, a.password, a.isActive, a.isStaff, a.isSuperuser, a.picture],
        [user.username, user.email, user.password_hash, user.is_active, user.is_staff, user.is_superuser, user.profile_pic],
      );
      // dumpdata keeps milliseconds; SQLite microseconds, of which the import keeps milliseconds.
      assert.deepEqual(b, a);
    }
    // django-allauth's rows (test/django-fixture/allauth.sql), verified ones only, as stored.
    assert.equal(sqlite.emailAddresses, 'account_emailaddress');
    assert.equal(json.emailAddresses, 'account.emailaddress');
    const verified = (id: number) => sqlite.users.find((u) => u.id === id)!.verifiedEmails;
    assert.deepEqual([verified(5), verified(20), verified(2), verified(4)], [['bob.old@example.com'], ['Oscar@Example.COM'], [], []]);
  });

  it('reads allauth rows dumped with --natural-foreign; a source without them has none', () => {
    const dir = mkdtempSync(join(tmpdir(), 'import-django-allauth-'));
    try {
      const address = (pk: number, user: unknown, email: string, verified: boolean) => ({ model: 'account.emailaddress', pk, fields: { user, email, verified, primary: true } });
      const file = writeDumpdata(dir, [authUser(401, { username: 'nat' }), authUser(402, {}), address(1, ['nat'], 'USER401@example.com', true), address(2, 402, 'user402@example.com', false)]);
      const found = readDjangoSource(file, {});
      assert.deepEqual(found.users.map((u) => u.verifiedEmails), [['USER401@example.com'], []]);
      writeDumpdata(dir, [authUser(401, {}), address(1, ['nobody'], 'x@example.com', true)]);
      assert.throws(() => readDjangoSource(file, {}), /account.emailaddress 1: unknown user \["nobody"\]/);
      writeDumpdata(dir, [authUser(401, {})]);
      assert.equal(readDjangoSource(file, {}).emailAddresses, null);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('finds the profile table from the data, and takes an explicit one', () => {
    assert.throws(() => readDjangoSource(join(FIXTURE, 'db.sqlite3'), { table: 'app_1_profile', column: 'missing' }), /No column missing/);
    assert.throws(() => readDjangoSource(join(FIXTURE, 'db.sqlite3'), { table: 'nope', column: 'profile_pic' }), /No table nope/);
  });

  it('checks every picture as users.json expects', async () => {
    const { users } = readDjangoSource(join(FIXTURE, 'db.sqlite3'), {});
    const checks = await checkPictures({ kind: 'dir', root: join(FIXTURE, 'media') }, users);
    const kinds = { processed: 'image', default_avatar: 'default', default_avatar_reported: 'unusable' } as Record<string, string>;
    for (const user of expected.users) assert.equal(checks.get(user.id)?.kind ?? 'default', kinds[user.expect.picture], user.username);
  });
});

describe('npm run import:django', () => {
  let state: string;
  let s3: S3rver;
  let s3Dir: string;
  let endpoint: string;

  before(async () => {
    state = mkdtempSync(join(tmpdir(), 'import-django-state-'));
    rmSync(state, { recursive: true });
    s3Dir = mkdtempSync(join(tmpdir(), 'import-django-s3-'));
    s3 = new S3rver({ port: 0, address: '127.0.0.1', directory: s3Dir, silent: true, configureBuckets: [{ name: 'edge-accounts-media', configs: [] }] });
    endpoint = `http://127.0.0.1:${((await s3.run()) as AddressInfo).port}`;
  });
  after(async () => {
    await s3.close();
    rmSync(state, { recursive: true, force: true });
    rmSync(s3Dir, { recursive: true, force: true });
  });

  const media = ['--media', join(FIXTURE, 'media')];

  it('stops with status 2 and writes nothing when conflicts need a decision', async () => {
    const run = await cli([join(FIXTURE, 'db.sqlite3'), ...media, '--persist-to', state]);
    assert.equal(run.status, 2, run.err);
    assert.match(run.out, /These need a decision; nothing was written/);
    for (const name of ['alice', 'ｂｏｂ', 'carol2', 'dave', 'mallory', 'erin', 'quinn@example.com']) assert.ok(run.out.includes(JSON.stringify(name)), name);
    assert.equal(existsSync(state), false);
  });

  it('--dry-run prints the report and writes nothing', async () => {
    const run = await cli([join(FIXTURE, 'dumpdata.json'), ...media, '--persist-to', state, '--on-conflict', 'rename', '--dry-run']);
    assert.equal(run.status, 0, run.err);
    assert.match(run.out, /new: 26,/);
    assert.ok(run.out.includes(`confirmed (verified in "account.emailaddress" for the account's own email): 6\n`), run.out);
    assert.match(run.out, /Dry run: nothing was written/);
    assert.equal(existsSync(state), false);
  });

  it('imports, stages the pictures, and a second run writes nothing', async () => {
    const run = await cli([join(FIXTURE, 'db.sqlite3'), ...media, '--persist-to', state, '--on-conflict', 'rename'], { S3_ENDPOINT: endpoint });
    assert.equal(run.status, 0, run.err + run.out);
    assert.match(run.err, /Writing users: 26\/26 \(100%\), [\d.]+ users\/s/);
    const rows = wranglerQuery(state, 'select u.username, u.legacy_id as id, u.must_reset_password as m, p.avatar_import_key as k from users u join profiles p on p.user_id = u.id order by u.legacy_id');
    assert.equal(rows.length, 26);
    assert.deepEqual(rows.filter((r) => r.k).map((r) => r.username), ['Alice', 'alice-4', 'zoë']);
    for (const row of rows.filter((r) => r.k)) assert.ok(existsSync(join(s3Dir, 'edge-accounts-media', `${row.k}._S3rver_object`)), String(row.k));
    assert.equal(rows.filter((r) => r.m).length, 7);
    assert.ok(run.out.includes(`confirmed (verified in "account_emailaddress" for the account's own email): 6\n`), run.out);
    const confirmedQuery = 'select legacy_id as id, email_verified_at as t from users where email_verified_at is not null order by legacy_id';
    const confirmed = wranglerQuery(state, confirmedQuery);
    // admin, Alice, judy, oscar, quinn, "quinn@example.com" (test/django-fixture/allauth.sql).
    assert.deepEqual(confirmed.map((r) => r.id), [1, 3, 15, 20, 22, 23]);

    const again = await cli([join(FIXTURE, 'db.sqlite3'), ...media, '--persist-to', state, '--on-conflict', 'rename'], { S3_ENDPOINT: endpoint });
    assert.equal(again.status, 0, again.err);
    assert.match(again.out, /new: 0, refreshed from Django: 0, already up to date: 26/);
    assert.match(again.out, /Written: 0 users/);
    assert.equal(wranglerQuery(state, 'select count(*) as n from users')[0]!.n, 26);
    assert.deepEqual(wranglerQuery(state, confirmedQuery), confirmed);
  });

  it('--media-s3-prefix reads the pictures django-storages put in the bucket', async () => {
    const store = createObjectStore({ bucket: 'edge-accounts-media', region: 'us-east-1', endpoint, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' });
    for (const name of ['default.jpg', 'profile_pics/Alice_holiday.jpg', 'profile_pics/alice.png', 'profile_pics/Zoë_à_la_plage.jpg', 'profile_pics/victor.jpg']) {
      await store.put(`media/${name}`, readFileSync(join(FIXTURE, 'media', name)), 'application/octet-stream');
    }
    const fresh = mkdtempSync(join(tmpdir(), 'import-django-state-'));
    rmSync(fresh, { recursive: true });
    const run = await cli([join(FIXTURE, 'db.sqlite3'), '--media-s3-prefix', 'media/', '--persist-to', fresh, '--on-conflict', 'rename', '--dry-run'], { S3_ENDPOINT: endpoint });
    assert.equal(run.status, 0, run.err);
    assert.match(run.out, /to process \(square WebP 512 \+ 96 px, no metadata, by the hourly job\): 3/);
    assert.match(run.out, /"victor": "profile_pics\/victor.jpg": not a JPEG/);
    assert.match(run.out, /"walter": "profile_pics\/walter.jpg": object not found under --media-s3-prefix/);
  });

  it('--media refuses a picture that a symlink or ".." leads out of the media folder; the account is still imported', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'import-django-media-'));
    try {
      const mediaDir = join(dir, 'media');
      mkdirSync(join(mediaDir, 'profile_pics'), { recursive: true });
      mkdirSync(join(dir, 'outside'));
      copyFileSync(join(FIXTURE, 'media', 'profile_pics', 'alice.png'), join(mediaDir, 'profile_pics', 'inside.png'));
      copyFileSync(join(FIXTURE, 'media', 'profile_pics', 'alice.png'), join(dir, 'outside', 'secret.png'));
      symlinkSync(join(dir, 'outside', 'secret.png'), join(mediaDir, 'profile_pics', 'link.png'));
      symlinkSync(join(dir, 'outside'), join(mediaDir, 'dirlink'));
      symlinkSync('inside.png', join(mediaDir, 'profile_pics', 'same-folder.png'));
      const pictures: Record<number, string> = {
        301: 'profile_pics/inside.png',
        302: 'profile_pics/same-folder.png',
        303: 'profile_pics/link.png',
        304: 'dirlink/secret.png',
        305: '../outside/secret.png',
        306: 'profile_pics/../../outside/secret.png',
        307: join(dir, 'outside', 'secret.png'),
      };
      const entries = Object.entries(pictures).flatMap(([pk, picture]) => [authUser(Number(pk), { username: `pic${pk}` }), profile(Number(pk), picture)]);
      const file = writeDumpdata(dir, entries);
      const state = freshState();
      const run = await cli([file, '--media', mediaDir, '--persist-to', state], { S3_ENDPOINT: endpoint });
      assert.equal(run.status, 0, run.err + run.out);
      assert.match(run.out, /new: 7,/);
      assert.match(run.out, /to process \(square WebP 512 \+ 96 px, no metadata, by the hourly job\): 2/);
      assert.match(run.out, /"pic303": "profile_pics\/link.png": a symlink leads out of --media/);
      assert.match(run.out, /"pic304": "dirlink\/secret.png": a symlink leads out of --media/);
      for (const pk of [305, 306, 307]) assert.match(run.out, new RegExp(`"pic${pk}": .*: the path leaves the media folder`));
      const rows = wranglerQuery(state, 'select u.legacy_id as id, p.avatar_import_key as k from users u join profiles p on p.user_id = u.id order by u.legacy_id');
      assert.deepEqual(rows.map((r) => [r.id, r.k !== null]), [[301, true], [302, true], [303, false], [304, false], [305, false], [306, false], [307, false]]);
      rmSync(state, { recursive: true, force: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('odd text in the Django data, through wrangler d1 execute', () => {
  let dir: string;
  let state: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'import-django-odd-'));
    state = freshState();
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(state, { recursive: true, force: true });
  });

  it('stores hashes holding BEGIN TRANSACTION, quotes and semicolons byte-exact; a NUL makes a must-reset account', async () => {
    const hashes = {
      101: djangoPbkdf2('pw one', 'BEGIN TRANSACTION'),
      102: djangoPbkdf2('pw two', 'BEGIN TRANSACTION;x;COMMIT;'),
      103: djangoPbkdf2('pw three', 'salt\u0000with a NUL'),
      104: djangoPbkdf2('pw four', `it's";DROP TABLE users;--`),
    };
    const file = writeDumpdata(dir, [
      authUser(101, { username: 'begin', password: hashes[101] }),
      authUser(102, { username: 'begin_commit', password: hashes[102] }),
      authUser(103, { username: 'nul', password: hashes[103] }),
      authUser(104, { username: `o'brien";--;COMMIT;`, email: 'obrien@example.com', password: hashes[104] }),
    ]);
    assert.ok(readFileSync(file, 'utf8').includes('\\u0000'));
    const run = await cli([file, '--persist-to', state, '--on-conflict', 'rename']);
    assert.equal(run.status, 0, run.err + run.out);
    assert.match(run.out, /must reset \(the sign-in page sends them to the reset link\): 1\n {4}"nul": unreadable hash \(control characters or NUL\)/);
    assert.ok(run.out.includes(JSON.stringify(`o'brien";--;COMMIT;`)), run.out);
    // No django-allauth rows in this file: no address is confirmed.
    assert.match(run.out, /confirmed: 0 \(no django-allauth addresses in the source/);
    assert.deepEqual(wranglerQuery(state, 'select count(*) as n from users where email_verified_at is not null'), [{ n: 0 }]);
    const rows = wranglerQuery(state, 'select legacy_id as id, username, password_hash as h, must_reset_password as m from users order by legacy_id');
    assert.deepEqual(rows, [
      { id: 101, username: 'begin', h: hashes[101], m: 0 },
      { id: 102, username: 'begin_commit', h: hashes[102], m: 0 },
      { id: 103, username: 'nul', h: '!django-import:unreadable', m: 1 },
      { id: 104, username: 'user-104', h: hashes[104], m: 0 },
    ]);

    // Read back through wrangler, every value compares equal: nothing left to write.
    const again = await cli([file, '--persist-to', state, '--on-conflict', 'rename']);
    assert.equal(again.status, 0, again.err);
    assert.match(again.out, /new: 0, refreshed from Django: 0, already up to date: 4/);
  });

  it('--dry-run shows a profile_pic full of terminal escapes quoted, with no control byte in the output', async () => {
    const escapes = '\u001b]0;pwned\u0007\u001b[2J';
    const file = writeDumpdata(dir, [authUser(201, { username: 'painter' }), profile(201, `profile_pics/${escapes}.jpg`), authUser(202, { username: 'c1\u009bname', email: `x${escapes}@example.com` })]);
    mkdirSync(join(dir, 'media'), { recursive: true });
    const run = await cli([file, '--media', join(dir, 'media'), '--persist-to', freshState(), '--on-conflict', 'rename', '--dry-run']);
    assert.equal(run.status, 0, run.err);
    assert.doesNotMatch(run.out, TERMINAL_CONTROLS);
    assert.doesNotMatch(run.err, TERMINAL_CONTROLS);
    assert.ok(run.out.includes('"painter": "profile_pics/\\u001b]0;pwned\\u0007\\u001b[2J.jpg": file not found under --media'), run.out);
    assert.ok(run.out.includes('"c1\\u009bname"'), run.out);
  });
});
