import { securityEvent, type RequestContext } from '../users/security-events';
import { and, eq, gt } from 'drizzle-orm';
import { consumeToken, createOneTimeToken, deleteUserTokens, oneTimeTokenStatements } from '../auth/one-time-tokens';
import type { Config } from '../config';
import type { Db } from '../db/client';
import { authTokens, users, type UserRow } from '../db/schema';
import { absoluteUrl } from '../mail/links';
import { sendQuietly, type Mailer } from '../mail/mailer';
import { emailChangedNotice, emailChangeRequestedNotice, verifyEmailMessage } from '../mail/messages';
import { normalizeEmail } from '../users/identity';
import { isEmailTakenByOther, isUniqueViolation } from '../users/user-store';

// One flow for both cases: confirming the address given at sign-up, and confirming a
// new address, which replaces the current one only once confirmed.
const verificationLink = (config: Pick<Config, 'publicOrigin'>, token: string) => absoluteUrl(config, '/verify-email', { token });

async function createVerificationLink(db: Db, config: Pick<Config, 'publicOrigin'>, userId: string, email: string, now: number): Promise<string> {
  return verificationLink(config, await createOneTimeToken(db, { userId, purpose: 'verify_email', email }, now));
}

export async function sendEmailVerification(
  db: Db,
  mailer: Mailer,
  config: Pick<Config, 'publicOrigin'>,
  user: Pick<UserRow, 'id' | 'username' | 'email'>,
  now = Date.now(),
): Promise<boolean> {
  const link = await createVerificationLink(db, config, user.id, user.email, now);
  return sendQuietly(mailer, verifyEmailMessage(user.email, user.username, link, false));
}

// The caller has confirmed the password and checked that the address is free. The
// current address hears of the request too: with a stolen session alone, nobody can
// move the account away unnoticed. The link and the event are one D1 write; the two mails
// go out after the response (`defer`), since each first reads its recipient's language.
export async function requestEmailChange(
  db: Db,
  mailer: Mailer,
  config: Pick<Config, 'publicOrigin'>,
  user: Pick<UserRow, 'id' | 'username' | 'email'>,
  newEmail: string,
  options: { context?: RequestContext; defer: (work: Promise<unknown>) => void; now?: number },
): Promise<void> {
  const { context = {}, defer, now = Date.now() } = options;
  const email = normalizeEmail(newEmail);
  const { token, statements } = oneTimeTokenStatements(db, { userId: user.id, purpose: 'verify_email', email }, now);
  await db.batch([...statements, securityEvent(db, { type: 'email_change_requested', userId: user.id, details: { to: email } }, context, now)]);
  const link = verificationLink(config, token);
  defer(sendQuietly(mailer, verifyEmailMessage(email, user.username, link, true)));
  defer(sendQuietly(mailer, emailChangeRequestedNotice(user.email, user.username, email, absoluteUrl(config, '/account'))));
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
  // Someone else took the address, or a username equal to it, after the link was sent.
  if (changed && (await isEmailTakenByOther(db, row.email, user.id))) return { ok: false, reason: 'taken' };
  try {
    const update = db.update(users).set({ email: row.email, emailVerifiedAt: new Date(now) }).where(eq(users.id, user.id));
    if (changed) {
      await db.batch([
        update,
        // A reset link mailed to the previous address must not outlive the change.
        deleteUserTokens(db, user.id, 'password_reset'),
        securityEvent(db, { type: 'email_changed', userId: user.id, details: { from: user.email, to: row.email } }, context, now),
      ]);
    } else if (!user.emailVerifiedAt) {
      await db.batch([update, securityEvent(db, { type: 'email_confirmed', userId: user.id, details: { email: row.email } }, context, now)]);
    } else {
      await update;
    }
  } catch (error) {
    // The address was taken between the check and the update.
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
