import { eq } from 'drizzle-orm';
import type { Config } from '../config';
import type { Db } from '../db/client';
import { users } from '../db/schema';
import { absoluteUrl } from '../mail/links';
import { sendQuietly, type Mailer } from '../mail/mailer';
import { passwordResetMessage } from '../mail/messages';
import { deleteOtherCredentials, findOtherCredentials, type OtherCredentials } from '../mfa/other-credentials';
import type { RequestContext } from '../users/security-events';
import { findUserByEmail } from '../users/user-store';
import type { CommonPasswords } from '../auth/common-passwords';
import type { FieldErrors } from '../auth/field-errors';
import { consumeToken, createOneTimeToken, findValidToken } from '../auth/one-time-tokens';
import { newPasswordStatements } from '../auth/password-change';
import { hashPassword } from '../auth/password-hash';
import { newPasswordErrors } from '../auth/password-rules';
import { invalidateUserSessions } from '../auth/user-sessions';

// Sends a link if the address belongs to an active account; says nothing either way.
export async function requestPasswordReset(db: Db, mailer: Mailer, config: Pick<Config, 'publicOrigin'>, email: string): Promise<void> {
  const user = await findUserByEmail(db, email);
  if (!user || !user.isActive) return;
  const token = await createOneTimeToken(db, { userId: user.id, purpose: 'password_reset' });
  await sendQuietly(mailer, passwordResetMessage(user.email, user.username, absoluteUrl(config, '/password-reset/confirm', { token })));
}

export async function findResetUser(db: Db, token: string) {
  const row = await findValidToken(db, token, 'password_reset');
  if (!row) return null;
  const user = await db.select().from(users).where(eq(users.id, row.userId)).get();
  return user?.isActive ? user : null;
}

export type ResetResult =
  | {
      ok: true;
      user: { email: string; username: string };
      // What can still sign in besides the new password, for the notice.
      left: OtherCredentials;
      // What the reset removed (null: the address had been confirmed before, nothing was).
      removed: OtherCredentials | null;
    }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'rules'; errors: FieldErrors };

// Checks the rules before using the link up, so a typo does not cost the user their link.
// The link proves the address. Where nothing had proved it before, whoever signed up with
// it may not have been its owner: a squatter's passkey or authenticator app would outlive
// the owner's new password (a pre-hijacked account), so every other way in goes, in the
// same batch as the password, and the address counts as confirmed from now on.
export async function resetPassword(
  db: Db,
  kv: KVNamespace,
  commonPasswords: CommonPasswords,
  token: string,
  input: { password: string; passwordConfirm: string },
  context: RequestContext = {},
  now = Date.now(),
): Promise<ResetResult> {
  const { password, passwordConfirm } = input;
  const user = await findResetUser(db, token);
  if (!user) return { ok: false, reason: 'invalid' };
  const errors = newPasswordErrors(password, passwordConfirm, user, commonPasswords);
  if (Object.keys(errors).length) return { ok: false, reason: 'rules', errors };
  if (!(await consumeToken(db, token, 'password_reset', now))) return { ok: false, reason: 'invalid' };
  const firstProof = user.emailVerifiedAt === null;
  const removed = firstProof ? await findOtherCredentials(db, user.id) : null;
  // Every session ends at every location (through D1); the KV records are tidied below.
  const record = { type: 'password_reset' as const, context, details: removed ? { addressConfirmed: true, removed } : undefined };
  await db.batch([
    ...newPasswordStatements(db, user.id, await hashPassword(password), record, now, { confirmAddress: firstProof }),
    ...(firstProof ? deleteOtherCredentials(db, user.id) : []),
  ]);
  await invalidateUserSessions(kv, user.id);
  const left = await findOtherCredentials(db, user.id);
  return { ok: true, user: { email: user.email, username: user.username }, left, removed };
}
