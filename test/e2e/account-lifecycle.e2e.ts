// Flows whose pages were still being built when these tests were written (password reset
// through the development mailbox, change password, signed-in devices, delete account).
// TODO(e2e): each it.todo below is a placeholder: write it through the real pages, like
// account.e2e.ts, once its route exists in src/routes/ (check the running app), and run
// checkPage() on every new page so it gets axe checks and screenshots.
import { describe, it } from 'vitest';

describe('account lifecycle (pages not built yet)', () => {
  // /password/reset: ask for a link with the email address, open the message at /dev/mail
  // (DEV_MAILBOX = "true" in wrangler.toml [vars]), follow the link, set a new password,
  // sign in with it; the old password and a second use of the link are refused.
  it.todo('TODO(e2e): resets a forgotten password through the link in the dev mailbox (/dev/mail)');

  // Change password while signed in: the current password is required, a wrong one is
  // refused beside its field, the new one works at the next sign-in and the old one does not.
  it.todo('TODO(e2e): changes the password while signed in');

  // /sessions: lists this browser and a second one (another context), marks the current
  // one, signing the other out ends it there (its next page asks to sign in).
  it.todo('TODO(e2e): lists signed-in devices and signs another one out (/sessions)');

  // /account: delete the account after confirming with the password; the person is signed
  // out, the avatar URL stops answering, and the username and email can no longer sign in.
  it.todo('TODO(e2e): deletes the account and its picture (/account)');
});
