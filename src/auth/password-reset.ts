import { eq } from 'drizzle-orm';
import type { Config } from '../config';
import type { Db } from '../db/client';
import { users } from '../db/schema';
import { absoluteUrl } from '../mail/links';
import { sendQuietly, type Mailer } from '../mail/mailer';
import { passwordResetMessage } from '../mail/messages';
import type { RequestContext } from '../users/security-events';
import { findUserByEmail } from '../users/user-store';
import type { FieldErrors } from './field-errors';
import { consumeToken, createOneTimeToken, findValidToken } from './one-time-tokens';
import { setPassword } from './password-change';
import { newPasswordErrors } from './password-rules';
import { invalidateUserSessions } from './user-sessions';

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

export type ResetResult = { ok: true; user: { email: string; username: string } } | { ok: false; reason: 'invalid' } | { ok: false; reason: 'rules'; errors: FieldErrors };

// Checks the rules before using the link up, so a typo does not cost the user their link.
export async function resetPassword(
  db: Db,
  kv: KVNamespace,
  token: string,
  input: { password: string; passwordConfirm: string },
  context: RequestContext = {},
): Promise<ResetResult> {
  const { password, passwordConfirm } = input;
  const user = await findResetUser(db, token);
  if (!user) return { ok: false, reason: 'invalid' };
  const errors = newPasswordErrors(password, passwordConfirm, user);
  if (Object.keys(errors).length) return { ok: false, reason: 'rules', errors };
  if (!(await consumeToken(db, token, 'password_reset'))) return { ok: false, reason: 'invalid' };
  // setPassword ends every session in D1; the KV records only need tidying.
  await setPassword(db, user.id, password, { type: 'password_reset', context });
  await invalidateUserSessions(kv, user.id);
  return { ok: true, user: { email: user.email, username: user.username } };
}
