import { useI18n } from '../use-i18n';

// A moment as people read it, in the visitor's language and time zone ("Dec 4, 2026,
// 1:43 PM UTC" in English), with the exact time for machines.
export function Time({ ms }: { ms: number }) {
  const date = new Date(ms);
  return <time datetime={date.toISOString()}>{useI18n().dateTime(date)}</time>;
}
