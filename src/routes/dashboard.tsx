import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { requireUser } from '../auth/current-user';
import { takeFlash } from '../http/flash';
import { DashboardPage } from '../views/pages/dashboard';

export const dashboardRoutes = new Hono<AppEnv>().get('/dashboard', requireUser, (c) =>
  c.html(<DashboardPage user={c.var.user!} flash={takeFlash(c)} />),
);
