// workerd's inspector (Chrome DevTools Protocol), for the tools that look inside a
// Worker's isolate: the CPU profile (cpu-profile.mjs) and the soak's heap readings.
// Miniflare opens it when given `inspectorPort`.

// One protocol session over the inspector's WebSocket.
export async function inspect(url) {
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => {
    socket.addEventListener('open', resolve, { once: true });
    socket.addEventListener('error', reject, { once: true });
  });
  let next = 0;
  const waiting = new Map();
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(event.data);
    waiting.get(message.id)?.(message);
    waiting.delete(message.id);
  });
  const send = (method, params = {}) =>
    new Promise((resolve, reject) => {
      const id = ++next;
      waiting.set(id, (message) => (message.error ? reject(new Error(message.error.message)) : resolve(message.result)));
      socket.send(JSON.stringify({ id, method, params }));
    });
  return { send, close: () => socket.close() };
}

// The isolates the inspector offers, by name ("app", and the local simulators' own).
export async function inspectorTargets(inspectorPort) {
  const targets = await (await fetch(`http://127.0.0.1:${inspectorPort}/json/list`)).json();
  return targets.map((target) => ({
    name: target.id ?? target.title,
    title: target.title,
    url: target.webSocketDebuggerUrl ?? `ws://127.0.0.1:${inspectorPort}/${target.id}`,
  }));
}

// The JS heap of one isolate after a full collection (what is still reachable), in bytes;
// null if the isolate does not answer within timeoutMs (workerd serves an isolate's
// inspector between its events, so an isolate that gets no traffic may not).
export async function heapAfterGc(url, { timeoutMs = 5000 } = {}) {
  const session = await inspect(url);
  let timer;
  try {
    const reading = (async () => {
      await session.send('HeapProfiler.enable');
      await session.send('HeapProfiler.collectGarbage');
      const { usedSize, totalSize } = await session.send('Runtime.getHeapUsage');
      return { usedSize, totalSize };
    })();
    return await Promise.race([reading, new Promise((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs)))]);
  } finally {
    clearTimeout(timer);
    session.close();
  }
}
