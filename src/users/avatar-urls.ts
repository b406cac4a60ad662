import { DEFAULT_AVATAR_URL } from '../views/components/avatar';
import { smallAvatarKey } from '../storage/avatar-keys';
import type { UserWithProfile } from './user-store';

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
