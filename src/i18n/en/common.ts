import type { Message } from '../message-format';

// The page frame and what every page shares: header, footer, language menu, error pages.
export const common = {
  'common.brand': 'Edge Accounts',
  'common.pageTitle': '{title} · Edge Accounts',
  'common.skipToContent': 'Skip to content',
  'common.nav.label': 'Account',
  'common.nav.account': 'Account',
  'common.nav.staff': 'Staff',
  'common.nav.signIn': 'Sign in',
  'common.nav.signUp': 'Sign up',
  'common.nav.signOut': 'Sign out',
  'common.footer.servedFromEdge': 'Served from the edge.',
  'common.language.label': 'Language',
  'common.language.change': 'Change',
  'common.time.utc': '{time} UTC',
} as const satisfies Record<string, Message>;
