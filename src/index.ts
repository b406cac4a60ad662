import app from './app';
import { runScheduledCleanup } from './maintenance/cleanup';

// The Worker: pages and media over fetch, housekeeping on the cron trigger.
export default {
  fetch: app.fetch,
  scheduled(controller, env, ctx) {
    ctx.waitUntil(runScheduledCleanup(env, controller.scheduledTime));
  },
} satisfies ExportedHandler<Env>;
