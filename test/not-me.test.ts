import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createOneTimeToken } from '../src/auth/one-time-tokens';
import { alertOnUnfamiliarSignIn, isUnfamiliarSignIn } from '../src/auth/sign-in-alerts';
import { readConfig } from '../src/config';
import { createDb } from '../src/db/client';
import { absoluteUrl } from '../src/mail/links';
import { createMailer } from '../src/mail/mailer';
import { securityEvent } from '../src/users/security-events';
import { get, mailsTo, postForm, sessionCookieFrom, sessionIdOf, signUpAndSignIn, STRONG_PASSWORD, waitForMail } from './helpers';

const CHROME_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36';
const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0';
const db = () => createDb(env.DB);

async function userIdOf(username: string): Promise<string> {
  return (await env.DB.prepare('select id from users where username = ?').bind(username).first<{ id: string }>())!.id;
}

async function recordPlace(userId: string, type: 'sign_in' | 'signed_up', country: string, userAgent: string, at: number) {
  await securityEvent(db(), { type, userId }, { country, userAgent, location: `Somewhere, ${country}` }, at);
}

describe('is this sign-in unfamiliar?', () => {
  it('not for the first sign-in after sign-up, wherever it comes from', async () => {
    const now = Date.now();
    await recordPlace('u-first', 'signed_up', 'FR', CHROME_WINDOWS, now - 1000);
    expect(await isUnfamiliarSignIn(db(), 'u-first', { country: 'BR', userAgent: FIREFOX_LINUX }, now)).toBe(false);
  });

  it('not from a country and browser used in the last 90 days', async () => {
    const now = Date.now();
    await recordPlace('u-known', 'signed_up', 'FR', CHROME_WINDOWS, now - 10_000);
    await recordPlace('u-known', 'sign_in', 'DE', FIREFOX_LINUX, now - 5000);
    expect(await isUnfamiliarSignIn(db(), 'u-known', { country: 'FR', userAgent: CHROME_WINDOWS }, now)).toBe(false);
    expect(await isUnfamiliarSignIn(db(), 'u-known', { country: 'DE', userAgent: FIREFOX_LINUX }, now)).toBe(false);
  });

  it('yes for a new country, or a new browser in a known country, or a place last seen over 90 days ago', async () => {
    const now = Date.now();
    await recordPlace('u-new', 'sign_in', 'FR', CHROME_WINDOWS, now - 5000);
    await recordPlace('u-new', 'sign_in', 'JP', CHROME_WINDOWS, now - 100 * 24 * 3600 * 1000);
    expect(await isUnfamiliarSignIn(db(), 'u-new', { country: 'BR', userAgent: CHROME_WINDOWS }, now)).toBe(true);
    expect(await isUnfamiliarSignIn(db(), 'u-new', { country: 'FR', userAgent: FIREFOX_LINUX }, now)).toBe(true);
    expect(await isUnfamiliarSignIn(db(), 'u-new', { country: 'JP', userAgent: CHROME_WINDOWS }, now)).toBe(true);
  });

  it('ignores the sign-in being checked (its own event is not history)', async () => {
    const now = Date.now();
    await recordPlace('u-self', 'sign_in', 'FR', CHROME_WINDOWS, now - 5000);
    await recordPlace('u-self', 'sign_in', 'BR', CHROME_WINDOWS, now);
    expect(await isUnfamiliarSignIn(db(), 'u-self', { country: 'BR', userAgent: CHROME_WINDOWS }, now)).toBe(true);
  });

  it('emails the owner where, when and which device, with a working "This wasn\u2019t me" link', async () => {
    const { username, email } = await signUpAndSignIn();
    const id = await userIdOf(username);
    const now = Date.now();
    await recordPlace(id, 'sign_in', 'FR', CHROME_WINDOWS, now - 5000);
    const config = readConfig(env);
    const mailer = createMailer(env.EMAIL, env.SESSIONS, config.mail);
    const linkTo = (path: string, query: Record<string, string>) => absoluteUrl(config, path, query);
    const sent = await alertOnUnfamiliarSignIn(db(), mailer, linkTo, id, { country: 'BR', location: 'São Paulo, BR', userAgent: FIREFOX_LINUX }, now);
    expect(sent).toBe(true);
    const mail = await waitForMail(email, 'New sign-in');
    expect(mail.text).toContain('Firefox on Linux');
    expect(mail.text).toContain('São Paulo, BR');
    expect(mail.link).toMatch(/^http:\/\/localhost:8787\/not-me\?token=/);
    expect((await get(new URL(mail.link!).pathname + new URL(mail.link!).search)).status).toBe(200);
  });
});

