import { smallAvatarKey } from '../storage/avatar-keys';
import type { UserWithProfile } from './user-store';

// A static asset (assets/static/), shown until a picture is uploaded.
export const DEFAULT_AVATAR_URL = '/static/default-avatar.svg';

export interface AvatarUrls {
  avatarUrl: string;
  avatarSmallUrl: string;
}

export type CurrentUser = UserWithProfile & AvatarUrls;

export function avatarUrls(mediaBaseUrl: string, key: string | null): AvatarUrls {
  if (!key) return { avatarUrl: DEFAULT_AVATAR_URL, avatarSmallUrl: DEFAULT_AVATAR_URL };
  return { avatarUrl: `${mediaBaseUrl}/${key}`, avatarSmallUrl: `${mediaBaseUrl}/${smallAvatarKey(key)}` };
}

export function withAvatarUrls(user: UserWithProfile, mediaBaseUrl: string): CurrentUser {
  return { ...user, ...avatarUrls(mediaBaseUrl, user.avatarKey) };
}
