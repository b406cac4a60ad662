import type { CurrentUser } from '../../users/avatar-urls';
import { Layout } from '../layout';

export function describeWait(seconds: number): string {
  if (seconds < 90) return `${Math.max(1, Math.ceil(seconds))} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minutes`;
}

export function RateLimitedPage({ retryAfterSeconds, user }: { retryAfterSeconds: number; user?: CurrentUser | null }) {
  return (
    <Layout title="Too many attempts" user={user}>
      <section class="card narrow error-page">
        <p class="error-code">429</p>
        <h1>Too many attempts</h1>
        <p role="alert">To protect accounts, we are pausing these requests for a moment. Please try again in about {describeWait(retryAfterSeconds)}.</p>
        <p>
          <a class="button" href="/">
            Home
          </a>
        </p>
      </section>
    </Layout>
  );
}
