// A fault-injecting HTTP proxy for the S3 server (plain node:http). Each request, by a
// seeded draw: a 500 with an S3-style error body, a connection reset, or a delay of
// 0..maxDelayMs before it is forwarded unchanged. Faults happen before the request
// reaches S3, so a failed request never changed anything there (a fault after S3 acted,
// e.g. a lost response to a put that succeeded, is not modelled).
import { Agent, createServer, request as httpRequest } from 'node:http';
import { seededRandom } from './random.mjs';

const S3_ERROR_BODY =
  '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InternalError</Code><Message>Injected by the soak fault proxy.</Message></Error>';

export async function startFaultProxy({ target, seed, failRate = 0.1, maxDelayMs = 2000 }) {
  const upstream = new URL(target);
  const random = seededRandom(seed);
  const stats = { requests: 0, forwarded: 0, injected500: 0, injectedReset: 0, upstreamErrors: 0, delayMsTotal: 0 };
  let faultsOn = true;
  const sockets = new Set();
  // No kept-alive connections to S3: the S3 server's close() waits for every open one.
  const agent = new Agent({ keepAlive: false });

  const forward = (req, res) => {
    stats.forwarded++;
    const outgoing = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, agent },
      (answer) => {
        res.writeHead(answer.statusCode, answer.headers);
        answer.pipe(res);
      },
    );
    outgoing.on('error', () => {
      // The S3 server itself failed: pass that on as a reset, and count it apart.
      stats.upstreamErrors++;
      req.socket.destroy();
    });
    req.pipe(outgoing);
  };

  const server = createServer((req, res) => {
    stats.requests++;
    // Every request takes its draws in the same order, whatever the outcome.
    const roll = random.next();
    const halfRoll = random.next();
    const delay = Math.round(random.next() * maxDelayMs);
    if (faultsOn && roll < failRate) {
      if (halfRoll < 0.5) {
        stats.injected500++;
        // Drain the body first so the client reads the answer, not a broken pipe.
        req.resume();
        req.on('end', () => res.writeHead(500, { 'content-type': 'application/xml' }).end(S3_ERROR_BODY));
      } else {
        stats.injectedReset++;
        req.socket.resetAndDestroy();
      }
      return;
    }
    if (!faultsOn) return forward(req, res);
    stats.delayMsTotal += delay;
    // Paused meanwhile: the body waits in the socket, as it would on a slow link.
    req.pause();
    setTimeout(() => forward(req, res), delay);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    // Off: every request goes straight through (the final cleanup and checks).
    setFaults(on) {
      faultsOn = on;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      agent.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
