import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env';
import { listDevMail } from '../mail/mailer';
import { DevMailPage } from '../views/pages/dev-mail';

// Absent (404) unless DEV_MAILBOX = "true", which only the local config sets.
export const devMailRoutes = new Hono<AppEnv>().get('/dev/mail', async (c) => {
  if (!c.var.config.mail.devMailbox) return c.notFound();
  return c.html(<DevMailPage messages={await listDevMail(c.env.SESSIONS)} />);
});
