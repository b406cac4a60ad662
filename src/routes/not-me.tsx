import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env';
import { isNotMeLinkValid, reportNotMe } from '../account/not-me';
import { requestContext } from '../http/request-context';
import { InvalidLinkPage } from '../views/pages/password-reset';
import { NotMeDonePage, NotMePage } from '../views/pages/not-me';

const invalid = <InvalidLinkPage kind="notMe" />;

// Opening the link only shows a button (mail scanners follow links); the POST acts.
export const notMeRoutes = new Hono<AppEnv>()
  .get('/not-me', async (c) => {
    c.header('Referrer-Policy', 'no-referrer');
    const token = c.req.query('token') ?? '';
    if (!(await isNotMeLinkValid(c.var.db, token))) return c.html(invalid, 400);
    return c.html(<NotMePage token={token} />);
  })
  .post('/not-me', async (c) => {
    const form = await c.req.parseBody();
    const token = typeof form.token === 'string' ? form.token : '';
    if (!(await reportNotMe(c.var.db, c.env.SESSIONS, token, requestContext(c)))) return c.html(invalid, 400);
    return c.html(<NotMeDonePage />);
  });
