/**
 * W3C `tracestate` through the twin: what each of its replicas receives is read on the wire (Node's
 * `http.server.request.start` diagnostics channel sees every request's headers), so "passed on
 * unchanged" is checked hop by hop — edge → api → catalog → storage is three hops — not inferred from
 * exported spans. The exported spans carry it too (OTLP `traceState`), and invalid values are dropped
 * as the W3C recommendation requires.
 */
import diagnostics from 'node:diagnostics_channel';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTracestate } from '../../loadtests/twin/trace-context.js';
import { startTwin, type Twin } from '../../loadtests/twin/twin.js';
import { loadScenario } from '../../scenarios/load.js';

const FIXTURE = 'test/metrics/fixtures/twin-trace.yaml';
const PARENT = '00f067aa0ba902b7';
/** A trace id per request, so each request's hops can be told apart. */
const traceId = (i: number) => `${'4bf92f3577b34da6a3ce929d0e0e'}${String(i).padStart(4, '0')}`;
const traceparent = (i: number) => `00-${traceId(i)}-${PARENT}-01`;

// Optional whitespace, a multi-tenant key, `/`, `+` and a space inside values: valid, and not what a
// parser that re-serializes would write back.
const STATE = 'congo=t61rcWkgMzE,  rojo=00f067aa0ba902b7 ,tenant@vendor=a/b+c d';
const STATES = {
  valid: STATE,
  uppercaseKey: 'Congo=1',
  noEquals: 'congo',
  duplicateKey: 'congo=1,congo=2',
  protoKey: '__proto__=1',
  tooMany: Array.from({ length: 33 }, (_, i) => `k${i}=v`).join(','),
  tabInValue: 'congo=1,rojo=a\tb',
  equalsInValue: 'congo=a=b',
} as const;

/** Headers each replica received, by trace id. */
const seen = new Map<string, { url: string; traceparent?: string; tracestate?: string }[]>();
const onRequest = (m: unknown) => {
  const req = (m as { request: http.IncomingMessage }).request;
  const tp = req.headers.traceparent;
  const id = typeof tp === 'string' ? tp.split('-')[1] : undefined;
  if (!id) return;
  const list = seen.get(id) ?? [];
  list.push({
    url: req.url ?? '',
    traceparent: tp as string,
    ...(req.headers.tracestate === undefined ? {} : { tracestate: String(req.headers.tracestate) }),
  });
  seen.set(id, list);
};

/** OTLP JSON spans' trace state by trace id (the parts read here). */
const exported = new Map<string, Set<string>>();
const receiver = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    if (req.url === '/v1/traces') {
      const parsed = JSON.parse(body) as {
        resourceSpans: { scopeSpans: { spans: { traceId: string; traceState?: string }[] }[] }[];
      };
      for (const rs of parsed.resourceSpans)
        for (const ss of rs.scopeSpans)
          for (const s of ss.spans) {
            const set = exported.get(s.traceId) ?? new Set<string>();
            set.add(s.traceState ?? '');
            exported.set(s.traceId, set);
          }
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});

describe('tracestate through the twin', () => {
  let twin: Twin;
  const names = Object.keys(STATES) as (keyof typeof STATES)[];
  beforeAll(async () => {
    diagnostics.subscribe('http.server.request.start', onRequest);
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const otlp = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    twin = await startTwin(loadScenario(FIXTURE, []), { tracing: { otlp } });
    const e = twin.endpoints.url;
    for (const [i, name] of names.entries()) {
      const r = await fetch(`${e}/journeys/browse`, {
        headers: { traceparent: traceparent(i), tracestate: STATES[name] },
      });
      await r.arrayBuffer();
      expect(r.status).toBe(200);
    }
    // A valid tracestate beside a traceparent the twin must ignore (uppercase hex): both dropped.
    const r = await fetch(`${e}/journeys/browse`, {
      headers: { traceparent: `00-${traceId(99).toUpperCase()}-${PARENT}-01`, tracestate: STATE },
    });
    await r.arrayBuffer();
    await twin.stop();
  }, 30_000);
  afterAll(async () => {
    diagnostics.unsubscribe('http.server.request.start', onRequest);
    await new Promise<void>((r) => receiver.close(() => r()));
  });

  it('reaches every hop of the journey unchanged, byte for byte (edge, api, catalog, storage, reviews, pricing)', () => {
    const hops = seen.get(traceId(names.indexOf('valid')))!;
    // The edge's request and the five service calls of a browse journey.
    expect(hops.map((h) => h.url).sort()).toEqual([
      '/journeys/browse',
      '/routes/',
      '/routes/',
      '/routes/',
      '/routes/browse',
      '/routes/list',
    ]);
    for (const h of hops) expect(h.tracestate, h.url).toBe(STATE);
    // Each hop's traceparent names its caller's span: six hops, six distinct parents.
    expect(new Set(hops.map((h) => h.traceparent)).size).toBe(6);
  });

  it('is in the exported spans of that trace (OTLP traceState)', () => {
    const states = exported.get(traceId(names.indexOf('valid')));
    expect(states?.size).toBe(1);
    // OpenTelemetry re-serializes the list: same members, same order, without the spaces.
    expect([...states!][0]).toBe('congo=t61rcWkgMzE,rojo=00f067aa0ba902b7,tenant@vendor=a/b+c d');
  });

  it('is dropped when invalid: the inner hops get the traceparent alone', () => {
    for (const name of names.filter((n) => n !== 'valid')) {
      const hops = seen.get(traceId(names.indexOf(name)))!;
      expect(hops, name).toHaveLength(6);
      const inner = hops.filter((h) => h.url !== '/journeys/browse');
      expect(
        inner.map((h) => h.tracestate),
        name,
      ).toEqual(Array(5).fill(undefined));
    }
  });

  it('is dropped with the traceparent it came with when that one is ignored', () => {
    // The edge starts a new trace: no hop after it carries the client's trace id or its state.
    const client = traceId(99).toUpperCase();
    expect(seen.get(client)?.map((h) => h.url)).toEqual(['/journeys/browse']);
    const fresh = [...seen.entries()].filter(
      ([id]) => id !== client && !names.some((_, i) => traceId(i) === id),
    );
    expect(fresh).toHaveLength(1);
    const [, hops] = fresh[0];
    expect(hops).toHaveLength(5);
    for (const h of hops) expect(h.tracestate).toBeUndefined();
  });
});

describe('parseTracestate', () => {
  it('keeps a valid list exactly as written and joins repeated headers into one list', () => {
    expect(parseTracestate(STATE)).toBe(STATE);
    expect(parseTracestate(['a=1', 'b=2'])).toBe('a=1,b=2');
    expect(parseTracestate('a=1,,b=2')).toBe('a=1,,b=2');
  });

  it('drops what the recommendation says to drop', () => {
    for (const bad of [
      undefined,
      '',
      ' , ',
      ...Object.entries(STATES)
        .filter(([k]) => k !== 'valid')
        .map(([, v]) => v),
      'a=1\r\nx-injected: 1',
      'a=\u0001',
      'a=é',
      `k=${'v'.repeat(257)}`,
      `${'k'.repeat(257)}=v`,
      '=v',
    ])
      expect(parseTracestate(bad), JSON.stringify(bad)).toBeUndefined();
  });
});
