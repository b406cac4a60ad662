import type { Child } from 'hono/jsx';
import type { CurrentUser } from '../../users/avatar-urls';
import { Layout } from '../layout';

const MESSAGES: Record<number, { title: string; text: string }> = {
  400: { title: 'We could not read that form', text: 'Your browser sent something we could not read, so nothing was changed. Go back, reload the page and try again.' },
  403: { title: 'Request refused', text: 'This request did not come from one of our pages, so it was refused to protect your account. Go back, reload the page and try again.' },
  404: { title: 'Page not found', text: 'There is nothing at this address. Check the link, or start again from the home page.' },
  500: { title: 'Something went wrong', text: 'We could not complete your request. It has been logged; please try again in a moment.' },
};

// The frame every error page shares: the status, a title, what to do next.
export function ErrorCard({ status, title, user, children }: { status: number; title: string; user?: CurrentUser | null; children: Child }) {
  return (
    <Layout title={title} user={user}>
      <section class="card narrow error-page">
        <p class="error-code">{status}</p>
        <h1>{title}</h1>
        {children}
        <p>
          <a class="button" href="/">
            Home
          </a>
        </p>
      </section>
    </Layout>
  );
}

export function ErrorPage({ status, user }: { status: number; user?: CurrentUser | null }) {
  const { title, text } = MESSAGES[status] ?? MESSAGES[500]!;
  return (
    <ErrorCard status={status} title={title} user={user}>
      <p>{text}</p>
    </ErrorCard>
  );
}
