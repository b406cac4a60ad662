import { SELF } from 'cloudflare:test';
import { expect } from 'vitest';
import { ORIGIN, postForm, waitForMail } from './helpers';

// The owner's side of the mailbox: confirming the address, and resetting the password
// through the emailed link the way a browser follows it (token into a cookie, then the form).

function pathOf(link: string): string {
  const url = new URL(link);
  return `${url.pathname}${url.search}`;
}

export async function confirmAddress(email: string) {
  const mail = await waitForMail(email, 'Confirm your email address');
  const token = new URL(mail.link!).searchParams.get('token')!;
  expect((await postForm('/verify-email', { token })).status).toBe(303);
}

// Returns the confirmation form's response (303 to /login when it worked).
export async function resetByEmail(email: string, password: string) {
  const start = Date.now();
  expect((await postForm('/password-reset', { email })).status).toBe(200);
  const mail = await waitForMail(email, 'Reset your', { after: start });
  const opened = await SELF.fetch(`${ORIGIN}${pathOf(mail.link!)}`, { redirect: 'manual' });
  const cookie = opened.headers.getSetCookie().find((c) => /^(__Host-)?reset_token=/.test(c))!.split(';')[0]!;
  return postForm('/password-reset/confirm', { password, passwordConfirm: password }, { cookie });
}
