import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import app from '../src/app';
import { envCountingQueries } from './binding-spies';
import { ORIGIN, signUpAndSignIn, STRONG_PASSWORD, uniqueName, waitForMail } from './helpers';

// Asking for a new address is one D1 write (the link and the security event together), and
// the answer does not wait for the two mails: each reads its recipient's language first,
// which after the write would be another trip to the primary (far away for most people).

// The mail's look-up of its recipient's language and time zone.
const isRecipientLookup = (sql: string) => /select "language", "time_zone" from "users" where "users"\."email" = \?/.test(sql);

describe('asking for a new email address', () => {
  it('answers after one D1 write, without waiting for the mails, which still go out', async () => {
    const { cookie, email } = await signUpAndSignIn();
    const target = `${uniqueName('moved')}@example.org`.toLowerCase();
    let release!: () => void;
    const mailsMayRead = new Promise<void>((resolve) => (release = resolve));
    const { workerEnv, queries } = envCountingQueries((sql) => (isRecipientLookup(sql) ? mailsMayRead : undefined));

    const ctx = createExecutionContext();
    const body = new URLSearchParams({ email: target, currentPassword: STRONG_PASSWORD }).toString();
    const headers = { cookie, origin: ORIGIN, 'sec-fetch-site': 'same-origin', 'content-type': 'application/x-www-form-urlencoded' };
    const answer = app.fetch(new Request(`${ORIGIN}/profile`, { method: 'POST', headers, body, redirect: 'manual' }), workerEnv, ctx);
    // Fails here if the page waits for a mail: its look-up is held until after the answer.
    const response = await Promise.race([answer, new Promise<null>((resolve) => setTimeout(() => resolve(null), 3000))]);
    expect(response?.status).toBe(303);
    expect(response!.headers.get('location')).toBe('/dashboard');

    const written = queries.filter((query) => query.sql === 'batch' || /^(insert|update|delete)/i.test(query.sql));
    expect(written.map((query) => query.sql)).toEqual(['batch']);

    release();
    await waitOnExecutionContext(ctx);
    expect(queries.filter((query) => isRecipientLookup(query.sql))).toHaveLength(2);
    const link = (await waitForMail(target, 'Confirm your email address')).link!;
    await waitForMail(email, 'Someone asked to change your email address');

    // The batch held both: the link that the mail carries, and the event.
    const token = new URL(link).searchParams.get('token')!;
    const stored = await env.DB.prepare("select email from auth_tokens where id = ? and purpose = 'verify_email'").bind(token.split('.')[0]).first<{ email: string }>();
    expect(stored?.email).toBe(target);
    const event = await env.DB.prepare("select details from security_events where type = 'email_change_requested' and details like ?").bind(`%${target}%`).first();
    expect(event).not.toBeNull();
  });
});
