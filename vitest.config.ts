import { fileURLToPath } from 'node:url';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { GITHUB_TEST_CLIENT } from './test/github-stand-in';
import { TEST_BUCKET } from './test/global-setup';

export default defineConfig(async () => {
  // The same SQL files wrangler applies, fed to the tests through a binding.
  const migrations = await readD1Migrations('./migrations');
  return {
    plugins: [
      cloudflareTest(({ inject }) => ({
        wrangler: { configPath: './wrangler.toml' },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: migrations,
            // Most tests need an account in one request: the "after" mode. The default,
            // "before", is tested with its own env (test/sign-up-confirmation.test.ts).
            SIGN_UP_CONFIRMATION: 'after',
            // Every language, while wrangler.toml offers English only until all are translated.
            LANGUAGES: 'en,de,fr,es,ja,ar',
            // The local S3 server started by test/global-setup.ts.
            S3_ENDPOINT: inject('s3Endpoint'),
            S3_BUCKET: TEST_BUCKET,
            BROKEN_S3_ENDPOINT: inject('brokenS3Endpoint'),
            // Sign-in providers: the local OpenID Connect provider and the GitHub stand-in
            // started by test/global-setup.ts (client id and secret of `local` from wrangler.toml).
            SIGN_IN_PROVIDERS: 'local,github',
            OIDC_LOCAL_ISSUER: inject('oidcIssuer'),
            GITHUB_CLIENT_ID: GITHUB_TEST_CLIENT.clientId,
            GITHUB_CLIENT_SECRET: GITHUB_TEST_CLIENT.clientSecret,
            GITHUB_OAUTH_URL: inject('githubStandIn'),
            GITHUB_API_URL: inject('githubStandIn'),
          },
        },
      })),
    ],
    // Same alias as wrangler.toml [alias]: the SDK's browser XML parser needs DOMParser.
    resolve: { alias: { '@aws-sdk/xml-builder': fileURLToPath(new URL('./node_modules/@aws-sdk/xml-builder/dist-cjs/index.js', import.meta.url)) } },
    test: {
      globalSetup: ['./test/global-setup.ts'],
      setupFiles: ['./test/apply-migrations.ts'],
      include: ['test/**/*.test.{ts,tsx}'],
      exclude: ['test/e2e/**'],
      // Some tests sign in many times or run the import's slow Django hashes.
      testTimeout: 30_000,
      // The app's one JSON line per request (src/http/request-log.ts) would bury the output;
      // test/request-log.test.ts checks those lines itself.
      onConsoleLog: (log: string) => !log.startsWith('{"type":"request"'),
    },
  };
});
