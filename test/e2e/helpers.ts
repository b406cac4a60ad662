// Shared pieces of the browser tests: the browser, pages that report their own problems,
// people-like sign-up and sign-in, the development mailbox, and the per-page checks
// (axe, reflow, screenshots).
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { KNOWN_A11Y_ISSUES, KNOWN_REFLOW_ISSUES, type KnownIssue } from './known-a11y-issues';

const baseUrl = process.env.E2E_BASE_URL;
if (!baseUrl) throw new Error('E2E_BASE_URL is not set: run the browser tests with `npm run test:e2e`.');
export const BASE_URL = baseUrl.replace(/\/+$/, '');

// The local S3 server behind the app (s3rver answers unsigned requests), to see what
// is really stored.
export async function s3ObjectStatus(key: string): Promise<number> {
  const endpoint = process.env.E2E_S3_ENDPOINT;
  const bucket = process.env.E2E_S3_BUCKET;
  if (!endpoint || !bucket) throw new Error('E2E_S3_ENDPOINT / E2E_S3_BUCKET are not set: run with `npm run test:e2e`.');
  const response = await fetch(`${endpoint}/${bucket}/${key}`, { method: 'HEAD' });
  return response.status;
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const RESULTS_DIR = join(ROOT, 'test-results');
export const SCREENSHOT_DIR = join(RESULTS_DIR, 'screenshots');
export const AXE_DIR = join(RESULTS_DIR, 'axe');
export const FIXTURES_DIR = join(ROOT, 'test', 'fixtures');
export const fixture = (name: string) => join(FIXTURES_DIR, name);

export const DESKTOP = { width: 1280, height: 800 } as const;
export const PHONE = { width: 390, height: 844 } as const;

// A password that passes every rule and is unlike any generated username.
export const PASSWORD = 'Quiet-harbour-lantern-42';
export const NEW_PASSWORD = 'Amber-meadow-compass-97';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.E2E_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// Unique per run and per call: tests never collide with earlier runs or each other.
// The app's per-client rate limits (wrangler.toml [[ratelimits]]: 10 sign-ups and 20
// sign-ins a minute, 5 password-reset requests) count by the client address: each
// browser context gets its own (below), like people on different machines, so the suite
// can grow without tripping them. A test that aims at a limit uses one context.
let counter = 0;
export function uniqueUser(prefix = 'e2e') {
  const id = `${Date.now().toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  return { username: `${prefix}_${id}`, email: `${prefix}.${id}@example.test`, password: PASSWORD };
}
export type TestUser = ReturnType<typeof uniqueUser>;

export interface TestPage {
  context: BrowserContext;
  page: Page;
  // Things that went wrong in the browser: CSP refusals, script errors, failed
  // sub-resources, attempts to leave localhost. Every test expects none.
  problems: string[];
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

// A random private address (10.0.0.0/8) per context, as the HTTP tests use: wrangler dev
// takes the client address from the cf-connecting-ip header, as Cloudflare's edge sets it.
// Not a counter: each test file loads this module afresh, so every file would start with
// the same addresses, and files run within the same minute would add up to a limit (a
// sign-up refused as "too many attempts", seen in CI on 2026-12-05).
function clientAddressForContext(): string {
  const [a, b, c] = crypto.getRandomValues(new Uint8Array(3));
  return `10.${a}.${b}.${c}`;
}

export async function openPage(browser: Browser, options: BrowserContextOptions = {}): Promise<TestPage> {
  const context = await browser.newContext({
    baseURL: BASE_URL,
    viewport: DESKTOP,
    colorScheme: 'light',
    reducedMotion: 'reduce',
    ...options,
    extraHTTPHeaders: { 'cf-connecting-ip': clientAddressForContext(), ...options.extraHTTPHeaders },
  });
  const problems: string[] = [];
  // Nothing but the app: any other address is refused and reported.
  await context.route(
    (url) => !(url.protocol === 'blob:' || url.protocol === 'data:' || LOCAL_HOSTS.has(url.hostname)),
    (route) => {
      problems.push(`request outside localhost: ${route.request().url()}`);
      return route.abort('blockedbyclient');
    },
  );
  const page = await context.newPage();
  page.on('console', (message) => {
    // A 4xx page (404, 422 form errors) logs "Failed to load resource" for the document
    // itself; failed sub-resources are caught below, by their response.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`script error: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400 && response.request().resourceType() !== 'document') problems.push(`${response.status()} for ${response.url()}`);
  });
  page.on('requestfailed', (request) => {
    const failure = request.failure()?.errorText ?? '';
    // A navigation that replaces the page cancels its pending loads: not a problem.
    if (!failure.includes('ERR_ABORTED') && !failure.includes('ERR_BLOCKED_BY_CLIENT')) problems.push(`request failed: ${request.url()} (${failure})`);
  });
  return { context, page, problems };
}

