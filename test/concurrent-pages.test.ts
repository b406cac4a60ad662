import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { ORIGIN, signUpAndSignIn } from './helpers';

// Components deep in a page reach their request (its translator, its URL) without props
// (src/views/use-i18n.ts, the language menu). Requests one isolate serves at the same time
// must never see each other's: not the language, and not the URL, whose query may hold a
// token.
describe('pages rendered in their own request', () => {
  it('keeps the language and the way back of requests served together apart', async () => {
    const { cookie } = await signUpAndSignIn();
    const languages = ['de', 'en', 'fr', 'ja', 'de', 'en', 'fr', 'ja', 'de', 'en', 'fr', 'ja'];
    const pages = await Promise.all(
      languages.map(async (language, i) => {
        // A query of its own, standing in for a token someone else's page must never show.
        const res = await SELF.fetch(`${ORIGIN}/dashboard?request=${i}`, { headers: { cookie, 'accept-language': language }, redirect: 'manual' });
        expect(res.status).toBe(200);
        return res.text();
      }),
    );
    pages.forEach((html, i) => {
      const language = languages[i];
      expect(html).toContain(`<html lang="${language}"`);
      expect(html).toContain(`<option value="${language}" lang="${language}" selected="">`);
      expect(html.match(/selected=""/g)).toHaveLength(1);
      expect(html).toContain(`<input type="hidden" name="next" value="/dashboard?request=${i}"/>`);
      expect(html.match(/request=\d+/g)).toEqual([`request=${i}`]);
    });
  });

  it('renders error pages in the visitor’s language too', async () => {
    const res = await SELF.fetch(`${ORIGIN}/no-such-page`, { headers: { 'accept-language': 'de' } });
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('Seite nicht gefunden');
  });
});
