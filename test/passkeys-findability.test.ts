import { describe, expect, it } from 'vitest';
import { get, signUpAndSignIn } from './helpers';

// Adding a passkey is at most two clicks from the dashboard, and the sign-in page says
// what one is to someone who has never used one.

async function html(path: string, cookie?: string): Promise<string> {
  const res = await get(path, cookie);
  expect(res.status).toBe(200);
  return res.text();
}

describe('finding passkeys', () => {
  it('the account page has its own passkeys section linking to the passkeys page', async () => {
    const { cookie } = await signUpAndSignIn();
    const page = await html('/account', cookie);
    expect(page).toMatch(/<h2[^>]*>Passkeys<\/h2>/);
    expect(page).toMatch(/<a [^>]*href="\/account\/security\/passkeys"[^>]*>\s*Add or manage passkeys\s*<\/a>/);
  });

  it('the dashboard links to the account page and to the passkeys page', async () => {
    const { cookie } = await signUpAndSignIn();
    const page = await html('/dashboard', cookie);
    expect(page).toContain('href="/account"');
    expect(page).toContain('href="/account/security/passkeys"');
  });

  it('the sign-in page says what a passkey is, outside the part that needs JavaScript', async () => {
    const page = await html('/login');
    const hiddenBlock = /<div class="passkey-sign-in"[^>]*hidden[^>]*>.*?<\/div>/s.exec(page)![0];
    const explanation = 'A passkey lets you sign in with your fingerprint, face or device PIN instead of a password.';
    expect(page).toContain(explanation);
    expect(hiddenBlock).not.toContain(explanation);
  });
});
