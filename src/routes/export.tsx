import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env';
import { takeFlash } from '../http/flash';
import { requireUser, userOf } from '../http/current-user';
import { confirmPasswordSchema, fieldErrors } from '../auth/forms';
import { confirmIdentity } from '../auth/password-confirmation';
import { refuseConfirmation } from '../http/refused-confirmation';
import { takeClientToken } from '../auth/rate-limits';
import { requestContext } from '../http/request-context';
import { tooManyRequests } from '../http/too-many-requests';
import { attachmentDisposition, createZipStream, type ZipEntry } from '../http/zip-stream';
import type { StoredObject } from '../storage/object-store';
import { AVATAR_FILE_NAME, buildAccountDocument, exportFileName, loadExportRecords } from '../account/data-export';
import { securityEvent } from '../users/security-events';
import { ExportPage } from '../views/pages/export';

export const exportRoutes = new Hono<AppEnv>()
  .get('/account/export', requireUser, (c) => c.html(<ExportPage user={c.var.user!} flash={takeFlash(c)} />))
  .post(
    '/account/export',
    requireUser,
    zValidator('form', confirmPasswordSchema, (result, c) => {
      if (!result.success) return c.html(<ExportPage user={userOf(c)} errors={fieldErrors(result.error)} />, 422);
    }),
    async (c) => {
      const user = c.var.user!;
      // The export is heavy, so it has its own limit (per location) before the password;
      // the password goes through the account's lockout, counted everywhere, as every
      // confirmation does: the form is no faster a password oracle than sign-in.
      const limit = await takeClientToken(c.env.EXPORT_LIMITER, 'export', user.id);
      if (!limit.ok) return tooManyRequests(c, limit.retryAfterSeconds);
      const confirmed = await confirmIdentity(c.var.db, user, { password: c.req.valid('form').password, sessionId: c.var.session!.id });
      if (!confirmed.ok) {
        const showForm = (message: string) => c.html(<ExportPage user={user} errors={{ password: [message] }} />, 422);
        return refuseConfirmation(c, confirmed, '/account/export', showForm, c.var.i18n.t('account.export.wrongPassword'));
      }

      // S3 is asked before the first byte is sent: while it can still fail, the answer can
      // still be a page. (A failure later, mid-body, aborts the download: see zip-stream.)
      let avatar: StoredObject | null = null;
      if (user.avatarKey) {
        try {
          avatar = await c.var.objectStore().get(user.avatarKey);
        } catch (error) {
          console.error('Data export: avatar unavailable:', error);
          c.header('Retry-After', '60');
          return c.html(<ExportPage user={user} errors={{ form: [c.var.i18n.t('account.export.unavailable')] }} />, 503);
        }
        if (!avatar) console.error(`Data export: avatar object missing: ${user.avatarKey}`);
      }

      const now = new Date();
      let entries: ZipEntry[];
      try {
        // Recorded first, so the export lists itself.
        await securityEvent(c.var.db, { type: 'data_exported', userId: user.id }, requestContext(c), now.getTime());
        const records = await loadExportRecords(c.var.db, c.env.SESSIONS, user.id);
        const avatarUrl = user.avatarKey ? new URL(user.avatarUrl, c.var.config.publicOrigin).href : '';
        const document = buildAccountDocument(
          { user, avatar: user.avatarKey ? { key: user.avatarKey, url: avatarUrl, included: Boolean(avatar) } : null, currentSessionId: c.var.session!.id, ...records },
          now,
        );
        entries = [{ name: 'account.json', body: new TextEncoder().encode(JSON.stringify(document, null, 2)), compress: true }];
        if (avatar) entries.push({ name: AVATAR_FILE_NAME, body: avatar.body });
      } catch (error) {
        void avatar?.body.cancel().catch(() => {});
        throw error;
      }

      const body = createZipStream(entries, { modified: now, onError: (error) => console.error('Data export aborted mid-stream:', error) });
      c.header('Content-Type', 'application/zip');
      c.header('Content-Disposition', attachmentDisposition(exportFileName(user.username, now)));
      c.header('Cache-Control', 'no-store');
      return c.body(body);
    },
  );
