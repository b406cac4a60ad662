// What we send. Each message has a plain-text and an HTML part with the same content.
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  // The link the message is about, kept for the development mailbox.
  link?: string;
  // The code it carries, likewise.
  code?: string;
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

function compose(to: string, subject: string, paragraphs: string[], action?: { label: string; link: string }): MailMessage {
  const text = [...paragraphs.slice(0, 1), ...(action ? [`${action.label}: ${action.link}`] : []), ...paragraphs.slice(1), '— Edge Accounts'].join('\n\n');
  const button = action
    ? `<p><a href="${escapeHtml(action.link)}" style="display:inline-block;padding:10px 18px;background:#4338ca;color:#fff;border-radius:6px;text-decoration:none">${escapeHtml(action.label)}</a></p><p style="font-size:13px;color:#555">Or paste this address into your browser: ${escapeHtml(action.link)}</p>`
    : '';
  const [first, ...rest] = paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`);
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#111">${first ?? ''}${button}${rest.join('')}<p>— Edge Accounts</p></body></html>`;
  return { to, subject, text, html, link: action?.link };
}

export function passwordResetMessage(to: string, username: string, link: string): MailMessage {
  return compose(
    to,
    'Reset your Edge Accounts password',
    [
      `Hello ${username}, someone (hopefully you) asked to reset the password of your Edge Accounts account.`,
      'The link works once and expires in one hour. If you did not ask for it, ignore this email: your password stays as it is.',
    ],
    { label: 'Choose a new password', link },
  );
}

export function verifyEmailMessage(to: string, username: string, link: string, isChange: boolean): MailMessage {
  const intro = isChange
    ? `Hello ${username}, please confirm that ${to} should become the email address of your Edge Accounts account. Until you do, your current address stays in use.`
    : `Welcome to Edge Accounts, ${username}! Please confirm that ${to} is your email address.`;
  return compose(to, 'Confirm your email address', [intro, 'The link expires in 48 hours. If you did not ask for this, ignore this email.'], {
    label: 'Confirm email address',
    link,
  });
}

export function emailChangedNotice(to: string, username: string, newEmail: string): MailMessage {
  return compose(to, 'Your Edge Accounts email address was changed', [
    `Hello ${username}, the email address of your Edge Accounts account was changed from ${to} to ${newEmail}.`,
    'If you did not make this change, reset your password right away and contact us.',
  ]);
}

export function passwordChangedNotice(to: string, username: string, link: string): MailMessage {
  return compose(
    to,
    'Your Edge Accounts password was changed',
    [
      `Hello ${username}, the password of your Edge Accounts account was just changed, and other devices were signed out.`,
      'If this was you, there is nothing to do. If it was not, reset your password now with the link above.',
    ],
    { label: 'Reset my password', link },
  );
}

// Two-factor sign-in: each change is announced, with where to check, in case it was not
// the owner. `link` is the account's sign-in security page.
export function twoFactorEnabledNotice(to: string, username: string, link: string): MailMessage {
  return compose(
    to,
    'Two-factor sign-in was turned on',
    [
      `Hello ${username}, two-factor sign-in with an authenticator app was just turned on for your Edge Accounts account. From now on, signing in asks for a code from the app after your password.`,
      'Keep your recovery codes somewhere safe: they let you in if you lose the app. If you did not turn this on, reset your password and contact us.',
    ],
    { label: 'Review sign-in security', link },
  );
}

export function twoFactorDisabledNotice(to: string, username: string, link: string): MailMessage {
  return compose(
    to,
    'Two-factor sign-in was turned off',
    [
      `Hello ${username}, two-factor sign-in was just turned off for your Edge Accounts account: signing in now needs only your password, and your recovery codes no longer work.`,
      'If you did not do this, reset your password now and turn two-factor sign-in back on.',
    ],
    { label: 'Review sign-in security', link },
  );
}

