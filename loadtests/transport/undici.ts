/**
 * A {@link Transport} over undici's `Pool` (keep-alive, optional pipelining), through its lowest
 * level (`dispatch` with a callback handler: no promise, no stream per request). Measured beside
 * the raw-socket pool in `npm run bench load-engine`; the faster correct one is the default.
 * Deadlines are one sweep timer over the requests in flight, as in the socket pool. undici is
 * loaded on first use (require: it is CommonJS): importing it costs every `load` 0.8 s otherwise.
 */

import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import { causeOf } from '../collector.js';
import { makeTransport, refusal } from './make-transport.js';
import { DEFAULT_MAX_PENDING, type TransportOptions } from './options.js';
import { pinnedLookup } from './pin.js';
import { type IncomingResponse, type Transport, TransportError } from './transport.js';
import { basePrefix, OWN_HEADERS } from './wire.js';

/** How often deadlines are checked (ms). */
const SWEEP_MS = 20;

/** undici's raw header pairs, turned into the interface's record only when read. */
class UndiciResponse implements IncomingResponse {
  readonly endedAt = performance.now();
  private parsed: Record<string, string | string[]> | undefined;

  constructor(
    readonly status: number,
    private readonly raw: Buffer[],
    readonly bytes: number,
    readonly sentAt: number,
    readonly body: Uint8Array | undefined,
  ) {}

  get headers(): Record<string, string | string[]> {
    if (this.parsed) return this.parsed;
    const out: Record<string, string | string[]> = Object.create(null);
    for (let i = 0; i + 1 < this.raw.length; i += 2) {
      const k = this.raw[i].toString('latin1').toLowerCase();
      const v = this.raw[i + 1].toString('latin1');
      const cur = out[k];
      out[k] = cur === undefined ? v : Array.isArray(cur) ? [...cur, v] : [cur, v];
    }
    this.parsed = out;
    return out;
  }
}

/** One request through the pool. */
interface Live {
  deadline: number;
  /** Set by undici once the request is on a connection. */
  abort: ((err?: Error) => void) | undefined;
  settled: boolean;
  fail(cause: string, message: string): void;
}

function coded(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

/** Opens an undici transport to `opts.url`; `pipelining` requests per connection (default 1). */
export function undiciTransport(opts: TransportOptions & { pipelining?: number }): Transport {
  const tls = opts.url.protocol === 'https:';
  const { Pool } = createRequire(import.meta.url)('undici') as typeof import('undici');
  const pool = new Pool(opts.url.origin, {
    connections: Math.max(1, opts.connections),
    pipelining: opts.pipelining ?? 1,
    keepAliveTimeout: 60_000,
    // The sweep enforces the whole-request deadline; undici's own timers stay out of the way.
    headersTimeout: 0,
    bodyTimeout: 0,
    connect: {
      lookup: pinnedLookup(opts.addresses),
      ...(tls && opts.ca ? { ca: opts.ca } : {}),
    },
  });
  const prefix = basePrefix(opts.url);
  const maxPending = opts.maxPending ?? DEFAULT_MAX_PENDING;
  const live = new Set<Live>();
  let waiting = 0;
  let closed = false;
  const sweep = setInterval(() => {
    const now = performance.now();
    for (const l of live) if (l.deadline <= now) l.fail('timeout', 'no complete answer before the deadline');
  }, SWEEP_MS);
  sweep.unref();

  const request: Transport['request'] = (req, so, done) => {
    const refused = refusal(req, so, closed);
    if (refused) {
      done(refused, null);
      return;
    }
    if (waiting >= maxPending) {
      done(new TransportError('no_connection', `${maxPending} requests already wait for a connection`), null);
      return;
    }
    const headers: string[] = [];
    for (const [k, v] of req.headers) if (!OWN_HEADERS.has(k.toLowerCase())) headers.push(k, v);
    let status = 0;
    let raw: Buffer[] = [];
    let bytes = 0;
    let sentAt = Number.NaN;
    const chunks: Buffer[] | undefined = so.keepBody ? [] : undefined;
    waiting++;
    const l: Live = {
      deadline: performance.now() + so.timeoutMs,
      abort: undefined,
      settled: false,
      fail: (cause, message) => {
        if (l.settled) return;
        settle();
        l.abort?.(coded('ABORTED', message));
        done(new TransportError(cause, message), null);
      },
    };
    const onAbort = () => l.fail('aborted', 'aborted');
    const settle = () => {
      l.settled = true;
      live.delete(l);
      if (Number.isNaN(sentAt)) waiting--;
      so.signal?.removeEventListener('abort', onAbort);
    };
    live.add(l);
    so.signal?.addEventListener('abort', onAbort, { once: true });
    const handler: Dispatcher.DispatchHandler = {
      onConnect: (abort) => {
        if (l.settled) {
          abort(coded('ABORTED', 'abandoned'));
          return;
        }
        if (Number.isNaN(sentAt)) waiting--;
        sentAt = performance.now();
        l.abort = abort;
      },
      onHeaders: (code, rawHeaders) => {
        // 1xx interim answers come first; the real status replaces them.
        status = code;
        raw = rawHeaders;
        return true;
      },
      onData: (chunk) => {
        bytes += chunk.length;
        if (bytes > so.maxBodyBytes) l.fail('body_too_large', `body over ${so.maxBodyBytes} bytes`);
        else chunks?.push(chunk);
        return true;
      },
      onComplete: () => {
        if (l.settled) return;
        settle();
        done(
          null,
          new UndiciResponse(status, raw, bytes, sentAt, chunks ? Buffer.concat(chunks) : undefined),
        );
      },
      onError: (err) => {
        if (l.settled) return;
        settle();
        done(new TransportError(closed ? 'aborted' : causeOf(err), err.message), null);
      },
    };
    pool.dispatch(
      {
        path: prefix + req.path,
        method: req.method as Dispatcher.HttpMethod,
        headers,
        body: req.body === undefined ? undefined : Buffer.from(req.body),
      },
      handler,
    );
  };

  return makeTransport(request, async () => {
    if (closed) return;
    closed = true;
    clearInterval(sweep);
    for (const l of [...live]) l.fail('aborted', 'aborted');
    await pool.destroy().catch(() => {});
  });
}
