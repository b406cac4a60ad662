const when = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

// A moment as people read it, with the exact time for machines.
export function Time({ ms }: { ms: number }) {
  const date = new Date(ms);
  return <time datetime={date.toISOString()}>{`${when.format(date)} UTC`}</time>;
}
