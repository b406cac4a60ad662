import { tryGetContext } from 'hono/context-storage';
import type { AppEnv } from '../../http/app-env';
import { LANGUAGE_NAMES, PSEUDO_LANGUAGE } from '../../i18n/languages';
import { renderedOnce } from '../rendered-once';
import { useI18n } from '../use-i18n';

// The footer's language menu: a form, so it works without JavaScript. Each name is in its
// own language (and marked so for screen readers); it comes back to the page it was on.
// Nothing to choose when the deployment offers one language.
export function LanguageMenu() {
  const c = tryGetContext<AppEnv>();
  // The pseudo-language is for testers, not people: never listed.
  // No configuration on the 500 page of a deployment whose configuration is wrong.
  const offered = (c?.get('config')?.languages ?? []).filter((code) => code !== PSEUDO_LANGUAGE);
  const { t, language } = useI18n();
  if (offered.length < 2) return null;
  // The path and query: the request's URL is already serialized, so they are what follows
  // its origin (no need to parse it again on every page).
  const { url } = c!.req;
  const pathAndQuery = url.slice(url.indexOf('/', url.indexOf('://') + 3));
  return (
    <form method="post" action="/language" class="language-menu">
      <input type="hidden" name="next" value={pathAndQuery} />
      {renderedOnce(`language-menu|${offered.join(',')}`, () => (
        <>
          <label for="language-menu">{t('common.language.label')}</label>
          <select id="language-menu" name="language">
            {offered.map((code) => (
              <option value={code} lang={code} selected={code === language}>
                {LANGUAGE_NAMES[code]}
              </option>
            ))}
          </select>
          <button type="submit" class="button button-quiet">
            {t('common.language.change')}
          </button>
        </>
      ))}
    </form>
  );
}
