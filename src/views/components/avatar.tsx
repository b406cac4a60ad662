import type { UserWithProfile } from '../../users/user-store';

export const DEFAULT_AVATAR_URL = '/static/default-avatar.svg';

const SIZES = { small: 32, large: 160 } as const;

export function Avatar({ user, size }: { user: Pick<UserWithProfile, 'username' | 'avatarKey'>; size: keyof typeof SIZES }) {
  const px = SIZES[size];
  // Uploaded avatars arrive with the S3 issue; until then everyone has the default.
  return <img class={`avatar avatar-${size}`} src={DEFAULT_AVATAR_URL} width={px} height={px} alt={size === 'large' ? `Profile picture of ${user.username}` : ''} />;
}
