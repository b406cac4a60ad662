import { describe, expect, it } from 'vitest';
import { FLASH_VALUE_BYTES, fitFlashMessage } from '../src/http/flash';
import { cookieFrom, get, postForm, sessionCookieFrom, STRONG_PASSWORD } from './helpers';

// The one-time message after a redirect lives in a cookie, percent-encoded: an Arabic or
// Japanese message takes several times its length in bytes.

describe('the flash message', () => {
  // More than 300 characters: an earlier cap cut it short.
  it('carries a long Arabic welcome whole, with a long Arabic username and address', async () => {
    const username = `${'ع'.repeat(140)}${Date.now().toString(36)}`;
    const email = `w${Date.now().toString(36)}@${'subdomain.'.repeat(13)}example.com`;
    const signedUp = await postForm('/register', { username, email, password: STRONG_PASSWORD, passwordConfirm: STRONG_PASSWORD }, { headers: { 'accept-language': 'ar' } });
    expect(signedUp.status).toBe(303);
    const cookie = `${sessionCookieFrom(signedUp)}; ${cookieFrom(signedUp, 'flash')}`;
    const html = await (await get(signedUp.headers.get('location')!, cookie)).text();
    expect(html).toContain(`مرحبًا ${username}! حسابك جاهز. أرسلنا رابطًا إلى ${email} لتأكيد عنوانك.`);
  });

  it('is cut at a whole character, with an ellipsis, only when it would not fit in a cookie', () => {
    const fits = 'ok '.repeat(100);
    expect(fitFlashMessage(fits)).toBe(fits);
    const huge = '日本語'.repeat(1000);
    const fitted = fitFlashMessage(huge);
    expect(fitted.endsWith('…')).toBe(true);
    expect(huge.startsWith(fitted.slice(0, -1))).toBe(true);
    expect(encodeURIComponent(fitted).length).toBeLessThanOrEqual(FLASH_VALUE_BYTES);
    expect(fitted.length).toBeGreaterThan(300);
  });
});
