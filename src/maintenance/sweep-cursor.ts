// Where a sweep over the bucket stopped, kept in KV between cron runs. KV is eventually
// consistent: a run at another location may read a cursor a minute old and redo a page,
// which is harmless (deletes are idempotent) at an hourly or daily schedule.
export interface SweepCursor {
  // The last key handled (S3 StartAfter): a plain key works on every S3-compatible store
  // and never expires, unlike a continuation token.
  after: string;
  // When this pass over the bucket began, to log how long a whole pass takes.
  passStartedAt: number;
}

export async function readSweepCursor(kv: KVNamespace, key: string, prefix: string): Promise<SweepCursor | null> {
  const text = await kv.get(key);
  let cursor: Partial<SweepCursor> | null = null;
  try {
    cursor = text === null ? null : (JSON.parse(text) as Partial<SweepCursor>);
  } catch {
    // Anything unexpected starts the sweep over rather than skipping part of the bucket.
  }
  if (typeof cursor?.after !== 'string' || !cursor.after.startsWith(prefix)) return null;
  return { after: cursor.after, passStartedAt: typeof cursor.passStartedAt === 'number' ? cursor.passStartedAt : Date.now() };
}

// null ends the pass: the next run starts at the beginning of the bucket.
export async function saveSweepCursor(kv: KVNamespace, key: string, previous: SweepCursor | null, next: SweepCursor | null): Promise<void> {
  if (next === null) {
    if (previous) await kv.delete(key);
    return;
  }
  if (previous?.after === next.after) return;
  await kv.put(key, JSON.stringify(next));
}
