import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { readConfig } from '../src/config';
import { createDb } from '../src/db/client';
import { removeExpiredRecords } from '../src/maintenance/expired-records';
import { removeOrphanAvatars, type OrphanSweepLimits } from '../src/maintenance/orphan-avatars';
import { smallAvatarKey } from '../src/storage/avatar-keys';
import { eventIdFloor, securityEvent } from '../src/users/security-events';
import { createObjectStore, createS3Client, type ObjectStore } from '../src/storage/object-store';

// A bucket of this file's own: the scheduled cleanup other test files run sweeps the
// shared bucket against their own databases, and would delete objects made here.
const config = { ...readConfig(env).s3, bucket: `cleanup-${crypto.randomUUID().slice(0, 8)}` };
const store = createObjectStore(config);
const db = createDb(env.DB);
const HOUR = 60 * 60 * 1000;

// s3rver encrypts the continuation token of a truncated listing with DES, which Node 22's
// OpenSSL 3 refuses unless Node runs with --openssl-legacy-provider: without it every
// truncated list is a 500. The sweep is tested through one unpaged listing (its own
// pages are slices of it), and the store's paging only where the server can page.
const unpagedStore: ObjectStore = { ...store, list: (prefix, options) => store.list(prefix, { startAfter: options?.startAfter }) };
let serverCanPage = false;

beforeAll(async () => {
  await createS3Client(config).send(new CreateBucketCommand({ Bucket: config.bucket }));
  await store.put('paging-probe/a', new Uint8Array([1]), 'text/plain');
  await store.put('paging-probe/b', new Uint8Array([1]), 'text/plain');
  try {
    for await (const _ of store.list('paging-probe/', { pageSize: 1 }));
    serverCanPage = true;
  } catch {
    console.warn('The local S3 server cannot page listings (run Node with --openssl-legacy-provider): paging test skipped');
  }
});

function randomHex(chars: number): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(chars / 2)), (b) => b.toString(16).padStart(2, '0')).join('');
}

// Each test's users share a random id prefix, so `avatars/<prefix>` holds only its objects.
function scenario() {
  const idPrefix = randomHex(8);
  return {
    prefix: `avatars/${idPrefix}`,
    cursorKey: `test-cursor:${idPrefix}`,
    userId: (n: number) => `${idPrefix}${n.toString(16).padStart(16, '0')}`,
  };
}

function avatarKey(userId: string): string {
  return `avatars/${userId}/${randomHex(32)}.webp`;
}

async function addUser(id: string, avatar: string | null) {
  await env.DB.batch([
    env.DB.prepare('insert into users (id, username, username_key, email, password_hash, date_joined) values (?, ?, ?, ?, ?, ?)').bind(id, id, id, `${id}@example.com`, 'x', Date.now()),
    env.DB.prepare('insert into profiles (user_id, avatar_key, updated_at) values (?, ?, ?)').bind(id, avatar, Date.now()),
  ]);
}

async function putObjects(keys: string[]) {
  for (const key of keys) await store.put(key, new Uint8Array([1, 2, 3]), 'image/webp');
}

async function keysUnder(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const object of store.list(prefix)) keys.push(object.key);
  return keys;
}

async function savedCursor(key: string): Promise<string | null> {
  return (await env.SESSIONS.get<{ after: string }>(key, 'json'))?.after ?? null;
}

