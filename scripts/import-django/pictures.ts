import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { AVATAR_MAX_BYTES, AVATAR_MAX_PIXELS, AVATAR_MAX_SIDE } from '../../src/images/avatar-image';
import { sniffImageType } from '../../src/images/image-type';
import type { DjangoUser } from '../../src/import/django-users';
import { DJANGO_DEFAULT_PICTURE, type PictureCheck, type PlannedUser } from '../../src/import/import-plan';
import type { ObjectStore } from '../../src/storage/object-store';
import { runPool } from './progress';

// Where Django kept the pictures: MEDIA_ROOT on disk, or a prefix in the bucket where
// django-storages put them. Originals are checked here (so the report can name the ones
// that cannot be used) and staged under imports/ for the Worker to process.
export type PictureSource = { kind: 'dir'; root: string } | { kind: 's3'; prefix: string; store: ObjectStore } | { kind: 'none' };

const EXTENSIONS = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/gif': 'gif', 'image/webp': 'webp', 'image/avif': 'avif' } as const;

export async function readPicture(source: PictureSource, path: string): Promise<Uint8Array | null> {
  if (source.kind === 'dir') {
    const root = resolve(source.root);
    const file = resolve(root, path);
    if (!file.startsWith(root + sep)) return null; // a path that leaves MEDIA_ROOT
    return readFile(file).then((b) => new Uint8Array(b), () => null);
  }
  if (source.kind === 's3') {
    const object = await source.store.get(`${source.prefix}${path}`);
    return object ? new Uint8Array(await new Response(object.body).arrayBuffer()) : null;
  }
  return null;
}

// Decoding the header catches what the first bytes cannot (a truncated or fake file, a
// decompression bomb); sharp is a development dependency, so this is skipped without it.
async function readDimensions(bytes: Uint8Array): Promise<{ width: number; height: number } | 'unreadable' | null> {
  const sharp = await import('sharp').then((m) => m.default, () => null);
  if (!sharp) return null;
  try {
    const { width, height } = await sharp(bytes, { limitInputPixels: false }).metadata();
    return width && height ? { width, height } : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

export async function checkPicture(source: PictureSource, user: DjangoUser): Promise<PictureCheck> {
  const path = user.picture;
  if (!path || path === DJANGO_DEFAULT_PICTURE) return { kind: 'default' };
  if (source.kind === 'none') return { kind: 'unusable', path, reason: 'no --media or --media-s3-prefix given' };
  const bytes = await readPicture(source, path);
  if (!bytes) return { kind: 'unusable', path, reason: source.kind === 'dir' ? 'file not found under --media' : 'object not found under --media-s3-prefix' };
  if (bytes.length > AVATAR_MAX_BYTES) return { kind: 'unusable', path, reason: `${(bytes.length / 1e6).toFixed(1)} MB, above the 5 MB an upload may have` };
  const type = sniffImageType(bytes);
  if (!type) return { kind: 'unusable', path, reason: 'not a JPEG, PNG, WebP, GIF or AVIF image' };
  const size = await readDimensions(bytes);
  if (size === 'unreadable') return { kind: 'unusable', path, reason: 'the image cannot be decoded' };
  if (size && (size.width > AVATAR_MAX_SIDE || size.height > AVATAR_MAX_SIDE || size.width * size.height > AVATAR_MAX_PIXELS)) {
    return { kind: 'unusable', path, reason: `${size.width}x${size.height} pixels, above the upload limits` };
  }
  return { kind: 'image', path, contentHash: createHash('sha256').update(bytes).digest('hex'), extension: EXTENSIONS[type] };
}

export async function checkPictures(source: PictureSource, users: DjangoUser[]): Promise<Map<number, PictureCheck>> {
  const checks = new Map<number, PictureCheck>();
  await runPool(users, 8, async (user) => void checks.set(user.id, await checkPicture(source, user)));
  return checks;
}

// Uploads the originals of a batch before the D1 write that points to them.
export async function stagePictures(source: PictureSource, bucket: ObjectStore, users: PlannedUser[]): Promise<void> {
  await runPool(users, 8, async (user) => {
    const picture = user.picture;
    if (picture.kind !== 'stage' || picture.alreadyStaged) return;
    const bytes = await readPicture(source, picture.path);
    const type = bytes && sniffImageType(bytes);
    if (!bytes || !type) throw new Error(`${picture.path} changed or disappeared since it was checked; run the import again`);
    await bucket.put(picture.key, bytes, type);
  });
}
