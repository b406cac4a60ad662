import { and, eq, gte, inArray, lt } from 'drizzle-orm';
import type { Db } from '../db/client';
import { securityEvents, users } from '../db/schema';
import { sendQuietly, type Mailer } from '../mail/mailer';
import { newSignInAlert } from '../mail/messages';
import { ACTIVITY_DAYS, type RequestContext } from '../users/security-events';
import { createOneTimeToken } from './one-time-tokens';
import { describeUserAgent } from './user-agent';

// "Was this you?": after a sign-in from a country and browser the account has not used
// in its recent activity, the owner gets an email with a one-click "This wasn't me" link.

const LOOKBACK_MS = ACTIVITY_DAYS * 24 * 60 * 60 * 1000;

// English, whatever the language: only compared, never shown.
function placeOf(country: string | null | undefined, userAgent: string | null | undefined): string {
  return `${country ?? '?'}|${describeUserAgent(userAgent ?? undefined)}`;
}

// Whether a sign-in at `signedInAt` from `context` is unfamiliar: the account has signed
// in before (so not the first sign-in after sign-up or an import), and no sign-in or
// sign-up of the last 90 days came from the same country with the same browser.
export async function isUnfamiliarSignIn(db: Db, userId: string, context: RequestContext, signedInAt: number): Promise<boolean> {
  const rows = await db
    .select({ type: securityEvents.type, country: securityEvents.country, userAgent: securityEvents.userAgent })
    .from(securityEvents)
    .where(
      and(
        eq(securityEvents.userId, userId),
        gte(securityEvents.createdAt, signedInAt - LOOKBACK_MS),
        lt(securityEvents.createdAt, signedInAt),
        inArray(securityEvents.type, ['sign_in', 'signed_up']),
      ),
    )
    .limit(1000)
    .all();
  if (!rows.some((row) => row.type === 'sign_in')) return false;
  const here = placeOf(context.country, context.userAgent);
  return !rows.some((row) => placeOf(row.country, row.userAgent) === here);
}

// Checks and, if unfamiliar, sends the alert. Meant for waitUntil: it never throws.
export async function alertOnUnfamiliarSignIn(
  db: Db,
  mailer: Mailer,
  linkTo: (path: string, query: Record<string, string>) => string,
  userId: string,
  context: RequestContext,
  signedInAt: number,
): Promise<boolean> {
  try {
    if (!(await isUnfamiliarSignIn(db, userId, context, signedInAt))) return false;
    const user = await db.select({ email: users.email, username: users.username }).from(users).where(eq(users.id, userId)).get();
    if (!user) return false;
    const token = await createOneTimeToken(db, { userId, purpose: 'not_me', keepEarlier: true });
    // Described in the recipient's language when the mail is composed; no place, a sentence of its own.
    const details = { when: new Date(signedInAt), where: context.location ?? context.country ?? null, userAgent: context.userAgent };
    return sendQuietly(mailer, newSignInAlert(user.email, user.username, details, linkTo('/not-me', { token })));
  } catch (error) {
    console.error('Sign-in alert failed:', error);
    return false;
  }
}
