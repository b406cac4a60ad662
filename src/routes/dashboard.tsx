import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env';
import { requireUser } from '../http/current-user';
import { takeFlash } from '../http/flash';
import { DashboardPage } from '../views/pages/dashboard';

export const dashboardRoutes = new Hono<AppEnv>().get('/dashboard', requireUser, (c) =>
  c.html(<DashboardPage user={c.get('user')!} flash={takeFlash(c)} />),
);
