import type { CurrentUser } from '../../users/avatar-urls';
import { ErrorCard } from './error';

export function describeWait(seconds: number): string {
  if (seconds < 90) return `${Math.max(1, Math.ceil(seconds))} seconds`;
  return `${Math.ceil(seconds / 60)} minutes`;
}

export function RateLimitedPage({ retryAfterSeconds, user }: { retryAfterSeconds: number; user?: CurrentUser | null }) {
  return (
    <ErrorCard status={429} title="Too many attempts" user={user}>
      <p role="alert">To protect accounts, we are pausing these requests for a moment. Please try again in about {describeWait(retryAfterSeconds)}.</p>
    </ErrorCard>
  );
}
