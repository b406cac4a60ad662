import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import type { TestProject } from 'vitest/node';

export const TEST_BUCKET = 'edge-accounts-test';

declare module 'vitest' {
  export interface ProvidedContext {
    s3Endpoint: string;
    brokenS3Endpoint: string;
    // test/fixtures/* as base64: tests run inside workerd and cannot read the disk.
    fixtures: Record<string, string>;
    // README.md, for the test that keeps its policy table in step with the code.
    readme: string;
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

  return async () => {
    await s3.close();
    await new Promise((resolve) => broken.close(resolve));
    await rm(directory, { recursive: true, force: true });
  };
}