// The language menu's cookie (plain `lang`: the test origin is http), as if the visitor
// had chosen it; en-XA, the testers' pseudo-language, is reached only this way or by
// Accept-Language.
export async function setLanguage(context: BrowserContext, language: string) {
  await context.addCookies([{ name: 'lang', value: language, url: BASE_URL }]);
}

// --- Page checks: accessibility and screenshots ------------------------------------------

interface Violation {
  id: string;
  impact?: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: unknown; html: string; failureSummary?: string }[];
}

function describeViolations(page: string, violations: Violation[]): string {
  return violations
    .map((v) => [`[${v.impact}] ${v.id} on ${page}: ${v.help} (${v.helpUrl})`, ...v.nodes.map((n) => `    ${JSON.stringify(n.target)} ${n.html.slice(0, 200)}\n      ${(n.failureSummary ?? '').replace(/\n/g, '\n      ')}`)].join('\n'))
    .join('\n');
}

async function runAxe(page: Page, label: string, rules?: string[]): Promise<Violation[]> {
  let builder = new AxeBuilder({ page });
  if (rules) builder = builder.withRules(rules);
  const results = await builder.analyze();
  return results.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, nodes: v.nodes.map((n) => ({ target: n.target, html: n.html, failureSummary: n.failureSummary })) })).map((v) => ({ ...v, help: `${v.help} [${label}]` }));
}

// Waits until every image on the page has loaded (or failed), so checks and screenshots
// see the finished page.
async function imagesSettled(page: Page) {
  await page.waitForFunction(() => {
    const doc = (globalThis as unknown as { document: { images: ArrayLike<{ complete: boolean }> } }).document;
    return Array.from(doc.images).every((img) => img.complete);
  });
}

/**
 * Every page a test visits goes through here once: axe at desktop and phone width (and
 * colour contrast in the dark theme), a sideways-scroll check at both widths, and full-page
 * screenshots at both sizes (test-results/screenshots/<name>-desktop|phone.png). Fails on
 * a serious or critical violation or a page wider than the window, unless it is listed in
 * known-a11y-issues.ts. All violations, of any impact, go to test-results/axe/<name>.json.
 */