describe('orphan avatar sweep', () => {
  it('deletes old unreferenced objects and keeps referenced, young and foreign ones', async () => {
    const { prefix, cursorKey, userId } = scenario();
    const inUse = avatarKey(userId(1));
    const replaced = avatarKey(userId(1));
    const ofUserWithout = avatarKey(userId(2));
    const ofDeletedUser = avatarKey(userId(3));
    const foreign = `${prefix}-not-an-avatar.txt`;
    await addUser(userId(1), inUse);
    await addUser(userId(2), null);
    await putObjects([inUse, smallAvatarKey(inUse), replaced, smallAvatarKey(replaced), ofUserWithout, ofDeletedUser, foreign]);
    const options = { prefix, cursorKey };

    // Younger than the grace period: may belong to an upload in progress.
    const young = await removeOrphanAvatars(db, unpagedStore, env.SESSIONS, { ...options, now: Date.now() });
    expect(young).toMatchObject({ scanned: 7, deleted: [], cursor: null });
    expect(await keysUnder(prefix)).toHaveLength(7);

    const old = await removeOrphanAvatars(db, unpagedStore, env.SESSIONS, { ...options, now: Date.now() + 2 * HOUR });
    expect(old.deleted.sort()).toEqual([replaced, smallAvatarKey(replaced), ofUserWithout, ofDeletedUser].sort());
    expect((await keysUnder(prefix)).sort()).toEqual([inUse, smallAvatarKey(inUse), foreign].sort());
  });

  it('handles a bounded slice per run, resumes from its saved cursor and starts over after the end', async () => {
    const { prefix, cursorKey, userId } = scenario();
    const referenced: string[] = [];
    for (let n = 1; n <= 4; n++) {
      const key = avatarKey(userId(n));
      await addUser(userId(n), key);
      referenced.push(key, smallAvatarKey(key));
    }
    const orphans = [avatarKey(userId(2)), avatarKey(userId(9))];
    orphans.push(smallAvatarKey(orphans[0]!));
    await putObjects([...referenced, ...orphans]);
    const all = (await keysUnder(prefix)).sort();
    expect(all).toHaveLength(11);
    const options = { prefix, cursorKey, now: Date.now() + 2 * HOUR, limits: { pageSize: 3, maxPages: 2, maxDeletes: 100 } };

    const first = await removeOrphanAvatars(db, unpagedStore, env.SESSIONS, options);
    expect(first.scanned).toBe(6);
    expect(first.cursor).toBe(all[5]);
    expect(await savedCursor(cursorKey)).toBe(all[5]);
    expect(first.deleted.sort()).toEqual(orphans.filter((key) => all.indexOf(key) <= 5).sort());

    const second = await removeOrphanAvatars(db, unpagedStore, env.SESSIONS, options);
    expect(second.scanned).toBe(5);
    expect(second.deleted.sort()).toEqual(orphans.filter((key) => all.indexOf(key) > 5).sort());
    expect(second.cursor).toBeNull();
    expect(await savedCursor(cursorKey)).toBeNull();
    expect((await keysUnder(prefix)).sort()).toEqual(referenced.sort());

    const third = await removeOrphanAvatars(db, unpagedStore, env.SESSIONS, options);
    expect(third).toMatchObject({ scanned: 6, deleted: [], cursor: referenced.sort()[5] });
  });

  it('stops at its delete budget and resumes at the first orphan it left', async () => {
    const { prefix, cursorKey, userId } = scenario();
    const kept = avatarKey(userId(1));
    await addUser(userId(1), kept);
    const orphans = [avatarKey(userId(2)), avatarKey(userId(3)), avatarKey(userId(4))];
    await putObjects([kept, ...orphans]);
    const options = { prefix, cursorKey, now: Date.now() + 2 * HOUR, limits: { pageSize: 10, maxPages: 5, maxDeletes: 2 } };

    const first = await removeOrphanAvatars(db, unpagedStore, env.SESSIONS, options);
    expect(first.deleted).toEqual(orphans.slice(0, 2));
    expect(first.cursor).toBe(orphans[1]);
    expect(await keysUnder(prefix)).toEqual([kept, orphans[2]]);

    const second = await removeOrphanAvatars(db, unpagedStore, env.SESSIONS, options);
    expect(second).toMatchObject({ scanned: 1, deleted: [orphans[2]], cursor: null });
  });

  it('keeps the progress of finished pages when a later page fails', async () => {
    const { prefix, cursorKey, userId } = scenario();
    const keys = [1, 2, 3, 4].map((n) => avatarKey(userId(n)));
    await putObjects(keys);
    const failing: ObjectStore = {
      ...unpagedStore,
      async *list(listPrefix, options) {
        let served = 0;
        for await (const object of unpagedStore.list(listPrefix, options)) {
          if (served++ === 3) throw new Error('S3 went away');
          yield object;
        }
      },
    };
    const limits: OrphanSweepLimits = { pageSize: 2, maxPages: 5, maxDeletes: 100 };
    const options = { prefix, cursorKey, now: Date.now() + 2 * HOUR, limits };

    await expect(removeOrphanAvatars(db, failing, env.SESSIONS, options)).rejects.toThrow('S3 went away');
    expect(await savedCursor(cursorKey)).toBe(keys[1]);
    expect(await keysUnder(prefix)).toEqual(keys.slice(2));

    const retry = await removeOrphanAvatars(db, unpagedStore, env.SESSIONS, options);
    expect(retry).toMatchObject({ scanned: 2, deleted: keys.slice(2), cursor: null });
  });

  it('starts over when the saved cursor is unreadable or from another prefix', async () => {
    const { prefix, cursorKey, userId } = scenario();
    const key = avatarKey(userId(1));
    await putObjects([key]);
    for (const junk of ['not json', JSON.stringify({ after: 'elsewhere/zzz', passStartedAt: 1 })]) {
      await env.SESSIONS.put(cursorKey, junk);
      const sweep = await removeOrphanAvatars(db, unpagedStore, env.SESSIONS, { prefix, cursorKey, now: Date.now() });
      expect(sweep).toMatchObject({ scanned: 1, cursor: null });
    }
  });
});

