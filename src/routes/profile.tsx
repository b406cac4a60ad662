import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { bodyLimit } from 'hono/body-limit';
import * as z from 'zod/mini';
import type { AppEnv } from '../app-env';
import { requireUser, userOf } from '../auth/current-user';
import { email, fieldErrors, textValue } from '../auth/forms';
import { setFlash, takeFlash } from '../http/flash';
import { AVATAR_MAX_BYTES, processAvatarUpload } from '../images/avatar-image';
import { findPendingEmailChange, sendEmailVerification } from '../users/email-verification';
import { normalizeEmail } from '../users/identity';
import { changeAvatar } from '../users/profile-update';
import { isEmailTakenByOther } from '../users/user-store';
import type { FieldErrors } from '../views/components/field';
import { ProfilePage } from '../views/pages/profile';

export const EMAIL_TAKEN = 'An account with this email address already exists.';

const profileSchema = z.object({
  email,
  avatar: z.optional(z.union([z.file(), z.string()])),
  removeAvatar: z.optional(z.string()),
});

// Browsers send an empty, nameless file part when no file was chosen.
function chosenFile(value: File | string | undefined): File | null {
  return value instanceof File && (value.name !== '' || value.size > 0) ? value : null;
}

// Room for a 5 MB picture plus the form around it; anything larger is refused unread.
const limitBodySize = createMiddleware<AppEnv>((c, next) =>
  bodyLimit({
    maxSize: AVATAR_MAX_BYTES + 256 * 1024,
    onError: () => c.html(<ProfilePage user={c.var.user!} errors={{ avatar: ['The picture is larger than 5 MB. Choose a smaller one.'] }} />, 413),
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
      const form = c.req.valid('form');
      const values = { email: form.email, removeAvatar: form.removeAvatar === 'on' };
      const render = (errors: FieldErrors, status: 409 | 422 | 503) => c.html(<ProfilePage user={user} values={values} errors={errors} />, status);

      // Everything that can be refused is checked before anything is written.
      const typedEmail = normalizeEmail(form.email);
      const newEmail = typedEmail !== user.email ? typedEmail : null;
      if (newEmail && (await isEmailTakenByOther(c.var.db, newEmail, user.id))) return render({ email: [EMAIL_TAKEN] }, 409);
      const file = chosenFile(form.avatar as File | string | undefined);
      let avatar;
      if (file) {
        const processed = await processAvatarUpload(c.env.IMAGES, file);
        if (!processed.ok) return render({ avatar: [processed.message] }, processed.retryable ? 503 : 422);
        avatar = processed.avatar;
      }

      const avatarResult = await changeAvatar(c.var.db, c.var.objectStore(), user, { avatar, removeAvatar: values.removeAvatar });
      if (!avatarResult.ok) return render({ avatar: [avatarResult.message] }, 503);
      // A new address replaces the current one only once its owner confirms it.
      if (newEmail) await sendEmailVerification(c.var.db, c.var.mailer(), c.var.config, user, newEmail);

      const messages = [
        avatarResult.changed ? 'Your profile has been saved.' : null,
        newEmail ? `We sent a confirmation link to ${newEmail}. Your email address changes once you open it.` : null,
      ].filter(Boolean);
      setFlash(c, messages.length ? { kind: 'success', message: messages.join(' ') } : { kind: 'info', message: 'Nothing to change.' });
      return c.redirect('/dashboard', 303);
    },
  );
