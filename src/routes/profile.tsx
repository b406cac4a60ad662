import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { bodyLimit } from 'hono/body-limit';
import * as z from 'zod/mini';
import type { AppEnv } from '../http/app-env';
import { requireUser, userOf } from '../http/current-user';
import { email, fieldErrors, textValue } from '../auth/forms';
import { confirmIdentity } from '../auth/password-confirmation';
import { PASSWORD_MAX_LENGTH } from '../auth/password-rules';
import { takeClientToken, type LimitResult } from '../auth/rate-limits';
import { sha256Hex } from '../crypto/sha256';
import { setFlash, takeFlash } from '../http/flash';
import { requestContext } from '../http/request-context';
import { tooManyRequests } from '../http/too-many-requests';
import { AVATAR_MAX_BYTES, processAvatarUpload } from '../images/avatar-image';
import { findPendingEmailChange, requestEmailChange } from '../account/email-verification';
import { normalizeEmail } from '../users/identity';
import { changeAvatar } from '../users/profile-update';
import { isEmailTakenByOther } from '../users/user-store';
import type { FieldErrors } from '../views/components/field';
import { ProfilePage } from '../views/pages/profile';

const profileSchema = z.object({
  email,
  // Needed only when the address changes.
  currentPassword: z.optional(z.string().check(z.maxLength(PASSWORD_MAX_LENGTH))),
  avatar: z.optional(z.union([z.file(), z.string()])),
  removeAvatar: z.optional(z.string()),
});

// Per account, then per new address: each request mails a link, with the requester's
// username in it, to an address the requester chose.
async function takeEmailChangeToken(limiter: RateLimit, userId: string, email: string): Promise<LimitResult> {
  const perAccount = await takeClientToken(limiter, 'email-change', `user:${userId}`);
  return perAccount.ok ? takeClientToken(limiter, 'email-change', `to:${sha256Hex(email)}`) : perAccount;
}

// Browsers send an empty, nameless file part when no file was chosen.
function chosenFile(value: File | string | undefined): File | null {
  return value instanceof File && (value.name !== '' || value.size > 0) ? value : null;
}

// Room for a 5 MB picture plus the form around it; anything larger is refused unread.
const limitBodySize = createMiddleware<AppEnv>((c, next) =>
  bodyLimit({
    maxSize: AVATAR_MAX_BYTES + 256 * 1024,
    onError: () => c.html(<ProfilePage user={c.var.user!} errors={{ avatar: [c.var.i18n.t('account.profile.tooLarge')] }} />, 413),
  })(c, next),
);

export const profileRoutes = new Hono<AppEnv>()
  // The original app's /edit_profile/ lives on at /profile.
  .get('/edit_profile', (c) => c.redirect('/profile', 301))
  .get('/profile', requireUser, async (c) => {
    const pendingEmail = await findPendingEmailChange(c.var.db, c.var.user!);
    return c.html(<ProfilePage user={c.var.user!} pendingEmail={pendingEmail} flash={takeFlash(c)} />);
  })
  .post(
    '/profile',
    requireUser,
    limitBodySize,
    zValidator('form', profileSchema, (result, c) => {
      if (!result.success) {
        const values = { email: textValue(result.data, 'email'), removeAvatar: textValue(result.data, 'removeAvatar') === 'on' };
        return c.html(<ProfilePage user={userOf(c)} values={values} errors={fieldErrors(result.error)} />, 422);
      }
    }),
    async (c) => {
      const user = c.var.user!;
      const { t } = c.var.i18n;
      const form = c.req.valid('form');
      const values = { email: form.email, removeAvatar: form.removeAvatar === 'on' };
      const render = (errors: FieldErrors, status: 409 | 422 | 503) => c.html(<ProfilePage user={user} values={values} errors={errors} />, status);

      // Everything that can be refused is checked before anything is written.
      const typedEmail = normalizeEmail(form.email);
      const newEmail = typedEmail !== user.email ? typedEmail : null;
      if (newEmail) {
        // The step-up: a stolen session alone must not move the account to another address.
        const confirmed = await confirmIdentity(c.var.db, user, { password: form.currentPassword ?? '', sessionId: c.var.session!.id });
        if (!confirmed.ok && confirmed.reason === 'locked') return tooManyRequests(c, confirmed.retryAfterSeconds);
        if (!confirmed.ok) {
          const message = { 'password-missing': t('account.profile.passwordNeeded'), 'wrong-password': t('security.fields.wrongPassword'), 'confirmation-needed': t('account.profile.confirmFirst') }[confirmed.reason];
          return render({ currentPassword: [message] }, 422);
        }
        if (await isEmailTakenByOther(c.var.db, newEmail, user.id)) return render({ email: [t('account.profile.emailTaken')] }, 409);
      }
      const file = chosenFile(form.avatar as File | string | undefined);
      let avatar;
      if (file) {
        const processed = await processAvatarUpload(c.env.IMAGES, file);
        if (!processed.ok) return render({ avatar: [processed.message] }, processed.retryable ? 503 : 422);
        avatar = processed.avatar;
      }
      if (newEmail) {
        const limit = await takeEmailChangeToken(c.env.EMAIL_CHANGE_LIMITER, user.id, newEmail);
        if (!limit.ok) return tooManyRequests(c, limit.retryAfterSeconds);
      }

      const avatarResult = await changeAvatar(c.var.db, c.var.objectStore(), user, { avatar, removeAvatar: values.removeAvatar }, { defer: (work) => c.executionCtx.waitUntil(work) });
      if (!avatarResult.ok) return render({ avatar: [avatarResult.message] }, 503);
      // A new address replaces the current one only once its owner confirms it.
      if (newEmail) {
        await requestEmailChange(c.var.db, c.var.mailer(), c.var.config, user, newEmail, { context: requestContext(c), defer: (work) => c.executionCtx.waitUntil(work) });
      }

      // One whole message for each outcome, not sentences joined.
      if (avatarResult.changed && newEmail) setFlash(c, { kind: 'success', message: t('account.profile.savedAndEmailSent', { email: newEmail }) });
      else if (avatarResult.changed) setFlash(c, { kind: 'success', message: t('account.profile.saved') });
      else if (newEmail) setFlash(c, { kind: 'success', message: t('account.profile.emailSent', { email: newEmail }) });
      else setFlash(c, { kind: 'info', message: t('account.profile.nothingToChange') });
      return c.redirect('/dashboard', 303);
    },
  );
