import type { Child } from 'hono/jsx';
import type { MessageKey } from '../../i18n/catalog';
import { useI18n } from '../use-i18n';
import type { CurrentUser } from '../../users/avatar-urls';
import { Layout } from '../layout';

const MESSAGES = {
  400: { title: 'common.error.badRequest.title', text: 'common.error.badRequest.text' },
  403: { title: 'common.error.forbidden.title', text: 'common.error.forbidden.text' },
  404: { title: 'common.error.notFound.title', text: 'common.error.notFound.text' },
  500: { title: 'common.error.serverError.title', text: 'common.error.serverError.text' },
} as const satisfies Record<number, { title: MessageKey; text: MessageKey }>;

// The frame every error page shares: the status, a title, what to do next.
export function ErrorCard({ status, title, user, children }: { status: number; title: string; user?: CurrentUser | null; children: Child }) {
  const { t } = useI18n();
  return (
    <Layout title={title} user={user}>
      <section class="card narrow error-page">
        <p class="error-code">{status}</p>
        <h1>{title}</h1>
        {children}
        <p>
          <a class="button" href="/">
            {t('common.error.home')}
          </a>
        </p>
      </section>
    </Layout>
  );
}

export function ErrorPage({ status, user }: { status: number; user?: CurrentUser | null }) {
  const { t } = useI18n();
  // Any other status (a 502) reads as the 500 page.
  const { title, text } = MESSAGES[(status in MESSAGES ? status : 500) as keyof typeof MESSAGES];
  return (
    <ErrorCard status={status} title={t(title)} user={user}>
      <p>{t(text)}</p>
    </ErrorCard>
  );
}
