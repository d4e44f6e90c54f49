/**
 * The `/metrics` endpoint. `--metrics 9464` or `--metrics :9464` binds 127.0.0.1; any other address
 * is bound only because the user wrote it (`--metrics 0.0.0.0:9464`), and the CLI says so.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { UsageError } from '../results/errors.js';

/** Where to listen. */
export interface MetricsAddress {
  host: string;
  port: number;
  /** True when the host is a loopback address (the default). */
  loopback: boolean;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

/** Parses `port`, `:port`, `host:port` or `[v6]:port`; throws UsageError (exit 2) otherwise. */
export function parseMetricsAddress(raw: string): MetricsAddress {
  const m = /^(?:(\[[0-9a-fA-F:.]+\]|[^:[\]\s]*):)?(\d{1,5})$/.exec(raw);
  const port = m ? Number(m[2]) : Number.NaN;
  if (!m || port > 65535) {
    throw new UsageError(
      `--metrics ${JSON.stringify(raw)}: expected [host:]port, e.g. 9464 or 127.0.0.1:9464`,
    );
  }
  const host = m[1] ? m[1].replace(/^\[|\]$/g, '') : '127.0.0.1';
  return { host, port, loopback: LOOPBACK.test(host) };
}

/** A listening metrics endpoint. */
export interface MetricsServer {
  /** `http://host:port/metrics`. */
  url: string;
  /** Scrapes answered so far. */
  readonly scrapes: number;
  /** Resolves at the next answered scrape, or after `timeoutMs`; true when a scrape came. */
  nextScrape(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

/** Serves `registry` at `/metrics` (Prometheus text format 0.0.4), calling `beforeScrape` first. */
export async function serveMetrics(
  registry: Registry,
  address: MetricsAddress,
  beforeScrape: () => void = () => {},
): Promise<MetricsServer> {
  let scrapes = 0;
  let waiters: (() => void)[] = [];
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('backline serves /metrics only\n');
      return;
    }
    beforeScrape();
    registry.metrics().then(
      (text) => {
        res.writeHead(200, { 'content-type': registry.contentType }).end(text);
        scrapes++;
        const w = waiters;
        waiters = [];
        for (const f of w) f();
      },
      (err: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`${err.message}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        new UsageError(`--metrics ${address.host}:${address.port}: cannot listen (${e.code ?? e.message})`),
      ),
    );
    server.listen(address.port, address.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  return {
    url: `http://${host}:${port}/metrics`,
    get scrapes() {
      return scrapes;
    },
    nextScrape(timeoutMs) {
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        waiters.push(() => {
          clearTimeout(timer);
          resolve(true);
        });
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
