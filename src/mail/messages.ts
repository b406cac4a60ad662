// What we send. Each message has a plain-text and an HTML part with the same content.
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  // The link the message is about, kept for the development mailbox.
  link?: string;
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
