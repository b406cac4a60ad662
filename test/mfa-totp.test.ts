import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createDb } from '../src/db/client';
import { importSecretBoxKey } from '../src/mfa/secret-box';
import { TOTP_PERIOD_SECONDS, formatTotpKey, generateTotpCode, matchTotpStep, parseTotpKey, totpKeyUri, totpStep } from '../src/mfa/totp';
import { enableTotpStatement, findPendingEnrolment, isTotpEnabled, startTotpEnrolment, useTotpCode } from '../src/mfa/totp-credentials';
import { readConfig } from '../src/config';
import { createUserWithProfile } from '../src/users/user-store';
import { uniqueName } from './helpers';

const STEP_MS = TOTP_PERIOD_SECONDS * 1000;
// RFC 6238, appendix B: the SHA-1 key, and the last 6 digits of its 8-digit answers.
const RFC_KEY = new TextEncoder().encode('12345678901234567890');

describe('TOTP codes (RFC 6238)', () => {
  it('matches the RFC test vectors', () => {
    expect(generateTotpCode(RFC_KEY, 59_000)).toBe('287082');
    expect(generateTotpCode(RFC_KEY, 1_111_111_109_000)).toBe('081804');
    expect(generateTotpCode(RFC_KEY, 2_000_000_000_000)).toBe('279037');
  });

  it('accepts a code one step either side of now, and says which step it was', () => {
    const now = 1_700_000_000_000;
    for (const offset of [-1, 0, 1]) {
      const code = generateTotpCode(RFC_KEY, now + offset * STEP_MS);
      expect(matchTotpStep(RFC_KEY, code, now), `offset ${offset}`).toBe(totpStep(now) + offset);
    }
  });

  it('refuses a code two steps away either side', () => {
    const now = 1_700_000_000_000;
    for (const offset of [-2, 2, -3, 3]) {
      expect(matchTotpStep(RFC_KEY, generateTotpCode(RFC_KEY, now + offset * STEP_MS), now), `offset ${offset}`).toBeNull();
    }
  });

  it('takes "123 456" as typed, and refuses anything that is not the code', () => {
    const now = 1_700_000_000_000;
    const code = generateTotpCode(RFC_KEY, now);
    expect(matchTotpStep(RFC_KEY, `${code.slice(0, 3)} ${code.slice(3)}`, now)).toBe(totpStep(now));
    for (const wrong of ['', 'abcdef', `${code}0`, code.slice(1), String((Number(code) + 1) % 1e6).padStart(6, '0')]) {
      expect(matchTotpStep(RFC_KEY, wrong, now), wrong).toBeNull();
    }
  });

  it('shows the key in groups of four that parse back, and puts it in an otpauth URI', () => {
    const key = crypto.getRandomValues(new Uint8Array(20));
    const text = formatTotpKey(key);
    expect(text).toMatch(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
    expect(parseTotpKey(text)).toEqual(key);
    const uri = new URL(totpKeyUri('ann@example.com', key));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.searchParams.get('secret')).toBe(text.replaceAll(' ', ''));
    expect(uri.searchParams.get('issuer')).toBe('Edge Accounts');
    expect(uri.searchParams.get('digits')).toBe('6');
    expect(uri.searchParams.get('period')).toBe('30');
  });
});

async function enabledCredential(now: number) {
  const db = createDb(env.DB);
  const name = uniqueName('totp');
  const user = await createUserWithProfile(db, { username: name, email: `${name}@example.com`, passwordHash: 'x' });
  const key = await importSecretBoxKey(readConfig(env).mfaEncryptionKey);
  const totpKey = (await startTotpEnrolment(db, key, user.id, 'session-1', now))!;
  const enrolment = (await findPendingEnrolment(db, key, user.id, 'session-1'))!;
  // Enrolled with the code of the step before `now`.
  await enableTotpStatement(db, user.id, enrolment, totpStep(now) - 1, now);
  return { db, key, userId: user.id, totpKey };
}

describe('using a code (replay)', () => {
  it('accepts each code once, and never one from a step at or before the last one used', async () => {
    const now = Date.now();
    const { db, key, userId, totpKey } = await enabledCredential(now);
    expect(await isTotpEnabled(db, userId)).toBe(true);
    const previous = generateTotpCode(totpKey, now - STEP_MS);
    const current = generateTotpCode(totpKey, now);
    const next = generateTotpCode(totpKey, now + STEP_MS);
    expect(await useTotpCode(db, key, userId, previous, now)).toBe(false); // used at enrolment
    expect(await useTotpCode(db, key, userId, next, now)).toBe(true);
    expect(await useTotpCode(db, key, userId, next, now)).toBe(false);
    // Still inside the window, but older than the last step used.
    expect(await useTotpCode(db, key, userId, current, now)).toBe(false);
    expect(await useTotpCode(db, key, userId, generateTotpCode(totpKey, now + 2 * STEP_MS), now + STEP_MS)).toBe(true);
  });

  it('lets only one of two simultaneous requests with the same code through', async () => {
    const now = Date.now();
    const { db, key, userId, totpKey } = await enabledCredential(now);
    const code = generateTotpCode(totpKey, now);
    const results = await Promise.all([useTotpCode(db, key, userId, code, now), useTotpCode(db, key, userId, code, now), useTotpCode(db, key, userId, code, now)]);
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('keeps the key encrypted in D1, bound to its account', async () => {
    const now = Date.now();
    const { userId, totpKey } = await enabledCredential(now);
    const row = await env.DB.prepare('select secret_encrypted as s from totp_credentials where user_id = ?').bind(userId).first<{ s: string }>();
    expect(row!.s).toMatch(/^v1\.[\w-]+\.[\w-]+$/);
    expect(row!.s).not.toContain(formatTotpKey(totpKey).replaceAll(' ', ''));
    // Copied into another account's row, it does not open: no code works there (and no error page).
    const other = await enabledCredential(now);
    await env.DB.prepare('update totp_credentials set secret_encrypted = ? where user_id = ?').bind(row!.s, other.userId).run();
    expect(await useTotpCode(other.db, other.key, other.userId, generateTotpCode(totpKey, now + STEP_MS), now)).toBe(false);
  });

  it('does not start a new enrolment over an enabled app', async () => {
    const now = Date.now();
    const { db, key, userId } = await enabledCredential(now);
    expect(await startTotpEnrolment(db, key, userId, 'session-1', now)).toBeNull();
    expect(await isTotpEnabled(db, userId)).toBe(true);
  });
});
