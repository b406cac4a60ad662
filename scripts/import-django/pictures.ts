import { createHash } from 'node:crypto';
import { readFile, realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { AVATAR_MAX_BYTES, AVATAR_MAX_PIXELS, AVATAR_MAX_SIDE } from '../../src/images/avatar-image';
import { sniffImageType } from '../../src/images/image-type';
import type { DjangoUser } from '../../src/import/django-users';
import { quoteForTerminal } from '../../src/import/terminal-text';
import { DJANGO_DEFAULT_PICTURE, type PictureCheck, type PlannedUser } from '../../src/import/import-plan';
import type { ObjectStore } from '../../src/storage/object-store';
import { runPool } from './progress';

// Where Django kept the pictures: MEDIA_ROOT on disk, or a prefix in the bucket where
// django-storages put them. Originals are checked here (so the report can name the ones
// that cannot be used) and staged under imports/ for the Worker to process.
export type PictureSource = { kind: 'dir'; root: string } | { kind: 's3'; prefix: string; store: ObjectStore } | { kind: 'none' };

const EXTENSIONS = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/gif': 'gif', 'image/webp': 'webp', 'image/avif': 'avif' } as const;

// A picture read from where Django kept it, or why it cannot be: missing, or refused (a
// path, or on disk a symlink, that leads out of the media folder).
export type PictureRead = { bytes: Uint8Array } | { missing: true } | { refused: string };

// A path that climbs ("..") or is absolute could name any file (on disk) or any object
// (the SDK normalises a key's "..").
function leavesRoot(path: string): boolean {
  return path.includes('\0') || isAbsolute(path) || path.split(/[\\/]/).includes('..');
}

// The file a path names under MEDIA_ROOT, with every symlink followed. A symlink (the
// file's or a directory's on the way) that leads out of MEDIA_ROOT is refused: a database
// row must not pick a file elsewhere on this machine. The bytes are then read from the
// resolved path.
async function locateInMedia(root: string, path: string): Promise<{ file: string } | { missing: true } | { refused: string }> {
  const realRoot = await realpath(resolve(root)).catch(() => {
    throw new Error(`--media ${quoteForTerminal(root)} is not a folder that can be read`);
  });
  const file = await realpath(resolve(realRoot, path)).catch(() => null);
  if (!file) return { missing: true };
  const inside = relative(realRoot, file);
  if (!inside || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) return { refused: 'a symlink leads out of --media' };
  return { file };
}

export async function readPicture(source: PictureSource, path: string): Promise<PictureRead> {
  if (source.kind !== 'none' && leavesRoot(path)) return { refused: 'the path leaves the media folder (absolute, or with "..")' };
  if (source.kind === 'dir') {
    const located = await locateInMedia(source.root, path);
    if (!('file' in located)) return located;
    return readFile(located.file).then((b) => ({ bytes: new Uint8Array(b) }), () => ({ missing: true }) as const);
  }
  if (source.kind === 's3') {
    const object = await source.store.get(`${source.prefix}${path}`);
    return object ? { bytes: new Uint8Array(await new Response(object.body).arrayBuffer()) } : { missing: true };
  }
  return { missing: true };
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
  const read = await readPicture(source, path);
  if ('refused' in read) return { kind: 'unusable', path, reason: read.refused };
  if ('missing' in read) return { kind: 'unusable', path, reason: source.kind === 'dir' ? 'file not found under --media' : 'object not found under --media-s3-prefix' };
  const { bytes } = read;
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
    const read = await readPicture(source, picture.path);
    const bytes = 'bytes' in read ? read.bytes : null;
    const type = bytes && sniffImageType(bytes);
    if (!bytes || !type) throw new Error(`${quoteForTerminal(picture.path)} changed or disappeared since it was checked; run the import again`);
    await bucket.put(picture.key, bytes, type);
  });
}
