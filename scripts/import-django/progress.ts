// Progress of a long import on stderr: users done / total, rate, time left.
export function createProgress(total: number, label: string, stream: NodeJS.WriteStream = process.stderr) {
  const started = Date.now();
  let done = 0;
  const line = () => {
    const seconds = (Date.now() - started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const left = rate > 0 ? Math.ceil((total - done) / rate) : null;
    const percent = total ? Math.floor((done / total) * 100) : 100;
    return `${label}: ${done}/${total} (${percent}%), ${rate.toFixed(1)} users/s, ${left === null ? 'time left unknown' : `about ${formatDuration(left)} left`}`;
  };
  return {
    advance(count: number) {
      done += count;
      if (stream.isTTY) stream.write(`\r${line()}\x1b[K`);
      else stream.write(`${line()}\n`);
    },
    finish() {
      if (stream.isTTY) stream.write('\n');
      return { done, seconds: (Date.now() - started) / 1000 };
    },
  };
}

export function formatDuration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

// Runs fn over items, at most `concurrency` at a time; the first failure stops the rest.
export async function runPool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const item = items[next++]!;
      try {
        await fn(item);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
