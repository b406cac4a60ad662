// The credential-lifecycle policy: what each change to an account's ways in does to the
// account's other credentials. One row per event, one field per consequence. The README's
// "Credential lifecycle" table is rendered from these rows (test/credential-policy.test.ts
// checks that they agree), and test/credential-policy-http.test.ts walks every row over
// HTTP and fails when a state-changing route belongs to no row and is not listed below in
// ROUTES_THAT_CHANGE_NO_CREDENTIAL.

export type StepUp =
  // Nothing beyond the signed-in session (or nothing at all, before an account exists).
  | 'none'
  // The password, through confirmIdentity: wrong answers count toward the account's lockout.
  // An account without one confirms with a code emailed to its address, or by signing in
  // with a linked provider again, in the same session, within 10 minutes
  // (src/auth/identity-confirmation.ts, src/account/step-up-code.ts).
  | 'password'
  // The password and a current code from the app (or a recovery code).
  | 'password + second factor'
  // A single-use link sent to the account's address (or to the new address).
  | 'emailed link'
  // A code sent to the address, typed in the browser that asked for it (at most 5 tries,
  // 10 minutes), or the same mail's link confirmed with a button (src/auth/email-codes.ts).
  | 'emailed code'
  // A staff member's password in this session within 15 minutes (sudo mode), audited.
  | 'staff sudo mode';

// Which sessions end: none; every one but the current (which gets a new token); all of
// them; the current one; one chosen session.
export type SessionsEnded = 'none' | 'others' | 'all' | 'this' | 'one';

export type EmailedLink = 'password_reset' | 'verify_email' | 'not_me';
export type Credential = 'password' | 'passkeys' | 'totp' | 'recovery_codes' | 'provider_identities';

export interface PolicyRow {
  // The event, as people read it.
  event: string;
  // The POST routes that perform it (paths as in app.routes).
  routes: string[];
  stepUp: StepUp;
  sessionsEnded: SessionsEnded;
  linksVoided: EmailedLink[];
  credentialsRemoved: Credential[];
  // A condition on credentialsRemoved, where there is one.
  removedWhen?: string;
  // Who is mailed, and what.
  mail: string[];
  // The security_events type written in the same D1 batch as the change (null: none).
  securityEvent: string | null;
  rateLimit: string;
}

const ALL_LINKS: EmailedLink[] = ['password_reset', 'verify_email', 'not_me'];
const LOCKOUT = 'account lockout (10 wrong in 15 min)';

