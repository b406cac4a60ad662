import { env } from 'cloudflare:test';
import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { COMMON_PASSWORDS_PATH, loadCommonPasswordsOnce, parseCommonPasswords } from '../src/auth/common-passwords';
import type { AppEnv } from '../src/http/app-env';
import { loadCommonPasswords } from '../src/http/common-passwords';
import { loadCatalog } from '../src/i18n/load-catalog';
import { createTranslator, ENGLISH_TRANSLATOR, type Translator } from '../src/i18n/translator';
import { postForm, signUp, signUpAndSignIn, STRONG_PASSWORD } from './helpers';

const TOO_COMMON = 'This password is too common: it is among the first that attackers try.';
const NEW_PASSWORD = 'amber harbour kettle 31';

const readAsset = () => env.ASSETS.fetch(`https://assets.invalid${COMMON_PASSWORDS_PATH}`).then((r) => r.text());

describe('the common-password list, loaded on first use', () => {
  it('is read once for every caller, however many first callers wait for it at the same time', async () => {
    let reads = 0;
    const load = loadCommonPasswordsOnce(async () => {
      reads += 1;
      return readAsset();
    });
    const lists = await Promise.all(Array.from({ length: 8 }, () => load()));
    expect(reads).toBe(1);
    expect(new Set(lists).size).toBe(1);
    expect(lists[0]!.has('iloveyou')).toBe(true);
    await load();
    expect(reads).toBe(1);
  });

  it('is read again after a failed read, not left failing for the isolate', async () => {
    let reads = 0;
    const load = loadCommonPasswordsOnce(async () => {
      reads += 1;
      if (reads === 1) throw new Error('asset unavailable');
      return readAsset();
    });
    await expect(Promise.all([load(), load()])).rejects.toThrow('asset unavailable');
    expect(reads).toBe(1);
    expect((await load()).has('iloveyou')).toBe(true);
    expect(reads).toBe(2);
  });

  it('refuses a page or a truncated file in its place', () => {
    expect(() => parseCommonPasswords('<!doctype html>\n<title>Not found</title>\n')).toThrow(/2 entries, expected at least/);
  });

  it('is a public plain-text asset that browsers revalidate, so a new deploy is never hidden by a cache', async () => {
    const response = await env.ASSETS.fetch(`https://assets.invalid${COMMON_PASSWORDS_PATH}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(response.headers.get('cache-control')).toBe('public, max-age=0, must-revalidate');
  });
});

describe('a common password, over HTTP', () => {
  it('is refused at sign-up, beside the password field, and no account is made', async () => {
    const { response, username } = await signUp({ password: 'Trustno1', passwordConfirm: 'Trustno1' });
    expect(response.status).toBe(422);
    expect(await response.text()).toMatch(/id="field-password-error"[^>]*>(?:(?!<\/ul>).)*This password is too common/s);
    expect(await env.DB.prepare('select count(*) as n from users where username = ?').bind(username).first('n')).toBe(0);
  });

  it('is refused as a new password, and the old one still signs in', async () => {
    const { cookie, username } = await signUpAndSignIn();
    const change = await postForm('/account/password', { currentPassword: STRONG_PASSWORD, password: 'welcome123', passwordConfirm: 'welcome123' }, { cookie });
    expect(change.status).toBe(422);
    expect(await change.text()).toContain(TOO_COMMON);
    expect((await postForm('/login', { login: username, password: 'welcome123' })).status).toBe(401);
    expect((await postForm('/login', { login: username, password: STRONG_PASSWORD })).status).toBe(303);
    const uncommon = await postForm('/account/password', { currentPassword: STRONG_PASSWORD, password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD }, { cookie });
    expect(uncommon.status).toBe(303);
  });
});

describe('without the list', () => {
  afterEach(() => vi.restoreAllMocks());

  // The real Worker always has its assets here, so a small app whose ASSETS binding
  // answers like a broken deploy stands in for one without the list.
  // The page speaks the request's language, set here as applyLocale would.
  async function postBehindTheCheck(assets: () => Response, translator: Translator = ENGLISH_TRANSLATOR) {
    let reached = false;
    const speak = createMiddleware<AppEnv>(async (c, next) => {
      c.set('i18n', translator);
      await next();
    });
    const app = new Hono<AppEnv>().post('/set-password', speak, loadCommonPasswords, (c) => {
      reached = true;
      return c.text('password set');
    });
    const brokenEnv = { ASSETS: { fetch: async () => assets() } as unknown as Fetcher };
    const response = await app.request('/set-password', { method: 'POST' }, brokenEnv);
    return { response, reached };
  }

  it('fails closed: a 503 that says passwords cannot be set, nothing behind it runs, and the cause is logged', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { response, reached } = await postBehindTheCheck(() => new Response('Not found', { status: 404 }));
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('Passwords cannot be set right now');
    expect(reached).toBe(false);
    expect(String(log.mock.calls[0]?.[1])).toContain(`${COMMON_PASSWORDS_PATH} answered 404`);
  });

  it('says so in the visitor’s language', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const german = createTranslator('de', await loadCatalog(env.ASSETS, 'de'));
    const { response } = await postBehindTheCheck(() => new Response('Not found', { status: 404 }), german);
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('Passwörter können gerade nicht festgelegt werden');
  });

  it('does not take a page served in its place for the list', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const page = () => new Response('<!doctype html><title>App</title>', { headers: { 'content-type': 'text/html; charset=utf-8' } });
    const { response, reached } = await postBehindTheCheck(page);
    expect(response.status).toBe(503);
    expect(reached).toBe(false);
  });
});
