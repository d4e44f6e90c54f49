/**
 * Every Transport implementation against real loopback servers: bodies (length, chunked, until
 * close), keep-alive reuse, `connection: close`, TLS with a self-signed certificate made here,
 * refused CR/LF/NUL, bounded bodies, deadlines that cover the body, and close() aborting in flight.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { nodeHttpTransport } from '../../loadtests/transport/node-http.js';
import type { TransportOptions } from '../../loadtests/transport/options.js';
import { pinnedLookup } from '../../loadtests/transport/pin.js';
import { socketTransport } from '../../loadtests/transport/socket-pool.js';
import type { SendOptions, Transport } from '../../loadtests/transport/transport.js';
import { undiciTransport } from '../../loadtests/transport/undici.js';
import { startServer, type TestServer } from './servers.js';

const IMPLS: [string, (o: TransportOptions) => Transport][] = [
  ['raw socket', socketTransport],
  ['node:http', nodeHttpTransport],
  ['undici', undiciTransport],
];

const SO: SendOptions = { keepBody: true, maxBodyBytes: 1 << 20, timeoutMs: 2000 };
const GET = { method: 'GET', path: '/x', headers: [] as [string, string][] };

let servers: { close(): Promise<void> }[] = [];
let transports: Transport[] = [];
afterEach(async () => {
  await Promise.all(transports.map((t) => t.close()));
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
  transports = [];
});

/** A raw TCP server whose connection handler writes whatever the test wants. */
async function rawServer(onConn: (s: net.Socket) => void): Promise<{ url: string; close(): Promise<void> }> {
  const socks = new Set<net.Socket>();
  const srv = net.createServer((s) => {
    socks.add(s);
    s.on('error', () => {});
    s.on('close', () => socks.delete(s));
    onConn(s);
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const s = {
    url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}`,
    close: async () => {
      for (const x of socks) x.destroy();
      await new Promise<void>((r) => srv.close(() => r()));
    },
  };
  servers.push(s);
  return s;
}

describe.each(IMPLS)('%s transport', (_name, open) => {
  const make = (url: string, connections = 2, extra: Partial<TransportOptions> = {}) => {
    const t = open({ url: new URL(url), addresses: ['127.0.0.1'], connections, ...extra });
    transports.push(t);
    return t;
  };
  const serve = async (h?: Parameters<typeof startServer>[0]): Promise<TestServer> => {
    const s = await startServer(h);
    servers.push(s);
    return s;
  };

  it('sends method, base path, headers and body, and returns status, headers and body', async () => {
    const s = await serve((req, res, body) => {
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      res.statusCode = 201;
      res.end(`${req.method} ${req.url} ${req.headers['x-k']} ${body}`);
    });
    const t = make(`${s.url}/api/`);
    const r = await t.send({ method: 'POST', path: '/p?q=1', headers: [['x-k', 'v']], body: 'hello' }, SO);
    expect(r.status).toBe(201);
    expect(Buffer.from(r.body!).toString()).toBe('POST /api/p?q=1 v hello');
    expect(r.bytes).toBe(23);
    expect(r.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(r.endedAt).toBeGreaterThanOrEqual(r.sentAt);
    expect(s.seen[0].headers['content-length']).toBe('5');
  });

  it('reads chunked bodies and reuses the keep-alive connection', async () => {
    const s = await serve((_q, res) => {
      res.write('abc');
      setTimeout(() => res.end('defgh'), 5);
    });
    const ports = new Set<number>();
    s.server.on('connection', (c) => ports.add(c.remotePort ?? 0));
    const t = make(s.url, 1);
    for (let i = 0; i < 5; i++) {
      const r = await t.send(GET, SO);
      expect(Buffer.from(r.body!).toString()).toBe('abcdefgh');
    }
    expect(ports.size).toBe(1);
  });

  it('follows `connection: close` with a new connection for the next request', async () => {
    const s = await serve((_q, res) => {
      res.setHeader('connection', 'close');
      res.end('bye');
    });
    const ports = new Set<number>();
    s.server.on('connection', (c) => ports.add(c.remotePort ?? 0));
    const t = make(s.url, 1);
    for (let i = 0; i < 4; i++) expect((await t.send(GET, SO)).status).toBe(200);
    expect(ports.size).toBe(4);
  });

  it('reads a body delimited by the end of the connection', async () => {
    const s = await rawServer((c) =>
      c.once('data', () => c.end('HTTP/1.1 200 OK\r\nconnection: close\r\n\r\nuntil-close')),
    );
    const r = await make(s.url).send(GET, SO);
    expect(Buffer.from(r.body!).toString()).toBe('until-close');
  });

  it('counts body bytes without keeping them and refuses bodies over the limit', async () => {
    const s = await serve((_q, res) => res.end('x'.repeat(5000)));
    const t = make(s.url);
    const r = await t.send(GET, { ...SO, keepBody: false });
    expect(r.bytes).toBe(5000);
    expect(r.body).toBeUndefined();
    await expect(t.send(GET, { ...SO, maxBodyBytes: 4096 })).rejects.toMatchObject({
      reason: 'body_too_large',
    });
  });

  it('refuses CR, LF and NUL in method, path and headers as bad_request, sending nothing', async () => {
    const s = await serve();
    const t = make(s.url);
    const bad = [
      {
        ...GET,
        headers: [['x-tok', 'a\r\nContent-Length: 0\r\n\r\nGET /admin HTTP/1.1']] as [string, string][],
      },
      { ...GET, headers: [['x\nb', 'v']] as [string, string][] },
      { ...GET, headers: [['x', 'nul\0']] as [string, string][] },
      { ...GET, headers: [['x', '日本']] as [string, string][] },
      { ...GET, path: '/a b' },
      { ...GET, path: '/a\r\nX: y' },
      { ...GET, method: 'GET /x HTTP/1.1\r\n' },
    ];
    for (const b of bad) await expect(t.send(b, SO)).rejects.toMatchObject({ reason: 'bad_request' });
    expect((await t.send(GET, SO)).status).toBe(200);
    expect(s.seen.map((x) => x.url)).toEqual(['/x']);
  });

  it('ends at the deadline against an endless chunked body and against trickled headers', async () => {
    const endless = await serve((_q, res) => {
      const iv = setInterval(() => res.write('chunk'), 10);
      res.on('close', () => clearInterval(iv));
    });
    const slow = await rawServer((c) => {
      let i = 0;
      const iv = setInterval(() => c.write('HTTP/1.1 200 OK\r\nx-slow: 1\r\n'.charAt(i++ % 20) || 'a'), 50);
      c.on('close', () => clearInterval(iv));
    });
    for (const url of [endless.url, slow.url]) {
      const t0 = performance.now();
      await expect(make(url).send(GET, { ...SO, keepBody: false, timeoutMs: 300 })).rejects.toMatchObject({
        reason: 'timeout',
      });
      expect(performance.now() - t0).toBeLessThan(800);
    }
  });

  it('close() aborts requests in flight against a target that never answers', async () => {
    const s = await rawServer(() => {});
    const t = make(s.url, 3);
    const pending = [1, 2, 3, 4].map(() => t.send(GET, { ...SO, timeoutMs: 60_000 }).catch((e) => e.reason));
    await new Promise((r) => setTimeout(r, 100));
    const t0 = performance.now();
    await t.close();
    expect(await Promise.all(pending)).toEqual(['aborted', 'aborted', 'aborted', 'aborted']);
    expect(performance.now() - t0).toBeLessThan(500);
  });

  it('aborts one request by its signal', async () => {
    const s = await rawServer(() => {});
    const ac = new AbortController();
    const p = make(s.url).send(GET, { ...SO, signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    await expect(p).rejects.toMatchObject({ reason: 'aborted' });
  });

  it('talks TLS to a self-signed server trusted through `ca`', async () => {
    const s = await tlsServer();
    const r = await make(s.url, 2, { ca: s.cert }).send(GET, SO);
    expect(Buffer.from(r.body!).toString()).toBe('secure /x');
    await expect(make(s.url).send(GET, SO)).rejects.toMatchObject({
      reason: 'tls',
    });
  });

  it('connects only to the pinned addresses, whatever the host name says', async () => {
    const s = await serve();
    const port = new URL(s.url).port;
    const t = open({
      url: new URL(`http://rebind.invalid:${port}`),
      addresses: ['127.0.0.1'],
      connections: 1,
    });
    transports.push(t);
    expect((await t.send(GET, SO)).status).toBe(200);
    expect(s.seen[0].headers.host).toBe(`rebind.invalid:${port}`);
  });
});

