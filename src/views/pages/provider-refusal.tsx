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
  title: string;
  text: (provider: string) => string;
  // Where to go from here.
  action: { href: string; label: string };
}

const TRY_AGAIN = { href: '/login', label: 'Back to sign-in' };
const METHODS = { href: '/account/sign-in-methods', label: 'Sign-in methods' };

const REFUSALS: Record<ProviderRefusalKind, Refusal> = {
  cancelled: {
    status: 200,
    title: 'Sign-in cancelled',
    text: (p) => `You cancelled at ${p}, so nothing was changed and you are not signed in. Sign in another way, or try ${p} again.`,
    action: TRY_AGAIN,
  },
  'state-expired': {
    status: 400,
    title: 'That sign-in took too long',
    text: (p) => `A sign-in with ${p} must be finished within 10 minutes of pressing the button, in the same browser. Nothing was changed: start again from the sign-in page.`,
    action: TRY_AGAIN,
  },
  'state-mismatch': {
    status: 400,
    title: 'That sign-in did not start here',
    text: (p) =>
      `The answer from ${p} does not belong to a sign-in this browser started (perhaps a link someone sent you, or a sign-in started in another tab). Nothing was changed: start again from the sign-in page.`,
    action: TRY_AGAIN,
  },
  'provider-unreachable': {
    status: 502,
    title: 'We could not reach the provider',
    text: (p) => `${p} did not answer us in time. Nothing was changed. Please try again in a few minutes, or sign in another way.`,
    action: TRY_AGAIN,
  },
  'provider-error': {
    status: 400,
    title: 'The provider’s answer was not valid',
    text: (p) => `We could not accept the answer from ${p} (a link used twice, or an answer that failed our checks). Nothing was changed: start again from the sign-in page.`,
    action: TRY_AGAIN,
  },
  'email-missing': {
    status: 200,
    title: 'No email address was shared',
    text: (p) =>
      `${p} did not give us an email address, and we need one to create or find your account. Allow ${p} to share your address (or add and verify one there), then try again; or create an account with a password.`,
    action: { href: '/register', label: 'Create an account' },
  },
  'sign-in-first': {
    status: 200,
    title: 'Sign in to your account first',
    text: (p) => `An account already uses this address. Sign in to it first, then link ${p} from Account → Sign-in methods.`,
    action: TRY_AGAIN,
  },
  'linked-to-another-account': {
    status: 409,
    title: 'Already linked to another account',
    text: (p) => `This ${p} account already signs in to another account here, so it was not linked to yours. Remove it from that account first if you want to move it.`,
    action: METHODS,
  },
  'account-inactive': {
    status: 403,
    title: 'This account is closed',
    text: () => 'The account this sign-in leads to has been deactivated, so it cannot be signed in to. If you think this is a mistake, contact us.',
    action: { href: '/', label: 'Home' },
  },
  'not-your-identity': {
    status: 403,
    title: 'That is not the account linked here',
    text: (p) => `To confirm it is you, sign in with the ${p} account linked to yours (Account → Sign-in methods lists it). Nothing was changed.`,
    action: { href: '/account', label: 'Back to your account' },
  },
  'wrong-account': {
    status: 403,
    title: 'Not linked',
    text: (p) => `This link with ${p} was started for another account, or you are no longer signed in. Nothing was changed: sign in and start again from Sign-in methods.`,
    action: METHODS,
  },
};

export function providerRefusalStatus(kind: ProviderRefusalKind): Refusal['status'] {
  return REFUSALS[kind].status;
}

export function ProviderRefusalPage({ kind, provider, user }: { kind: ProviderRefusalKind; provider: string; user?: CurrentUser | null }) {
  const refusal = REFUSALS[kind];
  return (
    <Layout title={refusal.title} user={user}>
      <section class="card narrow stack">
        <h1>{refusal.title}</h1>
        <p>{refusal.text(provider)}</p>
        <p>
          <a class="button" href={refusal.action.href}>
            {refusal.action.label}
          </a>
        </p>
      </section>
    </Layout>
  );
}
