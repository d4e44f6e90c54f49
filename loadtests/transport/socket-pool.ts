/**
 * The fast transport: raw `net`/`tls` sockets, one request in flight per connection (HTTP/1.1
 * keep-alive, no pipelining), requests written as prebuilt buffers and answers read by the minimal
 * {@link ResponseParser} — autocannon's approach, without its closed loop. A request that finds
 * every connection busy waits in a bounded FIFO; one sweep timer (not a timer per request) enforces
 * deadlines, so the cost per request stays a write, a parse and a callback.
 */
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import tls from 'node:tls';
import { causeOf } from '../collector.js';
import { DEFAULT_MAX_PENDING, type TransportOptions } from './options.js';
import { pinnedLookup } from './pin.js';
import { parseHeaders, ResponseParser } from './response-parser.js';
import {
  type IncomingResponse,
  type OutgoingRequest,
  promised,
  type SendCallback,
  type SendOptions,
  type Transport,
  TransportError,
} from './transport.js';
import { basePrefix, requestBytes } from './wire.js';

/** How often deadlines are checked (ms): the precision of `timeout`. */
const SWEEP_MS = 20;

/** One request in the pool. */
export interface Exchange {
  bytes: Buffer;
  /** A HEAD request: the answer has no body whatever its headers say. */
  noBody: boolean;
  keepBody: boolean;
  maxBodyBytes: number;
  /** `performance.now()` after which it fails with `timeout`. */
  deadline: number;
  /** Set when written to a socket. */
  sentAt: number;
  /** Called once: an error cause, or null and the parser holding the answer. */
  cb: (cause: string | null, p: ResponseParser | null, ex: Exchange, message?: string) => void;
}

/** One connection slot: a socket (or none yet) and the exchange on it. */
class Conn {
  sock: net.Socket | undefined;
  ex: Exchange | undefined;
  readonly parser = new ResponseParser();

  constructor(private readonly pool: SocketPool) {}

  start(ex: Exchange): void {
    this.ex = ex;
    this.parser.reset(ex.keepBody, ex.maxBodyBytes, ex.noBody);
    if (!this.sock) this.sock = this.pool.connect(this);
    ex.sentAt = performance.now();
    this.sock.write(ex.bytes);
  }

  onData(buf: Buffer): void {
    const ex = this.ex;
    if (!ex) {
      this.drop(); // bytes nobody asked for: the connection cannot be trusted for the next request
      return;
    }
    const end = this.parser.feed(buf);
    if (end >= 0) {
      this.ex = undefined;
      if (this.parser.close || end < buf.length) this.drop();
      ex.cb(null, this.parser, ex);
      this.pool.next(this);
    } else if (this.parser.failure) this.fail(this.parser.failure);
  }

  onClose(err?: Error): void {
    this.sock = undefined;
    const ex = this.ex;
    if (!ex) return;
    this.ex = undefined;
    if (!err && this.parser.end()) ex.cb(null, this.parser, ex);
    else
      ex.cb(
        err ? causeOf(err) : 'reset',
        null,
        ex,
        err?.message ?? 'connection closed before the answer ended',
      );
    this.pool.next(this);
  }

  /** Fails the exchange on this connection and closes its socket. */
  fail(cause: string, message = cause): void {
    const ex = this.ex;
    this.ex = undefined;
    this.drop();
    if (ex) ex.cb(cause, null, ex, message);
    this.pool.next(this);
  }

  drop(): void {
    const s = this.sock;
    this.sock = undefined;
    s?.removeAllListeners();
    s?.on('error', () => {});
    s?.destroy();
  }
}

/** A pool of raw sockets to one origin. Use {@link Transport.send} or the callback {@link dispatch}. */
export class SocketPool implements Transport {
  private readonly conns: Conn[] = [];
  private readonly idle: Conn[] = [];
  private queue: Exchange[] = [];
  private qHead = 0;
  private readonly sweep: NodeJS.Timeout;
  private closed = false;
  private readonly tls: boolean;
  private readonly host: string;
  private readonly prefix: string;
  private readonly maxPending: number;
  private readonly lookup: net.LookupFunction;

  constructor(private readonly opts: TransportOptions) {
    this.tls = opts.url.protocol === 'https:';
    this.host = opts.url.host;
    this.prefix = basePrefix(opts.url);
    this.maxPending = opts.maxPending ?? DEFAULT_MAX_PENDING;
    this.lookup = pinnedLookup(opts.addresses);
    for (let i = 0; i < Math.max(1, opts.connections); i++) {
      const c = new Conn(this);
      this.conns.push(c);
      this.idle.push(c);
    }
    this.sweep = setInterval(() => this.expire(), SWEEP_MS);
    this.sweep.unref();
  }

  /** Requests waiting for a free connection. */
  get waiting(): number {
    return this.queue.length - this.qHead;
  }

  /** Requests on a connection. */
  get busy(): number {
    return this.conns.length - this.idle.length;
  }

  /** The wire bytes of `req` (throws `TransportError('bad_request')`), reusable across sends. */
  prepare(req: OutgoingRequest): Buffer {
    return requestBytes(req, this.host, this.prefix);
  }