export async function checkPage(page: Page, name: string) {
  await page.waitForLoadState('load');
  await imagesSettled(page);
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  mkdirSync(AXE_DIR, { recursive: true });

  const violations: Violation[] = [];
  const reflow: string[] = [];
  violations.push(...(await runAxe(page, 'desktop')));
  reflow.push(...(await sidewaysScroll(page, 'desktop')));
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-desktop.png`), fullPage: true });

  await page.emulateMedia({ colorScheme: 'dark' });
  violations.push(...(await runAxe(page, 'dark theme', ['color-contrast'])));
  await page.emulateMedia({ colorScheme: 'light' });

  await page.setViewportSize(PHONE);
  try {
    violations.push(...(await runAxe(page, 'phone')));
    reflow.push(...(await sidewaysScroll(page, 'phone')));
    await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-phone.png`), fullPage: true });
  } finally {
    await page.setViewportSize(DESKTOP);
  }

  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const minor = violations.filter((v) => !serious.includes(v));
  const { known, blocking } = await splitKnown(page, serious);
  const knownRules = [...new Set(known.map((v) => v.id))];
  const knownReflow = KNOWN_REFLOW_ISSUES.find((k) => k.page === name);
  writeFileSync(join(AXE_DIR, `${name}.json`), JSON.stringify({ page: name, url: page.url(), known: knownRules, violations, reflow, knownReflow: Boolean(knownReflow) }, null, 2));
  if (reflow.length && knownReflow) console.warn(`KNOWN ISSUE (test/e2e/known-a11y-issues.ts): ${name} ${reflow.join('; ')}: ${knownReflow.why}`);
  if (!knownReflow) expect(reflow, `${name} must not scroll sideways (WCAG 1.4.10 Reflow)`).toEqual([]);
  if (minor.length) console.log(`axe (moderate/minor, not failing):\n${describeViolations(name, minor)}`);
  if (known.length) console.warn(`axe KNOWN ISSUES (serious, listed in test/e2e/known-a11y-issues.ts, to fix in src/):\n${describeViolations(name, known)}`);
  if (blocking.length) console.error(`axe (serious/critical):\n${describeViolations(name, blocking)}`);
  expect(blocking.map((v) => `${v.id} [${v.impact}] ${v.help}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`), `accessibility violations on ${name}`).toEqual([]);
}

// Content wider than the window makes the page scroll sideways.
async function sidewaysScroll(page: Page, label: string): Promise<string[]> {
  const { scrollWidth, clientWidth } = await page.evaluate(() => {
    const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
    return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth };
  });
  return scrollWidth > clientWidth ? [`scrolls sideways at ${label} width (${scrollWidth} px of content in ${clientWidth} px)`] : [];
}

// Which nodes are a known, already reported issue (see known-a11y-issues.ts).
async function isKnown(page: Page, rule: string, target: unknown): Promise<KnownIssue | undefined> {
  const candidates = KNOWN_A11Y_ISSUES.filter((k) => k.rule === rule);
  if (!candidates.length || !Array.isArray(target) || target.length !== 1 || typeof target[0] !== 'string') return undefined;
  for (const issue of candidates) {
    const matches = await page
      .locator(target[0])
      .first()
      .evaluate((el, parent) => Boolean((el as unknown as { parentElement: { matches(s: string): boolean } | null }).parentElement?.matches(parent)), issue.parent)
      .catch(() => false);
    if (matches) return issue;
  }
  return undefined;
}

async function splitKnown(page: Page, violations: Violation[]) {
  const known: Violation[] = [];
  const blocking: Violation[] = [];
  for (const v of violations) {
    const knownNodes: Violation['nodes'] = [];
    const otherNodes: Violation['nodes'] = [];
    for (const node of v.nodes) {
      const issue = await isKnown(page, v.id, node.target);
      (issue ? knownNodes : otherNodes).push(node);
    }
    if (knownNodes.length) known.push({ ...v, nodes: knownNodes });
    if (otherNodes.length) blocking.push({ ...v, nodes: otherNodes });
  }
  return { known, blocking };
}

// --- People-like actions -------------------------------------------------------------------

export function pathOf(page: Page): string {
  return new URL(page.url()).pathname;
}

// Clicks something that loads a new page and waits until that page has loaded.
export async function clickAndLoad(page: Page, click: () => Promise<void>, expectedPath?: string | RegExp) {
  const before = page.url();
  const navigated = page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame() });
  await click();
  await navigated;
  await page.waitForLoadState('load');
  if (expectedPath !== undefined) {
    const path = pathOf(page);
    const ok = typeof expectedPath === 'string' ? path === expectedPath : expectedPath.test(path);
    // On a wrong turn, say where we are and what the page says.
    const where = ok ? '' : `; landed on "${await page.title()}" saying: ${(await page.getByRole('alert').allTextContents()).join(' | ') || '(no alert)'}`;
    if (typeof expectedPath === 'string') expect(path, `after leaving ${before}${where}`).toBe(expectedPath);
    else expect(path, `after leaving ${before}${where}`).toMatch(expectedPath);
  }
}

