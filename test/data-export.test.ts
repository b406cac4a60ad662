import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import app from '../src/app';
import { sessionKey, type Session } from '../src/auth/session';
import { createDb } from '../src/db/client';
import { attachmentDisposition, createZipStream } from '../src/http/zip-stream';
import { buildAccountDocument, exportFileName, type AccountDocument } from '../src/account/data-export';
import { listAllUserEvents, securityEvent, type SecurityEvent } from '../src/users/security-events';
import { get, ORIGIN, postForm, randomAddress, sessionCookieFrom, signUpAndSignIn, STRONG_PASSWORD } from './helpers';
import { fixture, postProfile, profileOf, readObject } from './profile-helpers';

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0';
const DAY = 24 * 60 * 60 * 1000;

function exportData(cookie: string, password = STRONG_PASSWORD, headers: Record<string, string> = {}) {
  return postForm('/account/export', { password }, { cookie, headers });
}

async function unzip(res: Response): Promise<Record<string, Uint8Array>> {
  return unzipSync(new Uint8Array(await res.arrayBuffer()));
}

function accountJson(files: Record<string, Uint8Array>): AccountDocument {
  return JSON.parse(new TextDecoder().decode(files['account.json'])) as AccountDocument;
}

function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, inner]) => [key, ...keysOf(inner)]);
  return [];
}

async function userRow(username: string) {
  return (await env.DB.prepare('select id, password_hash as passwordHash from users where username = ?').bind(username).first<{ id: string; passwordHash: string }>())!;
}

async function eventTypes(userId: string) {
  const rows = await env.DB.prepare('select type, ip from security_events where user_id = ? order by created_at, id').bind(userId).all<{ type: string; ip: string | null }>();
  return rows.results;
}

async function signedInWithAvatar() {
  const account = await signUpAndSignIn();
  const res = await postProfile(account.cookie, { email: account.email, file: { bytes: fixture('photo-gps.jpg'), name: 'me.jpg', type: 'image/jpeg' } });
  expect(res.status).toBe(303);
  return { ...account, key: (await profileOf(account.username))!.avatarKey! };
}

describe('download my data: the page and the password', () => {
  it('needs sign-in', async () => {
    const page = await get('/account/export');
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe('/login?next=%2Faccount%2Fexport');
    const post = await postForm('/account/export', { password: STRONG_PASSWORD });
    expect(post.status).toBe(302);
    expect(post.headers.get('content-type')).not.toBe('application/zip');
  });

  it('explains what the download contains, asks for the password, and is linked from the account page', async () => {
    const { cookie } = await signUpAndSignIn();
    const res = await get('/account/export', cookie);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('account.json');
    expect(html).toContain('avatar.webp');
    expect(html).toMatch(/<input[^>]*name="password"[^>]*type="password"/);
    expect(await (await get('/account', cookie)).text()).toContain('<a href="/account/export">Download your data</a>');
  });

  it('refuses a wrong or missing password beside the field, and records nothing', async () => {
    const { cookie, username } = await signUpAndSignIn();
    const wrong = await exportData(cookie, 'not my password at all');
    expect(wrong.status).toBe(422);
    expect(wrong.headers.get('content-type')).toContain('text/html');
    const html = await wrong.text();
    expect(html).toContain('That password is wrong, so nothing was downloaded.');
    expect(html).toMatch(/aria-describedby="field-password-error"/);
    expect((await exportData(cookie, '')).status).toBe(422);
    expect((await eventTypes((await userRow(username)).id)).map((e) => e.type)).not.toContain('data_exported');
  });
});