export const CREDENTIAL_POLICY: PolicyRow[] = [
  {
    event: 'Sign-up',
    routes: ['/register', '/register/code', '/email-link', '/oauth/:id/username'],
    stepUp: 'emailed code',
    sessionsEnded: 'none',
    linksVoided: [],
    credentialsRemoved: [],
    mail: [
      'new address: a code and a link before the account exists (SIGN_UP_CONFIRMATION=before, the default), or a confirmation link after it (after; none when a provider verified it)',
      'an address that already has an account: a notice to its owner, and no code that works',
    ],
    securityEvent: 'signed_up',
    rateLimit: 'SIGN_UP_LIMITER and EMAIL_CODE_LIMITER per client; 5 code mails per address in 15 min; 5 tries per code',
  },
  {
    event: 'Email confirmed',
    routes: ['/verify-email'],
    stepUp: 'emailed link',
    sessionsEnded: 'none',
    linksVoided: ['verify_email'],
    credentialsRemoved: [],
    mail: [],
    securityEvent: 'email_confirmed',
    rateLimit: 'single-use link',
  },
  {
    event: 'Confirmation link resent',
    routes: ['/verify-email/resend'],
    stepUp: 'none',
    sessionsEnded: 'none',
    linksVoided: ['verify_email'],
    credentialsRemoved: [],
    mail: ['account address: new confirmation link'],
    securityEvent: null,
    rateLimit: 'EMAIL_VERIFICATION_LIMITER per account',
  },
  {
    event: 'Email change requested',
    routes: ['/profile'],
    stepUp: 'password',
    sessionsEnded: 'none',
    linksVoided: ['verify_email'],
    credentialsRemoved: [],
    mail: ['new address: confirmation link', 'current address: notice of the request'],
    securityEvent: 'email_change_requested',
    rateLimit: `EMAIL_CHANGE_LIMITER per account and per new address; ${LOCKOUT}`,
  },
  {
    event: 'Email change confirmed',
    routes: ['/verify-email'],
    stepUp: 'emailed link',
    sessionsEnded: 'none',
    linksVoided: ['password_reset', 'verify_email'],
    credentialsRemoved: [],
    mail: ['previous address: notice of the change'],
    securityEvent: 'email_changed',
    rateLimit: 'single-use link',
  },
  {
    event: 'Password change',
    routes: ['/account/password'],
    stepUp: 'password',
    sessionsEnded: 'others',
    linksVoided: ['password_reset', 'verify_email'],
    credentialsRemoved: [],
    mail: ['account address: notice with a reset link'],
    securityEvent: 'password_changed',
    rateLimit: LOCKOUT,
  },
  {
    event: 'Password reset',
    routes: ['/password-reset/confirm'],
    stepUp: 'emailed link',
    sessionsEnded: 'all',
    linksVoided: ['password_reset', 'verify_email'],
    credentialsRemoved: ['passkeys', 'totp', 'recovery_codes', 'provider_identities'],
    removedWhen: 'only if the address had never been confirmed: the reset is its first proof, and the address counts as confirmed from then on',
    mail: ['account address: notice listing the passkeys and two-factor state left'],
    securityEvent: 'password_reset',
    rateLimit: 'PASSWORD_RESET_LIMITER per client (requests); single-use link',
  },
  {
    event: 'Password set',
    routes: ['/account/password'],
    stepUp: 'password',
    sessionsEnded: 'others',
    linksVoided: ['password_reset', 'verify_email'],
    credentialsRemoved: [],
    mail: ['account address: notice with a reset link'],
    securityEvent: 'password_set',
    rateLimit: LOCKOUT,
  },
  {
    event: 'Password removed',
    routes: ['/account/password/remove'],
    stepUp: 'password',
    sessionsEnded: 'others',
    linksVoided: ['password_reset'],
    credentialsRemoved: ['password'],
    removedWhen: 'only with a confirmed address: emailed codes keep signing in',
    mail: ['account address: notice'],
    securityEvent: 'password_removed',
    rateLimit: LOCKOUT,
  },
  {
    event: 'Sign-in code requested',
    routes: ['/login/code'],
    stepUp: 'none',
    sessionsEnded: 'none',
    linksVoided: [],
    credentialsRemoved: [],
    removedWhen: 'an earlier code for the address is replaced by the new one',
    mail: ['account address: a code and a link (no account: a notice saying so; never confirmed or must reset: a reset link; deactivated: nothing)'],
    securityEvent: null,
    rateLimit: 'EMAIL_CODE_LIMITER per client; 5 code mails per address in 15 min',
  },
  {
    event: 'Signed in with a code',
    routes: ['/login/code/enter', '/email-link'],
    stepUp: 'emailed code',
    sessionsEnded: 'none',
    linksVoided: [],
    credentialsRemoved: [],
    mail: [],
    securityEvent: 'sign_in',
    rateLimit: 'SIGN_IN_LIMITER per client; 5 tries per code; then the second step if the account has one',
  },
  {
    event: 'Two-factor on',
    routes: ['/account/security/totp', '/account/security/totp/setup'],
    stepUp: 'password',
    sessionsEnded: 'others',
    linksVoided: [],
    credentialsRemoved: [],
    mail: ['account address: notice'],
    securityEvent: 'two_factor_enabled',
    rateLimit: LOCKOUT,
  },
  {
    event: 'Two-factor off',
    routes: ['/account/security/totp/disable'],
    stepUp: 'password + second factor',
    sessionsEnded: 'none',
    linksVoided: [],
    credentialsRemoved: ['totp', 'recovery_codes'],
    mail: ['account address: notice'],
    securityEvent: 'two_factor_disabled',
    rateLimit: LOCKOUT,
  },
  {
    event: 'Recovery codes regenerated',
    routes: ['/account/security/recovery-codes'],
    stepUp: 'password',
    sessionsEnded: 'none',
    linksVoided: [],
    credentialsRemoved: ['recovery_codes'],
    removedWhen: 'the old set only; a new set replaces it',
    mail: ['account address: notice'],
    securityEvent: 'recovery_codes_regenerated',
    rateLimit: LOCKOUT,
  },
  {
    event: 'Passkey added',
    routes: ['/account/security/passkeys/options', '/account/security/passkeys/register'],
    stepUp: 'password',
    sessionsEnded: 'none',
    linksVoided: [],
    credentialsRemoved: [],
    mail: ['account address: notice'],
    securityEvent: 'passkey_added',
    rateLimit: LOCKOUT,
  },
  {
    event: 'Passkey removed',
    routes: ['/account/security/passkeys/:id/remove'],
    stepUp: 'password',
    sessionsEnded: 'others',
    linksVoided: [],
    credentialsRemoved: ['passkeys'],
    removedWhen: 'that passkey only',
    mail: ['account address: notice'],
    securityEvent: 'passkey_removed',
    rateLimit: LOCKOUT,
  },
  {
    event: 'Provider linked',
    routes: ['/account/sign-in-methods/:id/link'],
    stepUp: 'password',
    sessionsEnded: 'none',
    linksVoided: [],
    credentialsRemoved: [],
    mail: ['account address: notice with a "This wasn\'t me" link'],
    securityEvent: 'provider_linked',
    rateLimit: LOCKOUT,
  },
  {
    event: 'Provider unlinked',
    routes: ['/account/sign-in-methods/:identityId/unlink'],
    stepUp: 'password',
    sessionsEnded: 'none',
    linksVoided: [],
    credentialsRemoved: ['provider_identities'],
    removedWhen: 'that provider only; never the last way to sign in',
    mail: ['account address: notice'],
    securityEvent: 'provider_unlinked',
    rateLimit: LOCKOUT,
  },
  {
    event: '"This wasn\'t me"',
    routes: ['/not-me'],
    stepUp: 'emailed link',
    sessionsEnded: 'all',
    linksVoided: ALL_LINKS,
    credentialsRemoved: ['password', 'passkeys', 'totp', 'recovery_codes', 'provider_identities'],
    removedWhen: 'the password stops working until it is reset',
    mail: [],
    securityEvent: 'not_me_reported',
    rateLimit: 'single-use link',
  },
  {
    event: 'Other sessions signed out',
    routes: ['/account/sessions/revoke-others'],
    stepUp: 'none',
    sessionsEnded: 'others',
    linksVoided: [],
    credentialsRemoved: [],
    mail: [],
    securityEvent: 'other_sessions_revoked',
    rateLimit: 'none (only ends sessions)',
  },
  {
    event: 'One session signed out',
    routes: ['/account/sessions/:id/revoke'],
    stepUp: 'none',
    sessionsEnded: 'one',
    linksVoided: [],
    credentialsRemoved: [],
    mail: [],
    securityEvent: 'session_revoked',
    rateLimit: 'none (only ends sessions)',
  },
  {
    event: 'Sign-out',
    routes: ['/logout'],
    stepUp: 'none',
    sessionsEnded: 'this',
    linksVoided: [],
    credentialsRemoved: [],
    mail: [],
    securityEvent: null,
    rateLimit: 'none (only ends sessions)',
  },
  {
    event: 'Account deleted',
    routes: ['/account/delete'],
    stepUp: 'password',
    sessionsEnded: 'all',
    linksVoided: ALL_LINKS,
    credentialsRemoved: ['password', 'passkeys', 'totp', 'recovery_codes', 'provider_identities'],
    mail: [],
    securityEvent: null,
    rateLimit: LOCKOUT,
  },
  {
    event: 'Staff: deactivate',
    routes: ['/admin/users/:id/:action'],
    stepUp: 'staff sudo mode',
    sessionsEnded: 'all',
    linksVoided: ALL_LINKS,
    credentialsRemoved: [],
    mail: [],
    securityEvent: 'staff_deactivated',
    rateLimit: `${LOCKOUT} (the staff member's)`,
  },
  {
    event: 'Staff: sign out everywhere',
    routes: ['/admin/users/:id/:action'],
    stepUp: 'staff sudo mode',
    sessionsEnded: 'all',
    linksVoided: [],
    credentialsRemoved: [],
    mail: [],
    securityEvent: 'staff_signed_out_everywhere',
    rateLimit: `${LOCKOUT} (the staff member's)`,
  },
  {
    event: 'Staff: send password-reset email',
    routes: ['/admin/users/:id/:action'],
    stepUp: 'staff sudo mode',
    sessionsEnded: 'none',
    linksVoided: ['password_reset'],
    credentialsRemoved: [],
    removedWhen: 'an earlier reset link is replaced by the new one',
    mail: ['account address: reset link'],
    securityEvent: 'staff_password_reset_sent',
    rateLimit: `${LOCKOUT} (the staff member's)`,
  },
  {
    event: 'Staff: reset two-factor',
    routes: ['/admin/users/:id/:action'],
    stepUp: 'staff sudo mode',
    sessionsEnded: 'all',
    linksVoided: [],
    credentialsRemoved: ['totp', 'recovery_codes'],
    mail: ['account address: notice'],
    securityEvent: 'staff_two_factor_reset',
    rateLimit: `${LOCKOUT} (the staff member's)`,
  },
  {
    event: 'Staff: unlink sign-in provider',
    routes: ['/admin/users/:id/:action'],
    stepUp: 'staff sudo mode',
    sessionsEnded: 'none',
    linksVoided: [],
    credentialsRemoved: ['provider_identities'],
    removedWhen: 'the one the form names, even the last way in (a password reset gives one back)',
    mail: ['account address: notice'],
    securityEvent: 'staff_unlinked_provider',
    rateLimit: `${LOCKOUT} (the staff member's)`,
  },
  {
    event: 'Staff: delete account',
    routes: ['/admin/users/:id/:action'],
    stepUp: 'staff sudo mode',
    sessionsEnded: 'all',
    linksVoided: ALL_LINKS,
    credentialsRemoved: ['password', 'passkeys', 'totp', 'recovery_codes', 'provider_identities'],
    mail: [],
    securityEvent: 'staff_deleted_account',
    rateLimit: `${LOCKOUT} (the staff member's)`,
  },
];

