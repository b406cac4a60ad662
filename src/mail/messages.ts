import { describeUserAgent } from '../auth/user-agent';
import type { Translator } from '../i18n/translator';

// What we send. Each message has a plain-text and an HTML part with the same content,
// composed in the recipient's language only when it is sent (src/mail/mailer.ts): the
// sender knows the address, the mailer finds whose it is and what language they read.
export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

export interface MailMessage {
  to: string;
  compose: (t: Translator) => MailContent;
  // The link the message is about, kept for the development mailbox.
  link?: string;
  // The code it carries, likewise.
  code?: string;
}

// What a message says, before the frame (paragraphs, button, signature) is put around it.
interface Draft {
  subject: string;
  paragraphs: string[];
  action?: { label: string; link: string };
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

function frame(t: Translator, { subject, paragraphs, action }: Draft): MailContent {
  const signature = t.t('mail.signature');
  const actionLine = action ? [t.t('mail.actionLine', { label: action.label, link: action.link })] : [];
  const text = [...paragraphs.slice(0, 1), ...actionLine, ...paragraphs.slice(1), signature].join('\n\n');
  const button = action
    ? `<p><a href="${escapeHtml(action.link)}" style="display:inline-block;padding:10px 18px;background:#4338ca;color:#fff;border-radius:6px;text-decoration:none">${escapeHtml(action.label)}</a></p><p style="font-size:13px;color:#555">${escapeHtml(t.t('mail.pasteLink', { link: action.link }))}</p>`
    : '';
  const [first, ...rest] = paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`);
  const html = `<!doctype html><html lang="${t.language}" dir="${t.dir}"><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#111">${first ?? ''}${button}${rest.join('')}<p>${escapeHtml(signature)}</p></body></html>`;
  return { subject, text, html };
}

function message(to: string, draft: (t: Translator) => Draft, kept: { link?: string; code?: string } = {}): MailMessage {
  return { to, compose: (t) => frame(t, draft(t)), ...kept };
}

// "a and b and c": the pairs nest, so each language needs only its word for "and".
function listOf(t: Translator['t'], items: string[]): string {
  return items.reduce((first, second) => t('mail.listPair', { first, second }));
}

export function passwordResetMessage(to: string, username: string, link: string): MailMessage {
  return message(
    to,
    ({ t }) => ({
      subject: t('mail.passwordReset.subject'),
      paragraphs: [t('mail.passwordReset.intro', { username }), t('mail.passwordReset.expiry')],
      action: { label: t('mail.passwordReset.action'), link },
    }),
    { link },
  );
}

export function verifyEmailMessage(to: string, username: string, link: string, isChange: boolean): MailMessage {
  return message(
    to,
    ({ t }) => ({
      subject: t('mail.verifyEmail.subject'),
      paragraphs: [
        isChange ? t('mail.verifyEmail.introChange', { username, email: to }) : t('mail.verifyEmail.introNew', { username, email: to }),
        t('mail.verifyEmail.expiry'),
      ],
      action: { label: t('mail.verifyEmail.action'), link },
    }),
    { link },
  );
}

export function emailChangedNotice(to: string, username: string, newEmail: string): MailMessage {
  return message(to, ({ t }) => ({
    subject: t('mail.emailChanged.subject'),
    paragraphs: [t('mail.emailChanged.body', { username, oldEmail: to, newEmail }), t('mail.emailChanged.advice')],
  }));
}

export function passwordChangedNotice(to: string, username: string, link: string): MailMessage {
  return message(
    to,
    ({ t }) => ({
      subject: t('mail.passwordChanged.subject'),
      paragraphs: [t('mail.passwordChanged.body', { username }), t('mail.passwordChanged.advice')],
      action: { label: t('mail.action.resetPassword'), link },
    }),
    { link },
  );
}

// Two-factor sign-in: each change is announced, with where to check, in case it was not
// the owner. `link` is the account's sign-in security page.
export function twoFactorEnabledNotice(to: string, username: string, link: string): MailMessage {
  return message(
    to,
    ({ t }) => ({
      subject: t('mail.twoFactorEnabled.subject'),
      paragraphs: [t('mail.twoFactorEnabled.body', { username }), t('mail.twoFactorEnabled.advice')],
      action: { label: t('mail.action.reviewSecurity'), link },
    }),
    { link },
  );
}

export function twoFactorDisabledNotice(to: string, username: string, link: string): MailMessage {
  return message(
    to,
    ({ t }) => ({
      subject: t('mail.twoFactorDisabled.subject'),
      paragraphs: [t('mail.twoFactorDisabled.body', { username }), t('mail.twoFactorDisabled.advice')],
      action: { label: t('mail.action.reviewSecurity'), link },
    }),
    { link },
  );
}

export function recoveryCodesRegeneratedNotice(to: string, username: string, link: string): MailMessage {
  return message(
    to,
    ({ t }) => ({
      subject: t('mail.recoveryCodesRegenerated.subject'),
      paragraphs: [t('mail.recoveryCodesRegenerated.body', { username }), t('mail.recoveryCodesRegenerated.advice')],
      action: { label: t('mail.action.reviewSecurity'), link },
    }),
    { link },
  );
}

export function recoveryCodeUsedNotice(to: string, username: string, link: string, codesLeft: number): MailMessage {
  return message(
    to,
    ({ t }) => ({
      subject: t('mail.recoveryCodeUsed.subject'),
      paragraphs: [
        t('mail.recoveryCodeUsed.body', { username, codesLeft: t('mail.recoveryCodeUsed.codesLeft', { count: codesLeft }) }),
        t('mail.recoveryCodeUsed.advice'),
      ],
      action: { label: t('mail.action.reviewSecurity'), link },
    }),
    { link },
  );
}

// `where`: the place the request came from, null when it named none (a sentence of its own
// then, since "near {place}" does not take "an unknown place" well in every language).
// The device is described from the user agent in the recipient's language.
export function newSignInAlert(
  to: string,
  username: string,
  signIn: { when: Date; where: string | null; userAgent: string | undefined },
  notMeLink: string,
): MailMessage {
  return message(
    to,
    (translator) => {
      const { t } = translator;
      const device = describeUserAgent(signIn.userAgent, t);
      const time = translator.dateTime(signIn.when, 'long');
      return {
        subject: t('mail.newSignIn.subject'),
        paragraphs: [
          signIn.where === null ? t('mail.newSignIn.bodyUnknownPlace', { username, device, time }) : t('mail.newSignIn.body', { username, device, place: signIn.where, time }),
          t('mail.newSignIn.advice'),
        ],
        action: { label: t('mail.action.notMe'), link: notMeLink },
      };
    },
    { link: notMeLink },
  );
}

// Passkeys: each one added or removed is announced, like the authenticator app.
export function passkeyAddedNotice(to: string, username: string, link: string, name: string): MailMessage {
  return message(
    to,
    ({ t }) => ({
      subject: t('mail.passkeyAdded.subject'),
      paragraphs: [t('mail.passkeyAdded.body', { username, name }), t('mail.passkeyAdded.advice')],
      action: { label: t('mail.action.reviewPasskeys'), link },
    }),
    { link },
  );
}

export function passkeyRemovedNotice(to: string, username: string, link: string, name: string): MailMessage {
  return message(
    to,
    ({ t }) => ({
      subject: t('mail.passkeyRemoved.subject'),
      paragraphs: [t('mail.passkeyRemoved.body', { username, name }), t('mail.passkeyRemoved.advice')],
      action: { label: t('mail.action.reviewPasskeys'), link },
    }),
    { link },
  );
}

// To the current address when someone asks to move the account to another one: the
// owner learns of it before the new address can be confirmed. `link` is the account page.
export function emailChangeRequestedNotice(to: string, username: string, newEmail: string, link: string): MailMessage {
  return message(
    to,
    ({ t }) => ({
      subject: t('mail.emailChangeRequested.subject'),
      paragraphs: [t('mail.emailChangeRequested.body', { username, newEmail }), t('mail.emailChangeRequested.advice')],
      action: { label: t('mail.emailChangeRequested.action'), link },
    }),
    { link },
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
  return message(
    to,
    ({ t }) => {
      const providers = (ids: string[]) => t('mail.passwordResetDone.providers', { providers: ids.join(t('mail.listSeparator')) });
      const gone = removed
        ? [
            ...(removed.passkeys.length ? [t('mail.passwordResetDone.removedPasskeys', { count: removed.passkeys.length })] : []),
            ...(removed.twoFactor ? [t('mail.passwordResetDone.removedTwoFactor')] : []),
            ...(removed.providers.length ? [providers(removed.providers)] : []),
          ]
        : [];
      const names = left.passkeys.map((name) => t('mail.passwordResetDone.passkeyName', { name })).join(t('mail.listSeparator'));
      const passkeys = left.passkeys.length ? t('mail.passwordResetDone.passkeys', { count: left.passkeys.length, names }) : t('mail.passwordResetDone.noPasskeys');
      const credentials = left.providers.length ? t('mail.passwordResetDone.withProviders', { passkeys, providers: providers(left.providers) }) : passkeys;
      return {
        subject: t('mail.passwordResetDone.subject'),
        paragraphs: [
          t('mail.passwordResetDone.body', { username }),
          ...(gone.length ? [t('mail.passwordResetDone.removed', { removed: listOf(t, gone) })] : []),
          left.twoFactor ? t('mail.passwordResetDone.leftTwoFactorOn', { credentials }) : t('mail.passwordResetDone.leftTwoFactorOff', { credentials }),
          t('mail.passwordResetDone.advice'),
        ],
        action: { label: t('mail.action.reviewSecurity'), link },
      };
    },
    { link },
  );
}

// After staff reset two-factor sign-in, for an owner who lost the app and the codes.
// `link` is the sign-in security page.
export function twoFactorResetByStaffNotice(to: string, username: string, link: string): MailMessage {
  return message(
    to,
    ({ t }) => ({
      subject: t('mail.twoFactorResetByStaff.subject'),
      paragraphs: [t('mail.twoFactorResetByStaff.body', { username }), t('mail.twoFactorResetByStaff.advice')],
      action: { label: t('mail.action.reviewSecurity'), link },
    }),
    { link },
  );
}

// A provider ("Sign in with ...") was linked to the account, by the owner or automatically
// because both sides had verified the address. `notMeLink` is a "This wasn't me" link.
export function signInMethodAddedNotice(to: string, username: string, providerName: string, notMeLink: string): MailMessage {
  return message(
    to,
    ({ t }) => ({
      subject: t('mail.signInMethodAdded.subject'),
      paragraphs: [t('mail.signInMethodAdded.body', { username, provider: providerName }), t('mail.signInMethodAdded.advice')],
      action: { label: t('mail.action.notMe'), link: notMeLink },
    }),
    { link: notMeLink },
  );
}

// A "Sign in with ..." provider unlinked from the account: it can no longer sign in.
export function providerUnlinkedNotice(to: string, username: string, link: string, provider: string): MailMessage {
  return message(
    to,
    ({ t }) => ({
      subject: t('mail.providerUnlinked.subject', { provider }),
      paragraphs: [t('mail.providerUnlinked.body', { username, provider }), t('mail.providerUnlinked.advice')],
      action: { label: t('mail.action.reviewSignIn'), link },
    }),
    { link },
  );
}

// --- Codes by email (src/auth/email-codes.ts) -------------------------------------------
// The code leads the subject and the message, grouped for reading; the link does the same
// job on any device, after a button press. `code` is kept for the development mailbox.

export function signUpCodeMessage(to: string, username: string, code: string, link: string): MailMessage {
  return message(
    to,
    ({ t }) => ({
      subject: t('mail.signUpCode.subject', { code }),
      paragraphs: [t('mail.signUpCode.body', { username, code }), t('mail.signUpCode.expiry')],
      action: { label: t('mail.signUpCode.action'), link },
    }),
    { link, code },
  );
}

// Someone signed up with an address that already has an account: its owner learns of it,
// and how to get in, while the sign-up page showed the same as for a new address.
export function signUpAddressTakenNotice(to: string, username: string, signInLink: string, resetLink: string): MailMessage {
  return message(
    to,
    ({ t }) => ({
      subject: t('mail.signUpAddressTaken.subject'),
      paragraphs: [
        t('mail.signUpAddressTaken.body', { username, email: to }),
        t('mail.signUpAddressTaken.ifYou', { resetLink }),
        t('mail.signUpAddressTaken.ifNotYou'),
      ],
      action: { label: t('mail.signUpAddressTaken.action'), link: signInLink },
    }),
    { link: signInLink },
  );
}

export function signInCodeMessage(to: string, username: string, code: string, link: string): MailMessage {
  return message(
    to,
    ({ t }) => ({
      subject: t('mail.signInCode.subject', { code }),
      paragraphs: [t('mail.signInCode.body', { username, code }), t('mail.signInCode.expiry')],
      action: { label: t('mail.signInCode.action'), link },
    }),
    { link, code },
  );
}

export function signInCodeNoAccountNotice(to: string, signUpLink: string): MailMessage {
  return message(
    to,
    ({ t }) => ({
      subject: t('mail.signInCode.subjectNoCode'),
      paragraphs: [t('mail.signInCode.noAccountBody', { email: to }), t('mail.signInCode.noAccountAdvice')],
      action: { label: t('mail.signInCode.noAccountAction'), link: signUpLink },
    }),
    { link: signUpLink },
  );
}

// An account whose address was never confirmed, or that must choose a new password, gets
// a reset link instead of a code (the reset is what confirms the address safely).
export function signInCodeResetFirstNotice(to: string, username: string, resetLink: string): MailMessage {
  return message(
    to,
    ({ t }) => ({
      subject: t('mail.signInCode.subjectNoCode'),
      paragraphs: [t('mail.signInCode.resetFirstBody', { username }), t('mail.signInCode.resetFirstAdvice')],
      action: { label: t('mail.signInCode.resetFirstAction'), link: resetLink },
    }),
    { link: resetLink },
  );
}

export function stepUpCodeMessage(to: string, username: string, code: string): MailMessage {
  return message(
    to,
    ({ t }) => ({
      subject: t('mail.stepUpCode.subject', { code }),
      paragraphs: [t('mail.stepUpCode.body', { username, code }), t('mail.stepUpCode.advice')],
    }),
    { code },
  );
}

export function passwordRemovedNotice(to: string, username: string, link: string): MailMessage {
  return message(
    to,
    ({ t }) => ({
      subject: t('mail.passwordRemoved.subject'),
      paragraphs: [t('mail.passwordRemoved.body', { username }), t('mail.passwordRemoved.advice')],
      action: { label: t('mail.action.reviewSignIn'), link },
    }),
    { link },
  );
}

// A first password for an account that had none (made with codes, a provider or a passkey).
export function passwordSetNotice(to: string, username: string, link: string): MailMessage {
  return message(
    to,
    ({ t }) => ({
      subject: t('mail.passwordSet.subject'),
      paragraphs: [t('mail.passwordSet.body', { username }), t('mail.passwordSet.advice')],
      action: { label: t('mail.action.resetPassword'), link },
    }),
    { link },
  );
}
