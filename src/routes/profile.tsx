import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { requireUser } from '../auth/current-user';

// The original app's /edit_profile/ lives on at /profile.
export const profileRoutes = new Hono<AppEnv>()
  .get('/edit_profile', (c) => c.redirect('/profile', 301))
  .get('/profile', requireUser, (c) => c.redirect('/dashboard'));