// State-changing routes that change no credential, and why. Anything else must be in a row.
export const ROUTES_THAT_CHANGE_NO_CREDENTIAL: Record<string, string> = {
  // Signing in proves credentials and starts a session; it changes none.
  '/login': 'signs in with a password',
  '/login/two-factor': 'the second step of a sign-in',
  '/email-code/resend': 'sends a new code for the request this browser made (the "Sign-up" and "Sign-in code requested" rows)',
  '/account/confirm-code/send': 'sends a code to confirm it is you (accounts without a password); per-address and per-client mail limits',
  '/account/confirm-code': 'confirms it is you with an emailed code, for 10 minutes in this session; wrong codes count toward the lockout',
  '/account/confirm-passkey/options': "a challenge for this account's passkeys (accounts without a password), kept for this session; replaces the previous one",
  '/account/confirm-passkey': "confirms it is you with one of this account's passkeys, for 10 minutes in this session; wrong answers count toward the lockout",
  '/login/passkey/options': 'a signed challenge for a passkey sign-in; stores nothing',
  '/login/passkey': 'signs in with a passkey',
  '/oauth/:id/start': 'starts a sign-in with a provider; writes nothing but a short-lived cookie',
  '/account/confirm/:id': 'starts a provider trip to confirm it is you (accounts without a password); writes nothing but a short-lived cookie',
  // Asking for a link changes nothing until the link is used (the "Password reset" row).
  '/password-reset': 'sends a reset link; the earlier one is replaced',
  '/account/security/passkeys/:id/rename': 'renames a passkey',
  '/language': 'the language menu: a cookie, and the account\'s language and time zone',
  '/account/export': 'downloads the data after the password (lockout and EXPORT_LIMITER per account)',
  // Staff actions that are not credential changes share the route; the rows above name the
  // ones that are. Reactivate, the picture, the staff flags: audited, no credential touched.
  '/admin/users/:id/:action': 'reactivate, remove picture, staff flags (see the staff rows for the rest)',
};

// The README's table (test/credential-policy.test.ts checks the README carries exactly this).
export function policyTableMarkdown(rows: PolicyRow[] = CREDENTIAL_POLICY): string {
  const cell = (values: string[], none = 'none') => (values.length ? values.join('; ') : none);
  const lines = [
    '| Event | Step-up | Sessions ended | Emailed links voided | Credentials removed | Mail | Security event | Rate limit |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const row of rows) {
    const removed = cell(row.credentialsRemoved.map((c) => c.replace('_', ' '))) + (row.removedWhen ? ` (${row.removedWhen})` : '');
    lines.push(
      `| ${row.event} | ${row.stepUp} | ${row.sessionsEnded} | ${cell(row.linksVoided.map((l) => l.replace('_', '-')))} | ${removed} | ${cell(row.mail)} | ${row.securityEvent ? `\`${row.securityEvent}\`` : 'none'} | ${row.rateLimit} |`,
    );
  }
  return lines.join('\n');
}