export function accountNav(page: Page) {
  return page.getByRole('navigation', { name: 'Account' });
}

export async function fillRegisterForm(page: Page, user: { username: string; email: string; password: string }, confirm = user.password) {
  await page.getByLabel('Username', { exact: true }).fill(user.username);
  await page.getByLabel('Email address', { exact: true }).fill(user.email);
  await page.getByLabel('Password', { exact: true }).fill(user.password);
  await page.getByLabel('Confirm password', { exact: true }).fill(confirm);
}

// From the home page: "Sign up" in the header, the form, "Create account", then the code
// the app emails (SIGN_UP_CONFIRMATION=before, wrangler.toml's default): the account exists
// once the code is typed on /register/code, and the browser lands signed in on /dashboard.
export async function signUp(page: Page, user: TestUser, { check }: { check?: boolean } = {}) {
  await page.goto('/');
  await clickAndLoad(page, () => accountNav(page).getByRole('link', { name: 'Sign up' }).click(), '/register');
  if (check) await checkPage(page, 'register');
  await fillRegisterForm(page, user);
  await clickAndLoad(page, () => page.getByRole('button', { name: 'Create account' }).click(), '/register/code');
  await enterSignUpCode(page, user.email);
}

// On /register/code: the code from the mailbox typed into "Code", then "Create account".
export async function enterSignUpCode(page: Page, email: string) {
  const { code } = await readMailedCode(page.context(), email, 'sign-up');
  await page.getByLabel('Code', { exact: true }).fill(code);
  await clickAndLoad(page, () => page.getByRole('button', { name: 'Create account' }).click(), '/dashboard');
}

// From wherever the header shows "Sign in".
export async function signIn(page: Page, login: string, password: string) {
  await clickAndLoad(page, () => accountNav(page).getByRole('link', { name: 'Sign in' }).click(), '/login');
  await page.getByLabel('Username or email').fill(login);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await clickAndLoad(page, () => page.getByRole('button', { name: 'Sign in', exact: true }).click(), '/dashboard');
}

export async function signOut(page: Page) {
  await clickAndLoad(page, () => accountNav(page).getByRole('button', { name: 'Sign out' }).click(), '/');
  await expect.poll(() => page.getByRole('status').textContent()).toContain('You have been signed out.');
  await accountNav(page).getByRole('link', { name: 'Sign in' }).waitFor();
}

// The dashboard's facts list: <dt>Email</dt><dd>address <span class="badge">Verified</span></dd>.
export function dashboardFact(page: Page, term: string) {
  return page.locator(`xpath=//dl/dt[normalize-space()="${term}"]/following-sibling::dd[1]`);
}

export async function dashboardEmail(page: Page): Promise<{ email: string; badge: string }> {
  const dd = dashboardFact(page, 'Email');
  const badge = ((await dd.locator('.badge').allTextContents())[0] ?? '').trim();
  const all = ((await dd.textContent()) ?? '').replace(/\s+/g, ' ').trim();
  return { email: badge ? all.slice(0, all.length - badge.length).trim() : all, badge };
}

// The development mailbox (/dev/mail) stands in for the person's inbox. Mail may be sent
// just after the page that triggered it answers, so it is polled for, not waited on. The
// newest message comes first.
async function newestMail(page: Page, to: string, subject: string | RegExp): Promise<Locator> {
  await page.goto('/dev/mail');
  const heading = typeof subject === 'string' ? page.getByRole('heading', { name: subject, exact: true }) : page.getByRole('heading', { name: subject });
  const message = page.getByRole('article').filter({ has: heading }).filter({ hasText: `To ${to.toLowerCase()} ` });
  // A plain loop, not expect.poll: sign-up (and so this) also runs in beforeAll hooks.
  const deadline = Date.now() + 15_000;
  while (!(await message.count())) {
    if (Date.now() > deadline) throw new Error(`no mail "${subject}" to ${to} in /dev/mail within 15 s`);
    await page.waitForTimeout(250);
    await page.reload();
  }
  return message.first();
}

