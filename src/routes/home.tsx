import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env';
import { takeFlash } from '../http/flash';
import { HomePage } from '../views/pages/home';

export const homeRoutes = new Hono<AppEnv>().get('/', (c) => c.html(<HomePage user={c.var.user} flash={takeFlash(c)} />));