describe('object store listing', () => {
  it('pages with StartAfter and MaxKeys, and starts after a given key', async (ctx) => {
    if (!serverCanPage) ctx.skip();
    const { prefix, userId } = scenario();
    const keys = [1, 2, 3, 4, 5].map((n) => avatarKey(userId(n)));
    await putObjects(keys);
    const listed = async (options: { startAfter?: string; pageSize?: number }) => {
      const found: string[] = [];
      for await (const object of store.list(prefix, options)) found.push(object.key);
      return found;
    };
    expect(await listed({ pageSize: 2 })).toEqual(keys);
    expect(await listed({ pageSize: 2, startAfter: keys[1] })).toEqual(keys.slice(2));
    expect(await listed({ startAfter: keys[4] })).toEqual([]);
  });
});

describe('expired records', () => {
  async function addToken(userId: string, expiresAt: number) {
    await env.DB.prepare('insert into auth_tokens (id, user_id, purpose, secret_hash, created_at, expires_at) values (?, ?, ?, ?, ?, ?)')
      .bind(randomHex(24), userId, 'password_reset', 'x', 0, expiresAt)
      .run();
  }
  async function tokenCount(userId: string) {
    return (await env.DB.prepare('select count(*) as n from auth_tokens where user_id = ?').bind(userId).first<{ n: number }>())!.n;
  }

  it('deletes in bounded chunks, leaves the rest for the next run and keeps live rows', async () => {
    const { userId } = scenario();
    const now = Date.now();
    await addUser(userId(1), null);
    for (let i = 0; i < 5; i++) await addToken(userId(1), now - 1000);
    await addToken(userId(1), now + HOUR);
    const limits = { chunkSize: 2, maxChunksPerTable: 2 };

    expect((await removeExpiredRecords(db, now, limits)).auth_tokens).toBe(4);
    expect(await tokenCount(userId(1))).toBe(2);
    expect((await removeExpiredRecords(db, now, limits)).auth_tokens).toBe(1);
    expect(await tokenCount(userId(1))).toBe(1);
  });

  it('deletes sign-in counters whose window began over a day ago', async () => {
    const now = Date.now();
    const [stale, recent] = [`stale-${randomHex(8)}`, `recent-${randomHex(8)}`];
    await env.DB.batch([
      env.DB.prepare('insert into login_failures (key, failures, window_start) values (?, 3, ?)').bind(stale, now - 25 * HOUR),
      env.DB.prepare('insert into login_failures (key, failures, window_start) values (?, 3, ?)').bind(recent, now - HOUR),
    ]);
    await removeExpiredRecords(db, now);
    const { results } = await env.DB.prepare('select key from login_failures where key in (?, ?)').bind(stale, recent).all<{ key: string }>();
    expect(results.map((row) => row.key)).toEqual([recent]);
  });
  it('keeps the security log 90 days and the staff audit two years, finding old rows by index', async () => {
    const now = Date.now();
    const DAY = 24 * HOUR;
    const user = `retention-${randomHex(8)}`;
    const ages = { fresh: 10 * DAY, old: 100 * DAY, oldAudit: 400 * DAY, ancientAudit: 800 * DAY };
    await db.batch([
      securityEvent(db, { type: 'sign_in', userId: user }, {}, now - ages.fresh),
      securityEvent(db, { type: 'sign_in', userId: user }, {}, now - ages.old),
      securityEvent(db, { type: 'staff_deactivated', userId: user, actorId: 'staff' }, {}, now - ages.oldAudit),
      securityEvent(db, { type: 'staff_deactivated', userId: user, actorId: 'staff' }, {}, now - ages.ancientAudit),
    ]);
    await removeExpiredRecords(db, now);
    const { results } = await env.DB.prepare('select type, created_at from security_events where user_id = ? order by created_at').bind(user).all<{ type: string; created_at: number }>();
    expect(results.map((r) => `${r.type}@${Math.round((now - r.created_at) / DAY)}`)).toEqual(['staff_deactivated@400', 'sign_in@10']);
    // Both deletes are index range searches, never a scan of the whole log.
    for (const sql of [
      `select rowid from security_events where id < '${eventIdFloor(now - 90 * DAY)}' and type not like 'staff%' limit 1000`,
      `select rowid from security_events where type like 'staff%' and created_at < ${now} limit 1000`,
    ]) {
      const plan = await env.DB.prepare(`explain query plan ${sql}`).all<{ detail: string }>();
      expect(plan.results.map((r) => r.detail).join(' | ')).toMatch(/^SEARCH security_events USING/);
    }
  });
});
