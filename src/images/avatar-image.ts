import { fieldMessage } from '../auth/field-errors';
import { sniffImageType } from './image-type';

export const AVATAR_MAX_BYTES = 5 * 1024 * 1024;
export const AVATAR_SIZE = 512;
export const AVATAR_SMALL_SIZE = 96;
// Refused before decoding: a small file can claim billions of pixels (a decompression
// bomb). Cloudflare Images itself stops at 12,000 px a side and 100 megapixels.
export const AVATAR_MAX_SIDE = 12_000;
export const AVATAR_MAX_PIXELS = 50_000_000;

export interface ProcessedAvatar {
  large: Uint8Array;
  small: Uint8Array;
  contentType: 'image/webp';
}

// `message`: a catalogue reference (src/auth/field-errors.ts), shown translated beside the field.
export type AvatarResult = { ok: true; avatar: ProcessedAvatar } | { ok: false; message: string; retryable: boolean };

const refuse = (message: string): AvatarResult => ({ ok: false, message, retryable: false });

function streamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new Blob([bytes]).stream();
}

async function squareWebp(images: ImagesBinding, bytes: Uint8Array, side: number): Promise<Uint8Array> {
  // Re-encoding drops every metadata block (EXIF, GPS, XMP); anim: false keeps one frame of a GIF.
  const result = await images
    .input(streamOf(bytes))
    .transform({ width: side, height: side, fit: 'cover' })
    .output({ format: 'image/webp', quality: 85, anim: false });
  return new Uint8Array(await result.response().arrayBuffer());
}

// Validates an upload and turns it into the stored square WebP versions.
export async function processAvatarUpload(images: ImagesBinding, file: File): Promise<AvatarResult> {
  if (file.size === 0) return refuse(fieldMessage('forms.avatar.empty'));
  if (file.size > AVATAR_MAX_BYTES) return refuse(fieldMessage('account.profile.tooLarge'));
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (!sniffImageType(bytes)) return refuse(fieldMessage('forms.avatar.notAPicture'));

  let info: ImageInfoResponse;
  try {
    info = await images.info(streamOf(bytes));
  } catch {
    return refuse(fieldMessage('forms.avatar.unreadable'));
  }
  if (!('width' in info)) return refuse(fieldMessage('forms.avatar.notAPicture'));
  if (info.width > AVATAR_MAX_SIDE || info.height > AVATAR_MAX_SIDE || info.width * info.height > AVATAR_MAX_PIXELS) {
    // Strings, not numbers: plain digits as before (a number would be grouped, "12,345").
    return refuse(fieldMessage('forms.avatar.tooManyPixels', { width: String(info.width), height: String(info.height) }));
  }

  // Never enlarge: a small picture stays its own size, cropped square.
  const shortSide = Math.max(1, Math.min(info.width, info.height));
  try {
    // The small one from the large one: the original (up to 50 megapixels) is decoded once.
    const large = await squareWebp(images, bytes, Math.min(AVATAR_SIZE, shortSide));
    const small = await squareWebp(images, large, Math.min(AVATAR_SMALL_SIZE, shortSide));
    return { ok: true, avatar: { large, small, contentType: 'image/webp' } };
  } catch (error) {
    // E.g. the Images free tier's monthly limit (error 9423): nothing was stored; try later.
    console.error('Avatar transformation failed:', error);
    return { ok: false, message: fieldMessage('forms.avatar.notProcessed'), retryable: true };
  }
}
