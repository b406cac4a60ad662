import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';

// A ZIP archive built while the client downloads it. Streamed entries are read one chunk
// per pull, so a slow client slows the reads from the source (backpressure), and each
// chunk goes out as it came in: fflate's pass-through entries keep no copy.

export interface ZipEntry {
  name: string;
  body: Uint8Array | ReadableStream<Uint8Array>;
  // Deflate text; files that are already compressed (WebP) are stored as they are.
  compress?: boolean;
}

export interface ZipStreamOptions {
  modified?: Date;
  // Once bytes have gone out the status cannot change: a failing source aborts the
  // download instead (the archive's directory is never written, so no unzip accepts it).
  onError?: (error: unknown) => void;
}

export function createZipStream(entries: ZipEntry[], options: ZipStreamOptions = {}): ReadableStream<Uint8Array> {
  const modified = options.modified ?? new Date();
  const ready: Uint8Array[] = [];
  let failure: unknown = null;
  let ended = false;
  const zip = new Zip((error, chunk, final) => {
    if (error) failure ??= error;
    else ready.push(chunk);
    if (final) ended = true;
  });

  let next = 0;
  let reading: { reader: ReadableStreamDefaultReader<Uint8Array>; file: ZipPassThrough | ZipDeflate } | null = null;

  // One unit of work: a chunk of the current entry, or the start of the next, or the end.
  async function step(): Promise<void> {
    if (reading) {
      const { done, value } = await reading.reader.read();
      if (done) {
        reading.file.push(new Uint8Array(0), true);
        reading = null;
      } else {
        reading.file.push(value);
      }
      return;
    }
    const entry = entries[next++];
    if (!entry) return zip.end();
    const file = entry.compress ? new ZipDeflate(entry.name, { level: 6 }) : new ZipPassThrough(entry.name);
    file.mtime = modified;
    zip.add(file);
    if (entry.body instanceof Uint8Array) file.push(entry.body, true);
    else reading = { reader: entry.body.getReader(), file };
  }

  function cancelSources(reason: unknown) {
    void reading?.reader.cancel(reason).catch(() => {});
    for (const entry of entries.slice(next)) if (!(entry.body instanceof Uint8Array)) void entry.body.cancel(reason).catch(() => {});
    zip.terminate();
  }

  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        // A pull that enqueues nothing would never be called again: work until there is output.
        while (!ready.length && !ended && !failure) await step();
        if (failure) throw failure;
      } catch (error) {
        cancelSources(error);
        options.onError?.(error);
        throw error;
      }
      for (const chunk of ready.splice(0)) controller.enqueue(chunk);
      if (ended) controller.close();
    },
    cancel(reason) {
      cancelSources(reason);
    },
  });
}

// attachment; filename="..." with an ASCII fallback and the exact name in UTF-8 (RFC 6266).
export function attachmentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^A-Za-z0-9@.+_-]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
