import { connect } from 'node:net';
import { mkdirSync } from 'node:fs';
import { unstable_readConfig } from 'wrangler';
import type { S3Config } from '../../src/config';
import { createObjectStore, type ObjectStore } from '../../src/storage/object-store';

// The avatar bucket as the Worker sees it: wrangler.toml's vars (the [env.<name>] ones
// for --remote), overridden by S3_* environment variables; production's keys are
// secrets, so they must come from the environment.
export function readBucketConfig(env: string | undefined): S3Config {
  const vars = (unstable_readConfig({ config: 'wrangler.toml', env }, { hideWarnings: true }).vars ?? {}) as Record<string, unknown>;
  const value = (name: string) => process.env[name] ?? (typeof vars[name] === 'string' ? (vars[name] as string) : '');
  const config = {
    bucket: value('S3_BUCKET'),
    region: value('S3_REGION'),
    endpoint: value('S3_ENDPOINT') || undefined,
    accessKeyId: value('S3_ACCESS_KEY_ID'),
    secretAccessKey: value('S3_SECRET_ACCESS_KEY'),
  };
  const missing = (['bucket', 'region', 'accessKeyId', 'secretAccessKey'] as const).filter((key) => !config[key]);
  if (missing.length) throw new Error(`The bucket settings are incomplete (${missing.join(', ')}): set S3_BUCKET, S3_REGION, S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY in the environment`);
  return config;
}

// Same as scripts/dev.mjs: the local S3 server `npm run dev` starts, and where it keeps files.
const LOCAL_ENDPOINT = 'http://127.0.0.1:4569';
const LOCAL_DIRECTORY = '.wrangler/state/s3';

function isListening(url: URL): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: url.hostname, port: Number(url.port) }, () => (socket.end(), resolve(true)));
    socket.on('error', () => resolve(false));
  });
}

// Locally the import usually runs before `npm run dev`: start the same S3 server for it.
export async function openBucket(config: S3Config): Promise<{ store: ObjectStore; close: () => Promise<void> }> {
  const store = createObjectStore(config);
  if (config.endpoint !== LOCAL_ENDPOINT || (await isListening(new URL(LOCAL_ENDPOINT)))) return { store, close: async () => {} };
  const { default: S3rver } = await import('s3rver');
  mkdirSync(LOCAL_DIRECTORY, { recursive: true });
  const server = new S3rver({ port: 4569, address: '127.0.0.1', directory: LOCAL_DIRECTORY, silent: true, configureBuckets: [{ name: config.bucket, configs: [] }] });
  await server.run();
  console.error(`Started the local S3 server (${LOCAL_ENDPOINT}, files in ${LOCAL_DIRECTORY}) for the import.`);
  return { store, close: () => server.close() };
}
