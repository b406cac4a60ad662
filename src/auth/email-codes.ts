import { and, eq, gt, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { emailCodes, type EmailCodeRow } from '../db/schema';
import { normalizeEmail } from '../users/identity';
import { hashSecret, newIdAndSecret, randomToken, secretMatches, splitToken } from './random-token';

// Codes sent by email: one mechanism for a sign-up that confirms its address first, a
// sign-in without a password, and the step-up of an account without one. A code is 8
// characters from an alphabet with no look-alikes; the same mail carries a link. Each is
// bound to the address, and the code also to the browser that asked (the secret in its
// cookie): a code read over someone's shoulder is useless elsewhere. The link, 160 random
// bits, works in any browser, but only through a button press (mail scanners follow links).

export type EmailCodePurpose = EmailCodeRow['purpose'];

// No 0/O, 1/I/L: nothing a reader can confuse. 31 symbols, 8 of them: about 40 bits.
export const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const CODE_LENGTH = 8;
export const CODE_LIFETIME_MS = 10 * 60 * 1000;
export const MAX_CODE_ATTEMPTS = 5;

export function generateCode(): string {
  let code = '';
  while (code.length < CODE_LENGTH) {
    for (const byte of crypto.getRandomValues(new Uint8Array(16))) {
      // Rejection sampling: 248 = 8 * 31, so every symbol is equally likely.
      if (byte < 248 && code.length < CODE_LENGTH) code += CODE_ALPHABET[byte % CODE_ALPHABET.length];
    }
  }
  return code;
}

// For reading: "ABCD-EFGH".
export function formatCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

// What a person typed or pasted: any case, spaces, dashes or dots between the groups.
export function normalizeCode(input: string): string {
  return input.toUpperCase().replace(/[\s\-.\u2010-\u2015]/g, '');
}

function codeHash(id: string, code: string): string {
  return hashSecret(`${id}:${normalizeCode(code)}`);
}

export interface NewEmailCode {
  purpose: EmailCodePurpose;
  email: string;
  userId?: string | null;
  // False: an address no code may work for (taken at sign-up, no usable account at
  // sign-in). The row is written all the same, with a code nobody was sent, so the pages,
  // the attempts and the timing are those of a live one.
  live: boolean;
  data?: Record<string, unknown>;
}

export interface IssuedEmailCode {
  id: string;
  code: string;
  // "<id>.<secret>" for the link in the mail.
  linkToken: string;
  // "<id>.<secret>" for the cookie of the browser that asked.
  browserToken: string;
  expiresAt: number;
}

// One live code per address: a new one replaces whatever the address had (the unique
// index on email), in one statement.
export async function issueEmailCode(db: Db, input: NewEmailCode, now = Date.now()): Promise<IssuedEmailCode> {
  const link = newIdAndSecret();
  const id = link.id;
  const code = generateCode();
  const browserSecret = randomToken(20);
  const row = {
    id,
    purpose: input.purpose,
    email: normalizeEmail(input.email),
    userId: input.userId ?? null,
    codeHash: input.live ? codeHash(id, code) : hashSecret(randomToken(20)),
    linkHash: input.live ? link.secretHash : hashSecret(randomToken(20)),
    browserHash: hashSecret(browserSecret),
    attempts: 0,
    data: input.data ? JSON.stringify(input.data) : null,
    createdAt: now,
    expiresAt: now + CODE_LIFETIME_MS,
  };
  const { email: _email, ...replacement } = row;
  await db.insert(emailCodes).values(row).onConflictDoUpdate({ target: emailCodes.email, set: replacement });
  return { id, code, linkToken: link.token, browserToken: `${id}.${browserSecret}`, expiresAt: row.expiresAt };
}

// Whether a code can still be entered: not expired, not worn out by wrong entries.
export function isCodeLive(row: Pick<EmailCodeRow, 'expiresAt' | 'attempts'>, now = Date.now()): boolean {
  return row.expiresAt > now && row.attempts < MAX_CODE_ATTEMPTS;
}

// The row this browser's cookie points at, live or not (the code page, and "send a new
// code", which replays the request it came from). Rows are swept an hour after expiry.
export async function findCodeForBrowser(db: Db, browserToken: string | undefined, purpose: EmailCodePurpose): Promise<EmailCodeRow | null> {
  const parts = browserToken ? splitToken(browserToken) : null;
  if (!parts) return null;
  const row = await db.select().from(emailCodes).where(eq(emailCodes.id, parts.id)).get();
  return row && row.purpose === purpose && secretMatches(parts.secret, row.browserHash) ? row : null;
}

export type CodeRedemption =
  | { ok: true; row: EmailCodeRow }
  // No live code for this browser: expired, used, replaced, or never asked for here.
  | { ok: false; reason: 'expired' }
  // Wrong: attemptsLeft more tries before the code dies (0: it just died).
  | { ok: false; reason: 'wrong'; attemptsLeft: number };

// A code typed in the browser that asked for it. The attempt is counted first, in one
// statement that also checks expiry and the cap, so parallel guesses cannot get past
// MAX_CODE_ATTEMPTS; the right code then spends the row (DELETE ... RETURNING: once).
export async function redeemCode(db: Db, browserToken: string | undefined, purpose: EmailCodePurpose, typed: string, now = Date.now()): Promise<CodeRedemption> {
  const parts = browserToken ? splitToken(browserToken) : null;
  if (!parts) return { ok: false, reason: 'expired' };
  const row = await db
    .update(emailCodes)
    .set({ attempts: sql`${emailCodes.attempts} + 1` })
    .where(and(eq(emailCodes.id, parts.id), eq(emailCodes.purpose, purpose), gt(emailCodes.expiresAt, now), lt(emailCodes.attempts, MAX_CODE_ATTEMPTS)))
    .returning()
    .get();
  if (!row || !secretMatches(parts.secret, row.browserHash)) return { ok: false, reason: 'expired' };
  const normalized = normalizeCode(typed);
  if (normalized.length !== CODE_LENGTH || !secretMatches(`${row.id}:${normalized}`, row.codeHash)) {
    return { ok: false, reason: 'wrong', attemptsLeft: MAX_CODE_ATTEMPTS - row.attempts };
  }
  return spend(db, row.id);
}

async function spend(db: Db, id: string): Promise<CodeRedemption> {
  const spent = await db.delete(emailCodes).where(eq(emailCodes.id, id)).returning().get();
  return spent ? { ok: true, row: spent } : { ok: false, reason: 'expired' };
}

// The link from the mail, to show its confirmation page (a GET changes nothing).
export async function findCodeByLink(db: Db, linkToken: string | undefined, now = Date.now()): Promise<EmailCodeRow | null> {
  const parts = linkToken ? splitToken(linkToken) : null;
  if (!parts) return null;
  const row = await db.select().from(emailCodes).where(eq(emailCodes.id, parts.id)).get();
  if (!row || row.purpose === 'step_up' || !secretMatches(parts.secret, row.linkHash)) return null;
  return isCodeLive(row, now) ? row : null;
}

// The link confirmed with its button: spends the same row as the code would (either one
// works, once). A step-up is bound to a session and has no link.
export async function redeemLink(db: Db, linkToken: string | undefined, now = Date.now()): Promise<EmailCodeRow | null> {
  const row = await findCodeByLink(db, linkToken, now);
  if (!row) return null;
  const spent = await spend(db, row.id);
  return spent.ok ? spent.row : null;
}

// Whether this browser is the one that asked (its cookie points at this row).
export function isSameBrowser(row: Pick<EmailCodeRow, 'id' | 'browserHash'>, browserToken: string | undefined): boolean {
  const parts = browserToken ? splitToken(browserToken) : null;
  return Boolean(parts && parts.id === row.id && secretMatches(parts.secret, row.browserHash));
}

export function codeData<T>(row: EmailCodeRow): Partial<T> {
  return row.data ? (JSON.parse(row.data) as Partial<T>) : {};
}
