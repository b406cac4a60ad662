import { zValidator } from '@hono/zod-validator';
import { Hono, type Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { bodyLimit } from 'hono/body-limit';
import * as z from 'zod/mini';
import type { AppEnv } from '../app-env';
import { requireUser } from '../auth/current-user';
import { email, fieldErrors, textValue } from '../auth/forms';
import { setFlash, takeFlash } from '../http/flash';
import { AVATAR_MAX_BYTES, processAvatarUpload } from '../images/avatar-image';
import { updateProfile } from '../users/profile-update';
import { ProfilePage } from '../views/pages/profile';

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
  .get('/profile', requireUser, (c) => c.html(<ProfilePage user={c.var.user!} flash={takeFlash(c)} />))
  .post(
    '/profile',
    requireUser,
    limitBodySize,
    zValidator('form', profileSchema, (result, c) => {
      if (!result.success) {
        const values = { email: textValue(result.data, 'email'), removeAvatar: textValue(result.data, 'removeAvatar') === 'on' };
        // The hook's context is not typed with our variables; requireUser has run.
        const user = (c as unknown as Context<AppEnv>).var.user!;
        return c.html(<ProfilePage user={user} values={values} errors={fieldErrors(result.error)} />, 422);
      }
    }),
    async (c) => {
      const user = c.var.user!;
      const form = c.req.valid('form');
      const values = { email: form.email, removeAvatar: form.removeAvatar === 'on' };
      const file = chosenFile(form.avatar as File | string | undefined);
      let avatar;
      if (file) {
        const processed = await processAvatarUpload(c.env.IMAGES, file);
        if (!processed.ok) return c.html(<ProfilePage user={user} values={values} errors={{ avatar: [processed.message] }} />, processed.retryable ? 503 : 422);
        avatar = processed.avatar;
      }
      const result = await updateProfile(c.var.db, c.var.objectStore(), user, { email: form.email, avatar, removeAvatar: values.removeAvatar });
      if (!result.ok) return c.html(<ProfilePage user={user} values={values} errors={result.errors} />, result.status);
      const saved = result.emailChanged || result.avatarChanged;
      setFlash(c, saved ? { kind: 'success', message: 'Your profile has been saved.' } : { kind: 'info', message: 'Nothing to change.' });
      return c.redirect('/dashboard', 303);
    },
  );
