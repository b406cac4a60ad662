import { DeleteObjectCommand, ListObjectsV2Command, GetObjectCommand, HeadBucketCommand, NoSuchKey, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import type { S3Config } from '../config';

// The only module that knows about S3. Everything else sees put, get and delete.
export interface StoredObject {
  body: ReadableStream<Uint8Array>;
  contentType: string;
  etag?: string;
  size?: number;
}

export interface ListedObject {
  key: string;
  lastModified?: Date;
}

export interface ListOptions {
  // Start after this key (S3 StartAfter), e.g. the last key a previous run handled.
  startAfter?: string;
  // Keys per request (S3 MaxKeys, at most 1000).
  pageSize?: number;
}

export interface ObjectStore {
  put(key: string, body: Uint8Array, contentType: string): Promise<void>;
  // Every object under a prefix in key order, fetched a page at a time as it is consumed
  // (for the cleanup job, which stops part-way and resumes after the last key it saw).
  list(prefix: string, options?: ListOptions): AsyncIterable<ListedObject>;
  get(key: string): Promise<StoredObject | null>;
  delete(keys: string[]): Promise<void>;
  // One HeadBucket request: proves the endpoint, the keys and the bucket (for /healthz).
  checkBucket(signal?: AbortSignal): Promise<void>;
}

export class StorageError extends Error {
  override name = 'StorageError';
}

const REQUEST_TIMEOUT_MS = 8000;

// For deletes that must not fail the page: what is left is logged, and the scheduled
// cleanup removes objects that nothing references.
export async function deleteObjectsQuietly(store: ObjectStore, keys: string[], why: string): Promise<void> {
  try {
    await store.delete(keys);
  } catch (error) {
    console.error(`Avatar cleanup needed (${why}): ${keys.join(', ')}`, error);
  }
}

export function createS3Client(config: S3Config): S3Client {
  return new S3Client({
    region: config.region,
    endpoint: config.endpoint,
    // Custom endpoints (R2, MinIO, a local server) take the bucket in the path.
    forcePathStyle: Boolean(config.endpoint),
    credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
    // The SDK's default CRC32 checksums are refused by many S3-compatible stores.
    ...(config.endpoint ? { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' } : {}),
    maxAttempts: 2,
    requestHandler: { requestTimeout: REQUEST_TIMEOUT_MS },
  });
}

function describe(error: unknown): string {
  if (error instanceof S3ServiceException) return `${error.name} (HTTP ${error.$metadata.httpStatusCode ?? '?'})`;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

// The SDK retries an answer of 5xx (maxAttempts) but not a connection lost before any
// answer ("Network connection lost.", a reset): every request here is idempotent (a PUT
// writes a key no one else writes, with the same bytes), so that is tried once more.
// A timeout is not: it has already waited long enough.
export async function retryLostConnection<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const answered = error instanceof S3ServiceException || (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode !== undefined;
    const gaveUp = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    if (answered || gaveUp) throw error;
    return run();
  }
}

export function createObjectStore(config: S3Config, s3 = createS3Client(config)): ObjectStore {
  const Bucket = config.bucket;
  const client = { send: ((command: unknown, options?: unknown) => retryLostConnection(() => (s3.send as (c: unknown, o?: unknown) => Promise<unknown>)(command, options))) as S3Client['send'] };
  return {
    async put(key, body, contentType) {
      try {
        await client.send(new PutObjectCommand({ Bucket, Key: key, Body: body, ContentType: contentType, ContentLength: body.byteLength }));
      } catch (error) {
        throw new StorageError(`S3 put ${key} failed: ${describe(error)}`, { cause: error });
      }
    },
    async *list(prefix, options = {}) {
      // Each page starts after the last key seen: plain keys work the same on every
      // S3-compatible store, where continuation tokens are opaque and store-specific.
      let startAfter = options.startAfter;
      let more = true;
      while (more) {
        let page;
        try {
          page = await client.send(new ListObjectsV2Command({ Bucket, Prefix: prefix, StartAfter: startAfter, MaxKeys: options.pageSize }));
        } catch (error) {
          throw new StorageError(`S3 list ${prefix} failed: ${describe(error)}`, { cause: error });
        }
        for (const object of page.Contents ?? []) if (object.Key) yield { key: object.Key, lastModified: object.LastModified };
        const lastKey = page.Contents?.at(-1)?.Key;
        more = Boolean(page.IsTruncated && lastKey);
        startAfter = lastKey;
      }
    },
    async get(key) {
      try {
        const result = await client.send(new GetObjectCommand({ Bucket, Key: key }));
        if (!result.Body) return null;
        return {
          body: result.Body.transformToWebStream() as ReadableStream<Uint8Array>,
          contentType: result.ContentType ?? 'application/octet-stream',
          etag: result.ETag,
          size: result.ContentLength,
        };
      } catch (error) {
        if (error instanceof NoSuchKey || (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404)) return null;
        throw new StorageError(`S3 get ${key} failed: ${describe(error)}`, { cause: error });
      }
    },
    async delete(keys) {
      if (!keys.length) return;
      try {
        // One request per key: DeleteObjects needs Content-MD5, which several S3-compatible stores handle differently.
        await Promise.all(keys.map((Key) => client.send(new DeleteObjectCommand({ Bucket, Key }))));
      } catch (error) {
        throw new StorageError(`S3 delete ${keys.join(', ')} failed: ${describe(error)}`, { cause: error });
      }
    },
    async checkBucket(signal) {
      try {
        await client.send(new HeadBucketCommand({ Bucket }), { abortSignal: signal });
      } catch (error) {
        throw new StorageError(`S3 check of bucket ${Bucket} failed: ${describe(error)}`, { cause: error });
      }
    },
  };
}
