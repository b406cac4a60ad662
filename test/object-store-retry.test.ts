import { S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { createObjectStore } from '../src/storage/object-store';

// A connection lost before S3 answered (workerd's "Network connection lost.", a reset) is
// tried once more; the SDK already retries answers of 5xx itself. The S3 client here is a
// stand-in that fails on cue: the fault cannot be caused on purpose with a real server.

const CONFIG = { bucket: 'b', region: 'auto', endpoint: 'http://127.0.0.1:1', accessKeyId: 'k', secretAccessKey: 's' };

function clientFailing(...failures: unknown[]) {
  let calls = 0;
  const client = {
    send: async () => {
      const failure = failures[calls++];
      if (failure) throw failure;
      return {};
    },
  } as unknown as S3Client;
  return { client, calls: () => calls };
}

const answered500 = () => new S3ServiceException({ name: 'InternalError', $fault: 'server', $metadata: { httpStatusCode: 500 } });

describe('the object store', () => {
  it('puts again after a connection lost before any answer', async () => {
    const { client, calls } = clientFailing(new TypeError('Network connection lost.'));
    await createObjectStore(CONFIG, client).put('avatars/x.webp', new Uint8Array([1]), 'image/webp');
    expect(calls()).toBe(2);
  });

  it('tries only once more: a second lost connection is a failure the caller sees', async () => {
    const { client, calls } = clientFailing(new TypeError('Network connection lost.'), new TypeError('Network connection lost.'));
    await expect(createObjectStore(CONFIG, client).put('avatars/x.webp', new Uint8Array([1]), 'image/webp')).rejects.toThrow(/S3 put avatars\/x.webp failed/);
    expect(calls()).toBe(2);
  });

  it('leaves answers (a 500, which the SDK retries itself) and timeouts alone', async () => {
    for (const failure of [answered500(), Object.assign(new Error('timed out'), { name: 'TimeoutError' })]) {
      const { client, calls } = clientFailing(failure);
      await expect(createObjectStore(CONFIG, client).delete(['avatars/x.webp'])).rejects.toThrow(/S3 delete/);
      expect(calls()).toBe(1);
    }
  });
});
