import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import type { TestProject } from 'vitest/node';
import { LOCAL_OIDC_CLIENT, startLocalOidcProvider } from '../scripts/lib/local-oidc-provider.mjs';
import { startGithubStandIn } from './github-stand-in';

export const TEST_BUCKET = 'edge-accounts-test';
// The origin the tests' Worker runs at (test/helpers.ts ORIGIN): provider redirect URIs use it.
const TEST_ORIGIN = 'http://localhost:8787';

declare module 'vitest' {
  export interface ProvidedContext {
    s3Endpoint: string;
    brokenS3Endpoint: string;
    // test/fixtures/* as base64: tests run inside workerd and cannot read the disk.
    fixtures: Record<string, string>;
    // README.md, for the test that keeps its policy table in step with the code.
    readme: string;
    // The local OpenID Connect provider (oidc-provider) the Worker signs in with, as `local`.
    oidcIssuer: string;
    // A second one with another signing key (same key id), whose ID tokens carry no address
    // (its userinfo answer does).
    otherOidcIssuer: string;
    // The GitHub stand-in (test/github-stand-in.ts): OAuth and REST API at one address.
    githubStandIn: string;
  }
}

// A real S3 server over HTTP (s3rver) for the tests, plus one that answers every
// request with 500 to stand in for an S3 outage.
export default async function setup(project: TestProject) {
  const directory = await mkdtemp(join(tmpdir(), 'edge-accounts-s3-'));
  const s3 = new S3rver({ port: 0, address: '127.0.0.1', directory, silent: true, configureBuckets: [{ name: TEST_BUCKET, configs: [] }] });
  const { port } = (await s3.run()) as AddressInfo;

  const broken: Server = createServer((_req, res) => {
    res.writeHead(500, { 'content-type': 'application/xml' });
    res.end('<?xml version="1.0"?><Error><Code>InternalError</Code><Message>Simulated outage</Message></Error>');
  });
  await new Promise<void>((resolve) => broken.listen(0, '127.0.0.1', resolve));

  const fixturesDir = new URL('./fixtures/', import.meta.url);
  const fixtures: Record<string, string> = {};
  for (const name of await readdir(fixturesDir)) fixtures[name] = (await readFile(new URL(name, fixturesDir))).toString('base64');
  project.provide('fixtures', fixtures);
  project.provide('readme', await readFile(new URL('../README.md', import.meta.url), 'utf8'));
  project.provide('s3Endpoint', `http://127.0.0.1:${port}`);
  project.provide('brokenS3Endpoint', `http://127.0.0.1:${(broken.address() as AddressInfo).port}`);

  // Real OpenID Connect providers over HTTP, as `npm run dev` runs one; and since GitHub
  // cannot run here, a stand-in that speaks its OAuth and REST shapes.
  const redirectUris = (...ids: string[]) => ids.map((id) => `${TEST_ORIGIN}/oauth/${id}/callback`);
  const oidc = await startLocalOidcProvider({ client: { ...LOCAL_OIDC_CLIENT, redirectUris: redirectUris('local', 'local-2', 'local-3') }, quiet: true });
  // Same key id as the first, other key: its JWKS stands in for a key the issuer never had.
  const otherOidc = await startLocalOidcProvider({
    client: { ...LOCAL_OIDC_CLIENT, redirectUris: redirectUris('other') },
    claimsInIdToken: false,
    quiet: true,
    keyId: oidc.jwks.keys[0]!.kid as string,
  });
  const github = await startGithubStandIn({ redirectUris: redirectUris('github') });
  project.provide('oidcIssuer', oidc.issuer);
  project.provide('otherOidcIssuer', otherOidc.issuer);
  project.provide('githubStandIn', github.url);

  return async () => {
    await s3.close();
    await new Promise((resolve) => broken.close(resolve));
    await Promise.all([oidc.close(), otherOidc.close(), github.close()]);
    await rm(directory, { recursive: true, force: true });
  };
}
