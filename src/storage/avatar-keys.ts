// avatars/<user id>/<128 random bits, hex>.webp, and the header version beside it (-96.webp).
// A key never changes content, so it can be cached forever; every upload gets a new key,
// even of the same picture. Named after the content, two uploads of one picture shared
// their objects: the one that failed halfway deleted what the other had just saved (a
// double click lost the avatar), and a replaced picture's deletion could hit its re-upload.
// With one owner per key, a request only ever deletes the objects it wrote, or those its
// own D1 write replaced.
const AVATAR_KEY = /^avatars\/[0-9a-f]{24}\/[0-9a-f]{32}(-96)?\.webp$/;

export function newAvatarKey(userId: string): string {
  const name = [...crypto.getRandomValues(new Uint8Array(16))].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `avatars/${userId}/${name}.webp`;
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
