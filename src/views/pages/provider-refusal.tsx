import type { ENGLISH, MessageKey } from '../../i18n/catalog';
import { useI18n } from '../use-i18n';
import type { CurrentUser } from '../../users/avatar-urls';
import { Layout } from '../layout';

// Every way a sign-in with a provider can end without one: what happened, what to do next.
export type ProviderRefusalKind =
  | 'cancelled'
  | 'state-expired'
  | 'state-mismatch'
  | 'provider-unreachable'
  | 'provider-error'
  | 'email-missing'
  | 'sign-in-first'
  | 'linked-to-another-account'
  | 'wrong-account'
  | 'not-your-identity'
  | 'account-inactive';

interface Refusal {
  status: 200 | 400 | 403 | 409 | 502;
  // Title and text; the text names the provider ({provider}).
  title: Extract<MessageKey, `auth.providers.${string}.title`>;
  text: 'auth.providers.accountInactive.text' | ProviderText;
  // Where to go from here.
  action: { href: string; label: Extract<MessageKey, `auth.providers.action.${string}`> };
}

// The texts that name the provider.
type ProviderText = {
  [K in MessageKey]: K extends `auth.providers.${string}.text` ? ((typeof ENGLISH)[K] extends `${string}{provider}${string}` ? K : never) : never;
}[MessageKey];

const TRY_AGAIN = { href: '/login', label: 'auth.providers.action.backToSignIn' } as const;
const METHODS = { href: '/account/sign-in-methods', label: 'auth.providers.action.signInMethods' } as const;

const REFUSALS: Record<ProviderRefusalKind, Refusal> = {
  cancelled: { status: 200, title: 'auth.providers.cancelled.title', text: 'auth.providers.cancelled.text', action: TRY_AGAIN },
  'state-expired': { status: 400, title: 'auth.providers.stateExpired.title', text: 'auth.providers.stateExpired.text', action: TRY_AGAIN },
  'state-mismatch': { status: 400, title: 'auth.providers.stateMismatch.title', text: 'auth.providers.stateMismatch.text', action: TRY_AGAIN },
  'provider-unreachable': { status: 502, title: 'auth.providers.unreachable.title', text: 'auth.providers.unreachable.text', action: TRY_AGAIN },
  'provider-error': { status: 400, title: 'auth.providers.providerError.title', text: 'auth.providers.providerError.text', action: TRY_AGAIN },
  'email-missing': {
    status: 200,
    title: 'auth.providers.emailMissing.title',
    text: 'auth.providers.emailMissing.text',
    action: { href: '/register', label: 'auth.providers.action.createAccount' },
  },
  'sign-in-first': { status: 200, title: 'auth.providers.signInFirst.title', text: 'auth.providers.signInFirst.text', action: TRY_AGAIN },
  'linked-to-another-account': { status: 409, title: 'auth.providers.linkedElsewhere.title', text: 'auth.providers.linkedElsewhere.text', action: METHODS },
  'account-inactive': {
    status: 403,
    title: 'auth.providers.accountInactive.title',
    text: 'auth.providers.accountInactive.text',
    action: { href: '/', label: 'auth.providers.action.home' },
  },
  'not-your-identity': {
    status: 403,
    title: 'auth.providers.notYourIdentity.title',
    text: 'auth.providers.notYourIdentity.text',
    action: { href: '/account', label: 'auth.providers.action.backToAccount' },
  },
  'wrong-account': { status: 403, title: 'auth.providers.wrongAccount.title', text: 'auth.providers.wrongAccount.text', action: METHODS },
};

export function providerRefusalStatus(kind: ProviderRefusalKind): Refusal['status'] {
  return REFUSALS[kind].status;
}

export function ProviderRefusalPage({ kind, provider, user }: { kind: ProviderRefusalKind; provider: string; user?: CurrentUser | null }) {
  const { t } = useI18n();
  const refusal = REFUSALS[kind];
  const title = t(refusal.title);
  const text = refusal.text === 'auth.providers.accountInactive.text' ? t(refusal.text) : t(refusal.text, { provider });
  return (
    <Layout title={title} user={user}>
      <section class="card narrow stack">
        <h1>{title}</h1>
        <p>{text}</p>
        <p>
          <a class="button" href={refusal.action.href}>
            {t(refusal.action.label)}
          </a>
        </p>
      </section>
    </Layout>
  );
}
