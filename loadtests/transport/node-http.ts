/**
 * A {@link Transport} over node:http keep-alive agents: the reference implementation (slower per
 * request than the raw-socket pool, but Node's own parser), kept for comparison in the bench and
 * as a fallback.
 */
import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import { causeOf } from '../collector.js';
import { makeTransport, refusal } from './make-transport.js';
import type { TransportOptions } from './options.js';
import { pinnedLookup } from './pin.js';
import { type Transport, TransportError } from './transport.js';
import { basePrefix } from './wire.js';

/** Opens a node:http transport to `opts.url`. */
export function nodeHttpTransport(opts: TransportOptions): Transport {
  const tls = opts.url.protocol === 'https:';
  const AgentClass = tls ? https.Agent : http.Agent;
  const agent = new AgentClass({
    keepAlive: true,
    maxSockets: opts.connections,
    scheduling: 'fifo',
    lookup: pinnedLookup(opts.addresses),
    ...(tls && opts.ca ? { ca: opts.ca } : {}),
  });
  const prefix = basePrefix(opts.url);
  const live = new Set<http.ClientRequest>();
  let closed = false;

  const request: Transport['request'] = (req, so, reply) => {
    const refused = refusal(req, so, closed);
    if (refused) {
      reply(refused, null);
      return;
    }
    let sentAt = Number.NaN;
    let settled = false;
    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of req.headers) {
      const cur = headers[k];
      headers[k] = cur === undefined ? v : Array.isArray(cur) ? [...cur, v] : [cur, v];
    }
    const r = (tls ? https : http).request({
      agent,
      protocol: opts.url.protocol,
      hostname: opts.url.hostname,
      port: opts.url.port,
      method: req.method,
      path: prefix + req.path,
      headers,
    });
    live.add(r);
    const fail = (reason: string, message: string) => {
      if (settled) return;
      settled = true;
      done();
      r.destroy();
      reply(new TransportError(reason, message), null);
    };
    const timer = setTimeout(
      () => fail('timeout', `no complete answer within ${so.timeoutMs} ms`),
      so.timeoutMs,
    );
    const onAbort = () => fail('aborted', 'aborted');
    so.signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => {
      clearTimeout(timer);
      so.signal?.removeEventListener('abort', onAbort);
      live.delete(r);
    };
    r.on('socket', () => {
      sentAt = performance.now();
    });
    r.on('error', (e) => fail(causeOf(e), (e as Error).message));
    r.on('response', (res) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      res.on('data', (c: Buffer) => {
        bytes += c.length;
        if (bytes > so.maxBodyBytes) return fail('body_too_large', `body over ${so.maxBodyBytes} bytes`);
        if (so.keepBody) chunks.push(c);
      });
      res.on('error', (e) => fail(causeOf(e), e.message));
      res.on('end', () => {
        if (settled) return;
        settled = true;
        done();
        const h: Record<string, string | string[]> = {};
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) h[k] = v;
        reply(null, {
          status: res.statusCode ?? 0,
          headers: h,
          ...(so.keepBody ? { body: Buffer.concat(chunks) } : {}),
          bytes,
          sentAt,
          endedAt: performance.now(),
        });
      });
    });
    r.end(req.body);
  };

  return makeTransport(request, async () => {
    closed = true;
    for (const r of live) r.destroy(Object.assign(new Error('aborted'), { code: 'ABORTED' }));
    agent.destroy();
  });
}
