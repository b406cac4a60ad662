// Browser tests run by `npm run test:e2e` (scripts/e2e.mjs starts the app first and passes
// its address in E2E_BASE_URL). Plain Node: the tests drive Chromium through playwright-core.
// The main config (../../vitest.config.ts) runs inside workerd and excludes this folder.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { PageChecksReporter } from './report';

export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    environment: 'node',
    include: ['test/e2e/**/*.e2e.ts'],
    // One app, one browser at a time: files share the server and run in order.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    teardownTimeout: 30_000,
    // The page-check summary (axe, screenshots) prints just before the default summary.
    reporters: [new PageChecksReporter(), 'default'],
  },
});
