import { ENGLISH_TRANSLATOR, type Translator } from '../i18n/translator';

// "Firefox on Windows": enough for a person to recognise a device in the sessions list.
// Browser and system names are brand names, the same in every language; the sentence
// around them ("{browser} on {system}", "Unknown device") comes from the catalogue.
const BROWSERS: [RegExp, string][] = [
  [/Edg(e|A|iOS)?\//, 'Edge'],
  [/OPR\/|Opera/, 'Opera'],
  [/SamsungBrowser\//, 'Samsung Internet'],
  [/Firefox\/|FxiOS\//, 'Firefox'],
  [/Chrome\/|CriOS\/|Chromium\//, 'Chrome'],
  [/Safari\//, 'Safari'],
  [/curl\//, 'curl'],
];

const SYSTEMS: [RegExp, string][] = [
  [/iPhone|iPad|iPod/, 'iOS'],
  [/Android/, 'Android'],
  [/CrOS/, 'ChromeOS'],
  [/Windows/, 'Windows'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/Linux/, 'Linux'],
];

// The device in `t`'s language (English by default: the data export, and the alerts'
// familiarity check). Pages pass useI18n().t, emails their recipient's translator.
export function describeUserAgent(userAgent: string | undefined, t: Translator['t'] = ENGLISH_TRANSLATOR.t): string {
  if (!userAgent) return t('account.device.unknown');
  const browser = BROWSERS.find(([pattern]) => pattern.test(userAgent))?.[1];
  const system = SYSTEMS.find(([pattern]) => pattern.test(userAgent))?.[1];
  if (browser && system) return t('account.device.browserOnSystem', { browser, system });
  return browser ?? system ?? t('account.device.unknown');
}