export async function openMailLink(page: Page, to: string, subject: string, { check }: { check?: string } = {}): Promise<string> {
  const message = await newestMail(page, to, subject);
  if (check) await checkPage(page, check);
  const link = message.getByRole('link');
  const href = (await link.getAttribute('href')) ?? '';
  expect(href.startsWith(`${BASE_URL}/`), `the mailed link ${href} points at this app`).toBe(true);
  await clickAndLoad(page, () => link.click());
  return href;
}

// A code as mails show it: 8 letters and digits without 0/O/1/I/L, grouped ABCD-EFGH.
const MAILED_CODE = '[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}';

export interface MailedCode {
  // As the subject shows it, ABCD-EFGH.
  code: string;
  // The mail's link (/email-link?token=...), when it has one.
  link: string | null;
  text: string;
}

/**
 * The newest "<ABCD-EFGH> is your Edge Accounts <kind> code" mail to `to`, read in another
 * tab of the same browser (like a person's webmail), so the page waiting for the code stays
 * as it is. The code leads the subject and is repeated in the text.
 */
export async function readMailedCode(context: BrowserContext, to: string, kind: 'sign-up' | 'sign-in' | 'confirmation'): Promise<MailedCode> {
  const inbox = await context.newPage();
  try {
    const message = await newestMail(inbox, to, new RegExp(`^${MAILED_CODE} is your Edge Accounts ${kind} code$`));
    const subject = ((await message.getByRole('heading').textContent()) ?? '').trim();
    const code = subject.slice(0, 9);
    const text = (await message.locator('pre').textContent()) ?? '';
    expect(text, 'the code is in the text as well as the subject').toContain(code);
    const links = message.getByRole('link');
    const link = (await links.count()) ? await links.first().getAttribute('href') : null;
    return { code, link, text };
  } finally {
    await inbox.close();
  }
}

export interface ImageState {
  src: string;
  complete: boolean;
  naturalWidth: number;
  naturalHeight: number;
}

export async function imageState(page: Page, selectorOrLocator: ReturnType<Page['locator']>): Promise<ImageState> {
  await selectorOrLocator.waitFor();
  return selectorOrLocator.evaluate(async (node) => {
    const img = node as unknown as { src: string; complete: boolean; naturalWidth: number; naturalHeight: number; decode(): Promise<void>; getAttribute(name: string): string | null };
    // decode() settles once the image has loaded (or rejects if it cannot be shown).
    await img.decode().catch(() => {});
    return { src: img.getAttribute('src') ?? '', complete: img.complete, naturalWidth: img.naturalWidth, naturalHeight: img.naturalHeight };
  });
}

export function expectNoProblems(t: TestPage) {
  expect(t.problems, 'problems seen by the browser').toEqual([]);
}

// `npm run createsuperuser` against the state directory of the `wrangler dev` under test
// (scripts/e2e.mjs passes it in E2E_STATE_DIR).
export function createSuperuser(username: string, email: string): Promise<{ code: number; output: string }> {
  const stateDir = process.env.E2E_STATE_DIR;
  if (!stateDir) throw new Error('E2E_STATE_DIR is not set: run the browser tests with `npm run test:e2e`.');
  return new Promise((done) => {
    const child = spawn(process.execPath, ['scripts/createsuperuser.mjs', '--username', username, '--email', email, '--persist-to', stateDir], {
      cwd: ROOT,
      env: { ...process.env, SUPERUSER_PASSWORD: PASSWORD, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' },
    });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    child.on('exit', (code) => done({ code: code ?? 1, output }));
  });
}