export function recoveryCodesRegeneratedNotice(to: string, username: string, link: string): MailMessage {
  return compose(
    to,
    'New recovery codes were made',
    [
      `Hello ${username}, a new set of recovery codes was just made for your Edge Accounts account. The previous codes no longer work.`,
      'If you did not do this, reset your password now and make new codes.',
    ],
    { label: 'Review sign-in security', link },
  );
}

export function recoveryCodeUsedNotice(to: string, username: string, link: string, codesLeft: number): MailMessage {
  const left = codesLeft === 1 ? '1 unused code is left' : `${codesLeft} unused codes are left`;
  return compose(
    to,
    'A recovery code was used to sign in',
    [
      `Hello ${username}, someone just signed in to your Edge Accounts account with your password and a recovery code instead of a code from your authenticator app. ${left}.`,
      'If this was you and you no longer have the app, set it up again and make new recovery codes. If it was not you, reset your password now.',
    ],
    { label: 'Review sign-in security', link },
  );
}

const alertTime = new Intl.DateTimeFormat('en', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' });

export function newSignInAlert(to: string, username: string, signIn: { when: Date; where: string; device: string }, notMeLink: string): MailMessage {
  return compose(
    to,
    'New sign-in to your Edge Accounts account',
    [
      `Hello ${username}, your account was just signed in to from a place or browser it has not used recently: ${signIn.device}, near ${signIn.where}, on ${alertTime.format(signIn.when)} UTC.`,
      'If this was you, there is nothing to do. If it was not, the link above signs out every device at once and asks for a new password before the next sign-in. It works once, for 7 days, without signing in.',
    ],
    { label: 'This wasn’t me', link: notMeLink },
  );
}

// Passkeys: each one added or removed is announced, like the authenticator app.
export function passkeyAddedNotice(to: string, username: string, link: string, name: string): MailMessage {
  return compose(
    to,
    'A passkey was added to your account',
    [
      `Hello ${username}, a passkey named “${name}” was just added to your Edge Accounts account. It signs in without your password.`,
      'If this was you, there is nothing to do. If it was not, remove it with the link above and reset your password now.',
    ],
    { label: 'Review your passkeys', link },
  );
}

export function passkeyRemovedNotice(to: string, username: string, link: string, name: string): MailMessage {
  return compose(
    to,
    'A passkey was removed from your account',
    [
      `Hello ${username}, the passkey named “${name}” was just removed from your Edge Accounts account and can no longer sign in.`,
      'If you did not do this, reset your password now and review your passkeys.',
    ],
    { label: 'Review your passkeys', link },
  );
}

// To the current address when someone asks to move the account to another one: the
// owner learns of it before the new address can be confirmed. `link` is the account page.
export function emailChangeRequestedNotice(to: string, username: string, newEmail: string, link: string): MailMessage {
  return compose(
    to,
    'Someone asked to change your email address',
    [
      `Hello ${username}, someone signed in to your Edge Accounts account asked to change its email address to ${newEmail}. Your address changes only once a link we sent there is opened.`,
      'If this was you, there is nothing to do. If it was not, change your password now with the link above: that signs out the other devices and cancels the change.',
    ],
    { label: 'Change my password', link },
  );
}

// After a password reset: what else can sign in, so that an owner who finds a passkey or
// an authenticator app they never set up knows at once. Removed passkeys are counted,
// not named: their names were chosen by whoever added them. `link` is the sign-in security page.
// Passkey names, whether the app is on, linked provider ids (src/mfa/other-credentials.ts).
interface CredentialList {
  passkeys: string[];
  twoFactor: boolean;
  providers: string[];
}

export function passwordResetNotice(
  to: string,
  username: string,
  link: string,
  credentials: { left: CredentialList; removed: CredentialList | null },
): MailMessage {
  const { left, removed } = credentials;
  const count = (n: number) => (n === 1 ? 'a passkey' : `${n} passkeys`);
  const providers = (ids: string[]) => `sign-in through ${ids.join(', ')}`;
  const gone = removed
    ? [
        ...(removed.passkeys.length ? [count(removed.passkeys.length)] : []),
        ...(removed.twoFactor ? ['the authenticator app and its recovery codes'] : []),
        ...(removed.providers.length ? [providers(removed.providers)] : []),
      ]
    : [];
  const passkeys = left.passkeys.length ? `${left.passkeys.length === 1 ? 'the passkey' : 'the passkeys'} ${left.passkeys.map((name) => `“${name}”`).join(', ')}` : 'no passkeys';
  return compose(
    to,
    'Your Edge Accounts password was changed',
    [
      `Hello ${username}, the password of your Edge Accounts account was just changed with a reset link sent to this address, and every device was signed out.`,
      ...(gone.length
        ? [`As this was the first time this address was confirmed, everything else that could sign in was removed, in case someone set it up before you: ${gone.join(' and ')}.`]
        : []),
      `Besides your new password, your account now has ${passkeys}${left.providers.length ? `, ${providers(left.providers)}` : ''}, and two-factor sign-in is ${left.twoFactor ? 'on' : 'off'}.`,
      'If you do not recognise one of them, remove it on the page above. If you did not reset your password, reset it again now and contact us.',
    ],
    { label: 'Review sign-in security', link },
  );
}

// After staff reset two-factor sign-in, for an owner who lost the app and the codes.
// `link` is the sign-in security page.
export function twoFactorResetByStaffNotice(to: string, username: string, link: string): MailMessage {
  return compose(
    to,
    'Two-factor sign-in was reset by our staff',
    [
      `Hello ${username}, our staff turned off two-factor sign-in for your Edge Accounts account: the authenticator app and the recovery codes were removed, and every device was signed out. Signing in now needs only your password (your passkeys still work).`,
      'Turn two-factor sign-in back on with the link above. If you did not ask us for this, reset your password now and contact us.',
    ],
    { label: 'Review sign-in security', link },
  );
}

// A provider ("Sign in with ...") was linked to the account, by the owner or automatically
// because both sides had verified the address. `notMeLink` is a "This wasn't me" link.
export function signInMethodAddedNotice(to: string, username: string, providerName: string, notMeLink: string): MailMessage {
  return compose(
    to,
    'A sign-in method was added to your account',
    [
      `Hello ${username}, your Edge Accounts account can now be signed in to with ${providerName}. It was linked because your ${providerName} account uses this same, verified email address, or because you linked it yourself.`,
      'If this was you, there is nothing to do. If it was not, the link above signs out every device at once and asks for a new password before the next sign-in. It works once, for 7 days, without signing in. Then remove the method under Account, Sign-in methods.',
    ],
    { label: 'This wasn’t me', link: notMeLink },
  );
}

// A "Sign in with ..." provider unlinked from the account: it can no longer sign in.
export function providerUnlinkedNotice(to: string, username: string, link: string, provider: string): MailMessage {
  return compose(
    to,
    `${provider} was unlinked from your account`,
    [
      `Hello ${username}, ${provider} was just unlinked from your Edge Accounts account: signing in with ${provider} no longer opens it.`,
      'If you did not do this, reset your password now and review how you sign in.',
    ],
    { label: 'Review how you sign in', link },
  );
}

// --- Codes by email (src/auth/email-codes.ts) -------------------------------------------
// The code leads the subject and the message, grouped for reading; the link does the same
// job on any device, after a button press. `code` is kept for the development mailbox.

function withCode(message: MailMessage, code: string): MailMessage {
  return { ...message, code };
}

export function signUpCodeMessage(to: string, username: string, code: string, link: string): MailMessage {
  return withCode(
    compose(
      to,
      `${code} is your Edge Accounts sign-up code`,
      [
        `Hello ${username}, enter ${code} on the sign-up page to confirm this address and create your Edge Accounts account. Or open the link below and press the button.`,
        'The code and the link work once, for 10 minutes, and the code only in the browser where you signed up. If you did not sign up, ignore this email: no account is created.',
      ],
      { label: 'Create my account', link },
    ),
    code,
  );
}

// Someone signed up with an address that already has an account: its owner learns of it,
// and how to get in, while the sign-up page showed the same as for a new address.
export function signUpAddressTakenNotice(to: string, username: string, signInLink: string, resetLink: string): MailMessage {
  return compose(
    to,
    'Someone tried to create an account with this address',
    [
      `Hello ${username}, someone just tried to create a new Edge Accounts account with ${to}, which is already the address of your account. No account was created, and no code in this email would create one.`,
      `If it was you, sign in instead with the link above. If you forgot your password, reset it here: ${resetLink}`,
      'If it was not you, there is nothing to do: your account is unchanged.',
    ],
    { label: 'Sign in', link: signInLink },
  );
}

export function signInCodeMessage(to: string, username: string, code: string, link: string): MailMessage {
  return withCode(
    compose(
      to,
      `${code} is your Edge Accounts sign-in code`,
      [
        `Hello ${username}, enter ${code} on the sign-in page to sign in to your Edge Accounts account. Or open the link below and press the button: it signs in the browser you press it in.`,
        'The code and the link work once, for 10 minutes, and the code only in the browser that asked for it. If you did not ask for it, ignore this email: nobody can sign in without it.',
      ],
      { label: 'Sign me in', link },
    ),
    code,
  );
}

export function signInCodeNoAccountNotice(to: string, signUpLink: string): MailMessage {
  return compose(
    to,
    'Your Edge Accounts sign-in code',
    [
      `Someone asked for a sign-in code for ${to}, but no Edge Accounts account uses this address, so there is no code.`,
      'If you meant to create an account, use the link above. If you did not ask for a code, ignore this email.',
    ],
    { label: 'Create an account', link: signUpLink },
  );
}

// An account whose address was never confirmed, or that must choose a new password, gets
// a reset link instead of a code (the reset is what confirms the address safely).
export function signInCodeResetFirstNotice(to: string, username: string, resetLink: string): MailMessage {
  return compose(
    to,
    'Your Edge Accounts sign-in code',
    [
      `Hello ${username}, someone asked for a sign-in code for your account. Before codes can sign you in, your account needs a new password chosen through a link sent to this address.`,
      'If you did not ask for a code, ignore this email.',
    ],
    { label: 'Choose a password', link: resetLink },
  );
}

export function stepUpCodeMessage(to: string, username: string, code: string): MailMessage {
  return withCode(
    compose(to, `${code} is your Edge Accounts confirmation code`, [
      `Hello ${username}, enter ${code} to confirm it is you before a change to your Edge Accounts account. It works once, for 10 minutes, in the browser that asked for it.`,
      'If you did not ask for it, someone may be signed in to your account: sign out every other session from the account page and check how you sign in.',
    ]),
    code,
  );
}

export function passwordRemovedNotice(to: string, username: string, link: string): MailMessage {
  return compose(
    to,
    'The password of your Edge Accounts account was removed',
    [
      `Hello ${username}, your Edge Accounts account no longer has a password, and other devices were signed out. You sign in with codes sent to this address, or with the other ways listed on the page above.`,
      'If you did not do this, reset your password now (the reset sets a new one) and contact us.',
    ],
    { label: 'Review how you sign in', link },
  );
}

// A first password for an account that had none (made with codes, a provider or a passkey).
export function passwordSetNotice(to: string, username: string, link: string): MailMessage {
  return compose(
    to,
    'A password was set on your Edge Accounts account',
    [
      `Hello ${username}, your Edge Accounts account now has a password, and other devices were signed out. You can sign in with it as well as the ways you used before.`,
      'If this was you, there is nothing to do. If it was not, reset your password now with the link above.',
    ],
    { label: 'Reset my password', link },
  );
}
