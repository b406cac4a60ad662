import { env, SELF } from 'cloudflare:test';
import { inject } from 'vitest';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { readConfig } from '../src/config';
import { createObjectStore, createS3Client } from '../src/storage/object-store';
import { ORIGIN, randomAddress } from './helpers';

export function fixture(name: string): Uint8Array {
  const base64 = inject('fixtures')[name];
  if (!base64) throw new Error(`no fixture ${name}`);
  return Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0));
}

export interface ProfileForm {
  email: string;
  // Needed when the email changes.
  currentPassword?: string;
  file?: { bytes: Uint8Array; name: string; type: string };
  removeAvatar?: boolean;
}

export function profileBody(form: ProfileForm): FormData {
  const body = new FormData();
  body.set('email', form.email);
  if (form.currentPassword !== undefined) body.set('currentPassword', form.currentPassword);
  if (form.file) body.set('avatar', new File([form.file.bytes], form.file.name, { type: form.file.type }));
  else body.set('avatar', new File([], '', { type: 'application/octet-stream' }));
  if (form.removeAvatar) body.set('removeAvatar', 'on');
  return body;
}

export function postProfile(cookie: string, form: ProfileForm, fetcher: { fetch: typeof fetch } = SELF) {
  return fetcher.fetch(`${ORIGIN}/profile`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, origin: ORIGIN, 'sec-fetch-site': 'same-origin', 'cf-connecting-ip': randomAddress() },
    body: profileBody(form),
  });
}

export function testStore() {
  return createObjectStore(readConfig(env).s3);
}

export async function readObject(key: string): Promise<Uint8Array | null> {
  const object = await testStore().get(key);
  return object ? new Uint8Array(await new Response(object.body).arrayBuffer()) : null;
}

export async function listKeys(prefix: string): Promise<string[]> {
  const config = readConfig(env).s3;
  const result = await createS3Client(config).send(new ListObjectsV2Command({ Bucket: config.bucket, Prefix: prefix }));
  return (result.Contents ?? []).map((o) => o.Key!).sort();
}

export async function profileOf(username: string) {
  return env.DB.prepare('select u.id, u.email, p.avatar_key as avatarKey from users u join profiles p on p.user_id = u.id where u.username = ?')
    .bind(username)
    .first<{ id: string; email: string; avatarKey: string | null }>();
}

export function bytesContain(haystack: Uint8Array, needle: string): boolean {
  return new TextDecoder('latin1').decode(haystack).includes(needle);
}