  /**
   * Starts `ex` now on an idle connection, or queues it; a full queue fails it at once with
   * `no_connection`. The callback may run synchronously in that case.
   */
  dispatch(ex: Exchange): void {
    const c = this.closed ? undefined : this.idle.pop();
    if (this.closed) ex.cb('aborted', null, ex, 'the transport is closed');
    else if (c) c.start(ex);
    else if (this.waiting >= this.maxPending)
      ex.cb('no_connection', null, ex, `${this.maxPending} requests already wait for a connection`);
    else this.queue.push(ex);
  }

  readonly send = promised((req, so, done) => this.request(req, so, done));

  request(req: OutgoingRequest, so: SendOptions, done: SendCallback): void {
    let bytes: Buffer;
    try {
      bytes = this.prepare(req);
    } catch (e) {
      done(e instanceof TransportError ? e : new TransportError('bad_request', String(e)), null);
      return;
    }
    const signal = so.signal;
    if (signal?.aborted) {
      done(new TransportError('aborted', 'aborted'), null);
      return;
    }
    const ex: Exchange = {
      bytes,
      noBody: req.method === 'HEAD',
      keepBody: so.keepBody,
      maxBodyBytes: so.maxBodyBytes,
      deadline: performance.now() + so.timeoutMs,
      sentAt: Number.NaN,
      cb: (cause, p, e, message) => {
        if (signal) signal.removeEventListener('abort', onAbort);
        if (cause !== null || !p) done(new TransportError(cause ?? 'error', message ?? String(cause)), null);
        else
          done(
            null,
            new PoolResponse(p.status, p.head, p.bytes, e.sentAt, so.keepBody ? p.body() : undefined),
          );
      },
    };
    const onAbort = () => this.abort(ex);
    if (signal) signal.addEventListener('abort', onAbort, { once: true });
    this.dispatch(ex);
  }

  /** Fails `ex` with `aborted` wherever it is (queued or on a connection). */
  abort(ex: Exchange): void {
    const c = this.conns.find((x) => x.ex === ex);
    const i = c ? -1 : this.queue.indexOf(ex, this.qHead);
    if (c) c.fail('aborted');
    else if (i >= 0) {
      this.queue.splice(i, 1);
      ex.cb('aborted', null, ex, 'aborted');
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.sweep);
    const queued = this.queue.slice(this.qHead);
    this.queue = [];
    this.qHead = 0;
    for (const c of this.conns) if (c.ex) c.fail('aborted');
    for (const c of this.conns) c.drop();
    for (const ex of queued) ex.cb('aborted', null, ex, 'aborted');
  }

  /** Opens a socket for `c` to a pinned address. */
  connect(c: Conn): net.Socket {
    const port = Number(this.opts.url.port || (this.tls ? 443 : 80));
    const host = this.opts.url.hostname.replace(/^\[|\]$/g, '');
    const s = this.tls
      ? tls.connect({
          host,
          port,
          lookup: this.lookup,
          servername: net.isIP(host) ? undefined : host,
          ca: this.opts.ca,
          ALPNProtocols: ['http/1.1'],
        })
      : net.connect({ host, port, lookup: this.lookup });
    s.setNoDelay(true);
    s.on('data', (b: Buffer) => c.onData(b));
    s.on('error', (e) => {
      if (c.sock === s) {
        c.sock = undefined;
        c.onClose(e);
      }
    });
    s.on('close', () => {
      if (c.sock === s) c.onClose();
    });
    return s;
  }

  /** `c` is free: start the next queued request that is still within its deadline. */
  next(c: Conn): void {
    if (this.closed) return;
    const now = performance.now();
    while (this.qHead < this.queue.length) {
      const ex = this.queue[this.qHead++];
      this.compact();
      if (ex.deadline <= now) {
        ex.cb('timeout', null, ex, 'no connection became free before the deadline');
        continue;
      }
      c.start(ex);
      return;
    }
    this.idle.push(c);
  }

  private compact(): void {
    if (this.qHead > 1024 && this.qHead * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.qHead);
      this.qHead = 0;
    }
  }

  /** Fails exchanges past their deadline: on connections (closing them) and at the queue's head. */
  private expire(): void {
    const now = performance.now();
    for (const c of this.conns)
      if (c.ex && c.ex.deadline <= now) c.fail('timeout', 'no complete answer before the deadline');
    while (this.qHead < this.queue.length && this.queue[this.qHead].deadline <= now) {
      const ex = this.queue[this.qHead++];
      ex.cb('timeout', null, ex, 'no connection became free before the deadline');
    }
    this.compact();
  }
}

/** A response whose headers are parsed only when read: most flow steps never read them. */
class PoolResponse implements IncomingResponse {
  readonly endedAt = performance.now();
  private parsed: Record<string, string | string[]> | undefined;

  constructor(
    readonly status: number,
    private readonly head: string,
    readonly bytes: number,
    readonly sentAt: number,
    readonly body: Uint8Array | undefined,
  ) {}

  get headers(): Record<string, string | string[]> {
    this.parsed ??= parseHeaders(this.head);
    return this.parsed;
  }
}

/** Opens a raw-socket transport to `opts.url`. */
export function socketTransport(opts: TransportOptions): Transport {
  return new SocketPool(opts);
}