describe('download my data: the ZIP', () => {
  it('holds account.json with the account, profile, sessions and events, and the avatar as stored', async () => {
    const { cookie, username, email, key } = await signedInWithAvatar();
    const other = await postForm('/login', { login: username, password: STRONG_PASSWORD }, { headers: { 'user-agent': FIREFOX } });
    expect(other.status).toBe(303);
    const before = Date.now();
    const res = await exportData(cookie);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    expect(res.headers.get('content-disposition')).toContain(`attachment; filename="${exportFileName(username)}"`);
    expect(exportFileName(username)).toMatch(new RegExp(`^edge-accounts-${username}-\\d{4}-\\d{2}-\\d{2}\\.zip$`));
    expect(res.headers.get('cache-control')).toBe('no-store');

    const files = await unzip(res);
    expect(Object.keys(files).sort()).toEqual(['account.json', 'avatar.webp']);
    expect(files['avatar.webp']).toEqual(await readObject(key));

    const doc = accountJson(files);
    const { id } = await userRow(username);
    expect(doc.formatVersion).toBe(1);
    expect(Date.parse(doc.exportedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(doc.account).toMatchObject({ id, username, email, emailVerified: false, emailVerifiedAt: null, flags: { active: true, staff: false, superuser: false, passwordResetRequired: false } });
    expect(Date.parse(doc.account.dateJoined)).toBeLessThanOrEqual(Date.now());
    expect(Date.parse(doc.account.lastLogin!)).toBeGreaterThanOrEqual(Date.parse(doc.account.dateJoined));
    expect(doc.profile.avatar).toEqual({ key, url: `${ORIGIN}/media/${key}`, file: 'avatar.webp' });

    expect(doc.sessions).toHaveLength(2);
    expect(doc.sessions.filter((s) => s.current)).toHaveLength(1);
    expect(doc.sessions.find((s) => !s.current)).toMatchObject({ device: 'Firefox on Linux', userAgent: FIREFOX, signedInWith: 'password' });
    for (const session of doc.sessions) expect(Object.keys(session).sort()).toEqual(['current', 'device', 'expiresAt', 'lastSeenAt', 'location', 'signedInAt', 'signedInWith', 'userAgent']);

    expect(doc.securityEvents.map((e) => e.type)).toEqual(['signed_up', 'sign_in', 'data_exported']);
    expect(doc.securityEvents[1]).toMatchObject({ by: 'you', device: 'Firefox on Linux', details: { method: 'password' } });
  });

  it('never contains a password hash, a session secret or any hash field', async () => {
    const { cookie, username } = await signedInWithAvatar();
    const { id, passwordHash } = await userRow(username);
    const files = await unzip(await exportData(cookie));
    const text = new TextDecoder().decode(files['account.json']);
    const forbidden = ['passwordHash', 'password_hash', 'secretHash', 'secret', 'token', 'codeHash', 'secretEncrypted', 'sessionsValidAfter'];
    expect(keysOf(JSON.parse(text)).filter((k) => forbidden.includes(k))).toEqual([]);
    expect(text).not.toContain(passwordHash);
    expect(text).not.toContain('$argon2');
    const sessionIds = (await env.SESSIONS.list({ prefix: `user-sessions:${id}:` })).keys.map((k) => k.name.split(':').at(-1)!);
    expect(sessionIds.length).toBeGreaterThan(0);
    for (const sessionId of sessionIds) {
      const record = (await env.SESSIONS.get<Session>(sessionKey(sessionId), 'json'))!;
      expect(text).not.toContain(record.secretHash);
      expect(text).not.toContain(sessionId);
    }
  });

  it('has no avatar.webp for a user without a picture', async () => {
    const { cookie } = await signUpAndSignIn();
    const res = await exportData(cookie);
    expect(res.status).toBe(200);
    const files = await unzip(res);
    expect(Object.keys(files)).toEqual(['account.json']);
    expect(accountJson(files).profile.avatar).toBeNull();
  });

  it('records the export as a security event with where it came from, shown on the activity page', async () => {
    const { cookie, username } = await signUpAndSignIn();
    const res = await exportData(cookie, STRONG_PASSWORD, { 'cf-connecting-ip': '192.0.2.77' });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    const events = await eventTypes((await userRow(username)).id);
    expect(events.at(-1)).toEqual({ type: 'data_exported', ip: '192.0.2.77' });
    expect(await (await get('/account/activity', cookie)).text()).toContain('Your data was downloaded');
  });

  it('includes every event, not only the last 90 days', async () => {
    const { cookie, username } = await signUpAndSignIn();
    const { id } = await userRow(username);
    await securityEvent(createDb(env.DB), { type: 'password_changed', userId: id }, {}, Date.now() - 400 * DAY);
    const doc = accountJson(await unzip(await exportData(cookie)));
    expect(doc.securityEvents.map((e) => e.type)).toEqual(['password_changed', 'signed_up', 'data_exported']);
  });
});

describe('download my data: limits and failures', () => {
  it('is limited to a few exports a minute per account', async () => {
    const { cookie } = await signUpAndSignIn();
    let allowed = 0;
    let refusal: Response | null = null;
    // Fixed windows: up to two windows' worth may pass before the first refusal.
    for (let i = 0; i < 7 && !refusal; i++) {
      const res = await exportData(cookie, 'a wrong password');
      if (res.status === 429) refusal = res;
      else allowed += 1;
    }
    expect(allowed).toBeGreaterThanOrEqual(3);
    expect(refusal?.status).toBe(429);
    expect(refusal!.headers.get('retry-after')).toBe('60');
    expect(await refusal!.text()).toContain('Please try again in about 60 seconds');
    // Counted per account, not per address or for everyone.
    const other = await signUpAndSignIn();
    expect((await exportData(other.cookie)).status).toBe(200);
  });

  it.each([
    ['is down (closed port)', () => 'http://127.0.0.1:9'],
    ['answers 500', () => env.BROKEN_S3_ENDPOINT],
  ])('when S3 %s, says to try again (503) instead of sending a broken ZIP', async (_label, endpoint) => {
    const { cookie, username } = await signedInWithAvatar();
    const ctx = createExecutionContext();
    const request = new Request(`${ORIGIN}/account/export`, {
      method: 'POST',
      headers: { cookie, origin: ORIGIN, 'sec-fetch-site': 'same-origin', 'cf-connecting-ip': randomAddress(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ password: STRONG_PASSWORD }),
    });
    const res = await app.fetch(request, { ...env, S3_ENDPOINT: endpoint() }, ctx);
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('We could not fetch your picture from storage just now, so nothing was downloaded.');
    expect((await eventTypes((await userRow(username)).id)).map((e) => e.type)).not.toContain('data_exported');
  });
});

describe('createZipStream', () => {
  function streamOf(chunks: Uint8Array[], failAfter?: number) {
    let i = 0;
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (failAfter !== undefined && i === failAfter) return controller.error(new Error('connection reset'));
        if (i < chunks.length) controller.enqueue(chunks[i++]!);
        else controller.close();
      },
      cancel() {
        cancelled = true;
      },
    });
    return { stream, wasCancelled: () => cancelled, pulled: () => i };
  }

  it('streams an entry from many chunks into an archive that unzips to the same bytes', async () => {
    const chunks = Array.from({ length: 20 }, (_, n) => crypto.getRandomValues(new Uint8Array(10_000 + n)));
    const text = new TextEncoder().encode('{"hello": "world"}'.repeat(100));
    const zip = createZipStream([
      { name: 'a.json', body: text, compress: true },
      { name: 'b.bin', body: streamOf(chunks).stream },
    ]);
    const files = unzipSync(new Uint8Array(await new Response(zip).arrayBuffer()));
    expect(files['a.json']).toEqual(text);
    const joined = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    chunks.reduce((offset, c) => (joined.set(c, offset), offset + c.length), 0);
    expect(files['b.bin']).toEqual(joined);
  });

  it('reads the source only as fast as the archive is read', async () => {
    const source = streamOf(Array.from({ length: 50 }, () => new Uint8Array(1000)));
    const reader = createZipStream([{ name: 'b.bin', body: source.stream }]).getReader();
    await reader.read();
    await reader.read();
    expect(source.pulled()).toBeLessThan(10);
    await reader.cancel('client went away');
    expect(source.wasCancelled()).toBe(true);
  });

  it('aborts the download when the source fails part-way, so no complete archive is ever sent', async () => {
    const errors: unknown[] = [];
    const zip = createZipStream([{ name: 'b.bin', body: streamOf([new Uint8Array(100), new Uint8Array(100)], 1).stream }], { onError: (e) => errors.push(e) });
    await expect(new Response(zip).arrayBuffer()).rejects.toThrow('connection reset');
    expect(errors).toHaveLength(1);
  });

  it('names the download safely for any username', () => {
    expect(attachmentDisposition('edge-accounts-Zoë-2026-01-02.zip')).toBe(
      `attachment; filename="edge-accounts-Zo_-2026-01-02.zip"; filename*=UTF-8''edge-accounts-Zo%C3%AB-2026-01-02.zip`,
    );
  });
});

