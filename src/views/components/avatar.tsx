import { useI18n } from '../use-i18n';
import type { AvatarUrls } from '../../users/avatar-urls';

const SIZES = { small: 32, large: 160 } as const;

export function Avatar({ user, size }: { user: AvatarUrls & { username: string }; size: keyof typeof SIZES }) {
  const { t } = useI18n();
  const px = SIZES[size];
  const src = size === 'small' ? user.avatarSmallUrl : user.avatarUrl;
  // The small one sits next to the username, so it is decorative there.
  return <img class={`avatar avatar-${size}`} src={src} width={px} height={px} alt={size === 'large' ? t('account.avatar.alt', { username: user.username }) : ''} />;
}
