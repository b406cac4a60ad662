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
  'common.error.home': 'Home',
  'common.error.badRequest.title': 'We could not read that form',
  'common.error.badRequest.text': 'Your browser sent something we could not read, so nothing was changed. Go back, reload the page and try again.',
  'common.error.forbidden.title': 'Request refused',
  'common.error.forbidden.text': 'This request did not come from one of our pages, so it was refused to protect your account. Go back, reload the page and try again.',
  'common.error.notFound.title': 'Page not found',
  'common.error.notFound.text': 'There is nothing at this address. Check the link, or start again from the home page.',
  'common.error.serverError.title': 'Something went wrong',
  'common.error.serverError.text': 'We could not complete your request. It has been logged; please try again in a moment.',
  'common.error.passwordsUnavailable.title': 'Passwords cannot be set right now',
  'common.error.passwordsUnavailable.text': 'We could not load the list of common passwords that every new password is checked against, so nothing was changed. Please try again in a few minutes.',
  'common.rateLimited.title': 'Too many attempts',
  'common.rateLimited.text': 'To protect accounts, we are pausing these requests for a moment. Please try again in about {wait}.',
  // English said "1 seconds" before the catalogue; kept as it was (the text does not change here).
  'common.rateLimited.seconds': { one: '{count} seconds', other: '{count} seconds' },
  'common.rateLimited.minutes': { one: '{count} minute', other: '{count} minutes' },
} as const satisfies Record<string, Message>;
