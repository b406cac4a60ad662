import { AREAS, ENGLISH, type Area, type Catalog } from './catalog';
import { DEFAULT_LANGUAGE, PSEUDO_LANGUAGE, type Language } from './languages';
import type { Message } from './message-format';
import { pseudoLocalize } from './pseudo';

// Another language's catalogue: its area files from the Worker's assets, read in parallel
// on the first request in an isolate that needs it, then kept. A key it lacks (a
// deployment in the middle of adding one) reads in English.

export const I18N_ASSET_PREFIX = '/i18n';

async function readArea(assets: Fetcher, language: Language, area: Area): Promise<Record<string, Message>> {
  // Only the path matters to the binding.
  const response = await assets.fetch(`https://assets.invalid${I18N_ASSET_PREFIX}/${language}/${area}.json`);
  if (!response.ok) throw new Error(`${I18N_ASSET_PREFIX}/${language}/${area}.json answered ${response.status}`);
  return response.json();
}

async function readCatalog(assets: Fetcher, language: Language): Promise<Catalog> {
  const areas = await Promise.all((Object.keys(AREAS) as Area[]).map((area) => readArea(assets, language, area)));
  return Object.assign({}, ENGLISH, ...areas) as Catalog;
}

const loads = new Map<Language, Promise<Catalog>>();

// The pseudo-language has no assets: it is made from English, once per isolate.
let pseudo: Catalog | undefined;
function pseudoCatalog(): Catalog {
  return (pseudo ??= Object.fromEntries(Object.entries(ENGLISH).map(([key, message]) => [key, pseudoLocalize(message)])) as Catalog);
}

export function loadCatalog(assets: Fetcher, language: Language): Promise<Catalog> {
  if (language === DEFAULT_LANGUAGE) return Promise.resolve(ENGLISH);
  if (language === PSEUDO_LANGUAGE) return Promise.resolve(pseudoCatalog());
  let load = loads.get(language);
  if (!load) {
    load = readCatalog(assets, language).catch((error: unknown) => {
      // Not kept: the next request tries again. This one reads in English.
      loads.delete(language);
      console.error(`The ${language} catalogue could not be loaded; answering in English:`, error);
      return ENGLISH;
    });
    loads.set(language, load);
  }
  return load;
}
