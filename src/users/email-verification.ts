import { securityEvent, type RequestContext } from './security-events';
import { and, eq, gt } from 'drizzle-orm';
import { consumeToken, createOneTimeToken } from '../auth/one-time-tokens';
import type { Config } from '../config';
import type { Db } from '../db/client';
import { authTokens, users, type UserRow } from '../db/schema';
import { absoluteUrl } from '../mail/links';
import { sendQuietly, type Mailer } from '../mail/mailer';
import { emailChangedNotice, verifyEmailMessage } from '../mail/messages';
import { normalizeEmail } from './identity';
import { isUniqueViolation } from './user-store';

// One flow for both cases: confirming the address given at sign-up, and confirming a
// new address, which replaces the current one only once confirmed.
export async function sendEmailVerification(
  db: Db,
  mailer: Mailer,
  config: Pick<Config, 'publicOrigin'>,
  user: Pick<UserRow, 'id' | 'username' | 'email'>,
  targetEmail = user.email,
): Promise<boolean> {
  const email = normalizeEmail(targetEmail);
  const token = await createOneTimeToken(db, { userId: user.id, purpose: 'verify_email', email });
  const link = absoluteUrl(config, '/verify-email', { token });
  return sendQuietly(mailer, verifyEmailMessage(email, user.username, link, email !== user.email));
}

export type ConfirmEmailResult =
  | { ok: true; email: string; previousEmail: string | null }
  | { ok: false; reason: 'invalid' | 'taken' };

export async function confirmEmail(db: Db, mailer: Mailer, token: string, context: RequestContext = {}, now = Date.now()): Promise<ConfirmEmailResult> {
  const row = await consumeToken(db, token, 'verify_email', now);
  if (!row?.email) return { ok: false, reason: 'invalid' };
  const user = await db.select().from(users).where(eq(users.id, row.userId)).get();
  if (!user || !user.isActive) return { ok: false, reason: 'invalid' };
  const changed = row.email !== user.email;
  try {
    const update = db.update(users).set({ email: row.email, emailVerifiedAt: new Date(now) }).where(eq(users.id, user.id));
    if (changed) {
      await db.batch([update, securityEvent(db, { type: 'email_changed', userId: user.id, details: { from: user.email, to: row.email } }, context, now)]);
    } else {
      await update;
    }
  } catch (error) {
    // Someone else took the address after the link was sent.
    if (isUniqueViolation(error)) return { ok: false, reason: 'taken' };
    throw error;
  }
  if (changed) await sendQuietly(mailer, emailChangedNotice(user.email, user.username, row.email));
  return { ok: true, email: row.email, previousEmail: changed ? user.email : null };
}

// The new address a user asked for and has not confirmed yet, if any.
export async function findPendingEmailChange(db: Db, user: Pick<UserRow, 'id' | 'email'>, now = Date.now()): Promise<string | null> {
  const row = await db
    .select({ email: authTokens.email })
    .from(authTokens)
    .where(and(eq(authTokens.userId, user.id), eq(authTokens.purpose, 'verify_email'), gt(authTokens.expiresAt, new Date(now))))
    .get();
  return row?.email && row.email !== user.email ? row.email : null;
}