describe('"This wasn\u2019t me" link', () => {
  async function linkFor(username: string) {
    return `/not-me?token=${await createOneTimeToken(db(), { userId: await userIdOf(username), purpose: 'not_me', keepEarlier: true })}`;
  }

  it('opens a confirmation page without signing in, and changes nothing by itself', async () => {
    const { cookie, username } = await signUpAndSignIn();
    const res = await get(await linkFor(username));
    expect(res.status).toBe(200);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await res.text()).toContain('Sign out everywhere and lock my password');
    expect((await get('/dashboard', cookie)).status).toBe(200);
  });

  it('ends every session, even a stale KV copy, kills emailed links, removes passkeys, and requires a reset before the next sign-in', async () => {
    const { cookie, username, email } = await signUpAndSignIn();
    const other = sessionCookieFrom(await postForm('/login', { login: username, password: STRONG_PASSWORD }));
    const staleKey = `session:${sessionIdOf(other)}`;
    const stale = (await env.SESSIONS.get(staleKey))!;
    await postForm('/password-reset', { email });
    const resetMail = await waitForMail(email, 'Reset');
    const token = new URL(await linkFor(username), 'http://x').searchParams.get('token')!;
    await env.DB.prepare("insert into passkeys (id, user_id, name, algorithm, public_key, created_at) values (?, ?, 'Intruder', -7, 'x', 0)")
      .bind(`pk-${username}`, await userIdOf(username))
      .run();

    const res = await postForm('/not-me', { token });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Your account is locked down');
    await env.SESSIONS.put(staleKey, stale);
    expect((await get('/dashboard', cookie)).status).toBe(302);
    expect((await get('/dashboard', other)).status).toBe(302);
    // The reset link sent before the report no longer works.
    const opened = await get(new URL(resetMail.link!).pathname + new URL(resetMail.link!).search);
    const resetCookie = opened.headers.getSetCookie().find((c) => c.startsWith('reset_token='))!.split(';')[0]!;
    expect((await get('/password-reset/confirm', resetCookie)).status).toBe(400);
    const row = await env.DB.prepare('select must_reset_password as m from users where username = ?').bind(username).first<{ m: number }>();
    expect(row!.m).toBe(1);
    const id = await userIdOf(username);
    expect((await env.DB.prepare('select count(*) as n from passkeys where user_id = ?').bind(id).first<{ n: number }>())!.n).toBe(0);
    const events = await env.DB.prepare("select count(*) as n from security_events where type = 'not_me_reported' and user_id = ?").bind(await userIdOf(username)).first<{ n: number }>();
    expect(events!.n).toBe(1);
  });

  it('works once', async () => {
    const { username } = await signUpAndSignIn();
    const token = new URL(await linkFor(username), 'http://x').searchParams.get('token')!;
    expect((await postForm('/not-me', { token })).status).toBe(200);
    expect((await postForm('/not-me', { token })).status).toBe(400);
    expect((await get(`/not-me?token=${token}`)).status).toBe(400);
  });

  it('expires after 7 days', async () => {
    const { username } = await signUpAndSignIn();
    const eightDaysAgo = Date.now() - 8 * 24 * 3600 * 1000;
    const token = await createOneTimeToken(db(), { userId: await userIdOf(username), purpose: 'not_me', keepEarlier: true }, eightDaysAgo);
    expect((await postForm('/not-me', { token })).status).toBe(400);
  });
});

describe('new-place alert at sign-in', () => {
  function signInFrom(username: string, country: string, userAgent: string, password = STRONG_PASSWORD) {
    return SELF.fetch('http://localhost:8787/login', {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost:8787', 'sec-fetch-site': 'same-origin', 'user-agent': userAgent },
      body: new URLSearchParams({ login: username, password }).toString(),
      cf: { country, city: country === 'BR' ? 'São Paulo' : 'Lyon' },
    } as RequestInit);
  }

  it('is sent after a sign-in from a new country and browser, not after familiar ones, and the link locks the account', async () => {
    const { username, email } = await signUpAndSignIn();
    expect((await signInFrom(username, 'FR', CHROME_WINDOWS)).status).toBe(303); // first sign-in: no alert
    expect((await signInFrom(username, 'FR', CHROME_WINDOWS)).status).toBe(303); // familiar: no alert
    const before = Date.now();
    expect((await signInFrom(username, 'BR', FIREFOX_LINUX)).status).toBe(303);
    const alert = await waitForMail(email, 'New sign-in', { after: before });
    expect(alert.text).toContain('São Paulo, BR');
    expect((await mailsTo(email)).filter((m) => m.subject.includes('New sign-in'))).toHaveLength(1);

    const token = new URL(alert.link!).searchParams.get('token')!;
    expect((await postForm('/not-me', { token })).status).toBe(200);
    // The right password no longer signs in: a reset comes first.
    expect((await signInFrom(username, 'FR', CHROME_WINDOWS)).status).toBe(401);
  });
});