let tmp: string | undefined;
afterAll(() => tmp && rmSync(tmp, { recursive: true, force: true }));

async function tlsServer(): Promise<{ url: string; cert: Buffer; close(): Promise<void> }> {
  tmp ??= mkdtempSync(join(tmpdir(), 'backline-tls-'));
  const key = join(tmp, 'key.pem');
  const crt = join(tmp, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      crt,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  const cert = readFileSync(crt);
  const srv = https.createServer({ key: readFileSync(key), cert }, (req, res) =>
    res.end(`secure ${req.url}`),
  );
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const s = {
    url: `https://127.0.0.1:${(srv.address() as AddressInfo).port}`,
    cert,
    close: () =>
      new Promise<void>((r) => {
        srv.closeAllConnections();
        srv.close(() => r());
      }),
  };
  servers.push(s);
  return s;
}

describe('pinnedLookup', () => {
  it('answers only with the checked addresses, single or all', async () => {
    const lookup = pinnedLookup(['127.0.0.1', '::1']);
    const one = await new Promise((r) => lookup('evil.example', {}, (_e, a) => r(a)));
    const all = await new Promise((r) => lookup('evil.example', { all: true }, (_e, a) => r(a)));
    expect(one).toBe('127.0.0.1');
    expect(all).toEqual([
      { address: '127.0.0.1', family: 4 },
      { address: '::1', family: 6 },
    ]);
  });
});

describe('allow-list spelling of IPv4-mapped loopback', () => {
  it('treats [::ffff:127.0.0.1] (which URLs turn into ::ffff:7f00:1) as loopback and ::ffff:10.0.0.1 as not', async () => {
    const { checkTarget, isLoopback } = await import('../../loadtests/safety.js');
    const ok = await checkTarget('http://[::ffff:127.0.0.1]:8080/');
    expect(ok.addresses).toEqual(['::ffff:7f00:1']);
    expect(isLoopback('::ffff:7f00:1')).toBe(true);
    expect(isLoopback('0:0:0:0:0:ffff:127.1.2.3')).toBe(true);
    expect(isLoopback('::ffff:a00:1')).toBe(false);
    expect(isLoopback('::1')).toBe(true);
    expect(isLoopback('::2')).toBe(false);
    await expect(checkTarget('http://[::ffff:10.0.0.1]/')).rejects.toThrow(/not loopback/);
  });
});
