// The import CLI in Node, where it runs (vitest runs the other tests inside workerd, which
// has no disk, no node:sqlite and no child processes). Run with:
//   node --import ./scripts/lib/typescript-loader.mjs --test test/django-import-cli.node-test.mts
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

    const again = await cli([join(FIXTURE, 'db.sqlite3'), ...media, '--persist-to', state, '--on-conflict', 'rename'], { S3_ENDPOINT: endpoint });
    assert.equal(again.status, 0, again.err);
    assert.match(again.out, /new: 0, refreshed from Django: 0, already up to date: 26/);
    assert.match(again.out, /Written: 0 users/);
    assert.equal(wranglerQuery(state, 'select count(*) as n from users')[0]!.n, 26);
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
    assert.match(run.out, /"victor": profile_pics\/victor.jpg: not a JPEG/);
    assert.match(run.out, /"walter": profile_pics\/walter.jpg: object not found under --media-s3-prefix/);
  });
});
