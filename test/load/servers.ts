/**
 * Real loopback HTTP servers on port 0 for the load-driver tests.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A started server: its base URL, the requests it saw, and `close()`. */
export interface TestServer {
  url: string;
  port: number;
  server: http.Server;
  seen: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[];
  close(): Promise<void>;
}

/** Starts `handler` on 127.0.0.1, port 0. */
export async function startServer(
  handler: (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void = (_q, res) =>
    res.end('ok'),
): Promise<TestServer> {
  const seen: TestServer['seen'] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, res, body);
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    server,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A port that nothing listens on (bound, then released). */
export async function freePort(): Promise<number> {
  const s = await startServer();
  await s.close();
  return s.port;
}
