import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createDb } from '../src/db/client';
import { securityEvent } from '../src/users/security-events';

// What one user and one security event cost in D1 (bytes, with indexes, and rows written:
// D1 counts each index entry as a written row). The README's "Scale" section is built on
// these numbers; an index added without thought shows up here.

async function databaseBytes(): Promise<number> {
  const result = await env.DB.prepare('select 1').run();
  return (result.meta as { size_after: number }).size_after;
}

const USERS = 10_000;
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36';

describe('storage footprint', () => {
  it('a user with a profile costs under 650 bytes', async () => {
    const before = await databaseBytes();
    const now = Date.now();
    await env.DB.batch([
      env.DB.prepare(
        `with recursive n(i) as (select 0 union all select i + 1 from n where i < ${USERS - 1})
         insert into users (id, username, username_key, email, password_hash, date_joined, last_login)
         select printf('%024x', i), 'someuser' || i, 'someuser' || i, 'someuser' || i || '@example.com',
                '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g', ${now}, ${now} from n`,
      ),
      env.DB.prepare(`insert into profiles (user_id, avatar_key, updated_at) select id, 'avatars/' || id || '/0123456789abcdef0123456789abcdef.webp', ${now} from users`),
    ]);
    const perUser = ((await databaseBytes()) - before) / USERS;
    console.log(`one user + profile: ${perUser.toFixed(0)} bytes`);
    expect(perUser).toBeLessThan(650);
  });

  it('a sign-in event costs 3 written rows and under 400 bytes', async () => {
    const db = createDb(env.DB);
    const before = await databaseBytes();
    const now = Date.now();
    let written = 0;
    for (let batch = 0; batch < 50; batch++) {
      const statements = Array.from({ length: 100 }, (_, i) =>
        securityEvent(db, { type: 'sign_in', userId: (batch * 100 + i).toString(16).padStart(24, '0'), details: { method: 'password' } }, { ip: '2001:db8::1234', userAgent: CHROME, location: 'Paris, FR', country: 'FR' }, now + batch * 100 + i),
      );
      const results = (await db.batch(statements as [(typeof statements)[0]])) as unknown as Array<{ meta: { rows_written: number } }>;
      written += results.reduce((sum, r) => sum + r.meta.rows_written, 0);
    }
    const perEvent = ((await databaseBytes()) - before) / 5000;
    console.log(`one sign-in event: ${perEvent.toFixed(0)} bytes, ${written / 5000} rows written`);
    expect(written / 5000).toBe(3);
    expect(perEvent).toBeLessThan(400);
  });
});
