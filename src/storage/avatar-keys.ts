import { sha256Hex } from '../crypto/sha256';

// avatars/<user id>/<content hash>.webp, and the header version beside it (-96.webp).
// A key never changes content, so it can be cached forever; a new upload is a new key.
const AVATAR_KEY = /^avatars\/[0-9a-f]{24}\/[0-9a-f]{32}(-96)?\.webp$/;

export function avatarKeyFor(userId: string, largeBytes: Uint8Array): string {
  return `avatars/${userId}/${sha256Hex(largeBytes).slice(0, 32)}.webp`;
}

export function smallAvatarKey(key: string): string {
  return key.replace(/\.webp$/, '-96.webp');
}

export function avatarObjectKeys(key: string | null | undefined): string[] {
  return key ? [key, smallAvatarKey(key)] : [];
}

export function isAvatarKey(key: string): boolean {
  return AVATAR_KEY.test(key);
}

// The user an avatar key belongs to (the key must pass isAvatarKey).
export function avatarKeyOwner(key: string): string {
  return key.split('/')[1]!;
}
