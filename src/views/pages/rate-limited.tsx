import { useI18n } from '../use-i18n';
import type { Translator } from '../../i18n/translator';
import type { CurrentUser } from '../../users/avatar-urls';
import { ErrorCard } from './error';

export function describeWait(t: Translator['t'], seconds: number): string {
  if (seconds < 90) return t('common.rateLimited.seconds', { count: Math.max(1, Math.ceil(seconds)) });
  return t('common.rateLimited.minutes', { count: Math.ceil(seconds / 60) });
}

export function RateLimitedPage({ retryAfterSeconds, user }: { retryAfterSeconds: number; user?: CurrentUser | null }) {
  const { t } = useI18n();
  return (
    <ErrorCard status={429} title={t('common.rateLimited.title')} user={user}>
      <p role="alert">{t('common.rateLimited.text', { wait: describeWait(t, retryAfterSeconds) })}</p>
    </ErrorCard>
  );
}