describe('buildAccountDocument', () => {
  const now = new Date('2026-03-04T05:06:07Z');
  const user = {
    id: 'u1',
    username: 'alice',
    email: 'alice@example.com',
    emailVerifiedAt: new Date('2026-01-01T00:00:00Z'),
    dateJoined: new Date('2025-12-31T00:00:00Z'),
    lastLogin: null,
    isActive: true,
    isStaff: true,
    isSuperuser: false,
    mustResetPassword: false,
    // Fields a caller may well pass along: they must not come out.
    passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
    sessionsValidAfter: 5,
  };
  const event = (fields: Partial<SecurityEvent>): SecurityEvent => ({
    id: 'e',
    userId: 'u1',
    actorId: 'u1',
    type: 'sign_in',
    createdAt: now.getTime(),
    ip: null,
    userAgent: null,
    location: null,
    country: null,
    details: {},
    ...fields,
  });

  it('copies only the documented fields, with times as ISO strings', () => {
    const doc = buildAccountDocument({ user, avatar: null, sessions: [], events: [] }, now);
    expect(doc).toEqual({
      formatVersion: 1,
      exportedAt: '2026-03-04T05:06:07.000Z',
      account: {
        id: 'u1',
        username: 'alice',
        email: 'alice@example.com',
        emailVerified: true,
        emailVerifiedAt: '2026-01-01T00:00:00.000Z',
        dateJoined: '2025-12-31T00:00:00.000Z',
        lastLogin: null,
        flags: { active: true, staff: true, superuser: false, passwordResetRequired: false },
      },
      profile: { avatar: null },
      sessions: [],
      securityEvents: [],
      signInProviders: [],
    });
  });

  it('says who acted, and drops event details that name a secret', () => {
    const doc = buildAccountDocument(
      {
        user,
        avatar: null,
        sessions: [],
        events: [
          event({ details: { method: 'password', tokenId: 'x', codeHash: 'y', from: 'a@example.com' } }),
          event({ type: 'staff_deactivated', actorId: 'staff1' }),
          event({ type: 'password_reset', actorId: null }),
        ],
      },
      now,
    );
    expect(doc.securityEvents.map((e) => [e.type, e.by, e.details])).toEqual([
      ['sign_in', 'you', { method: 'password', from: 'a@example.com' }],
      ['staff_deactivated', 'staff', {}],
      ['password_reset', 'system', {}],
    ]);
    expect(JSON.stringify(doc)).not.toContain('staff1');
  });
});

describe('listAllUserEvents', () => {
  it('pages through events with equal times without losing or repeating one', async () => {
    const db = createDb(env.DB);
    const userId = 'f'.repeat(24);
    const at = Date.now() - 1000 * DAY;
    await db.batch([
      securityEvent(db, { type: 'sign_in', userId }, {}, at),
      securityEvent(db, { type: 'sign_in', userId }, {}, at),
      securityEvent(db, { type: 'sign_in', userId }, {}, at),
      securityEvent(db, { type: 'password_changed', userId }, {}, at + 1),
      securityEvent(db, { type: 'sign_in', userId: 'e'.repeat(24) }, {}, at),
    ]);
    const events = await listAllUserEvents(db, userId, 2);
    expect(events).toHaveLength(4);
    expect(new Set(events.map((e) => e.id)).size).toBe(4);
    expect(events.at(-1)!.type).toBe('password_changed');
  });
});
