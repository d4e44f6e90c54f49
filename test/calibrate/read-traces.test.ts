import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JsonStreamReader } from '../../results/calibrate/json-stream.js';
import { readTraces } from '../../results/calibrate/read-traces.js';
import { ScenarioError } from '../../results/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'backline-read-traces-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A Zipkin span of trace t (times in µs). */
function span(t: number, id: string, kind: string, name: string, at: number, duration: number, more = {}) {
  const service = kind === 'SERVER' && name === 'auth' ? 'auth' : 'gateway';
  return {
    traceId: `t${t}`,
    id,
    kind,
    name,
    timestamp: at,
    duration,
    localEndpoint: { serviceName: service },
    ...more,
  };
}

/** Trace t: a gateway SERVER span of 10 ms with two parallel CLIENT calls (1-4 ms, 2-6 ms) → 5 ms self. */
function trace(t: number): Record<string, unknown>[] {
  const at = 1_000_000 * t;
  const parentId = `g${t}`;
  return [
    span(t, `c${t}a`, 'CLIENT', 'auth', at + 1000, 3000, { parentId }),
    // Quotes, an escaped backslash and brackets inside a string must not end the span early.
    span(t, parentId, 'SERVER', 'play', at, 10_000, { tags: { note: 'é"\\]}' } }),
    span(t, `c${t}b`, 'CLIENT', 'metadata', at + 2000, 4000, { parentId }),
    span(t, `a${t}`, 'SERVER', 'auth', at + 1100, 2000 + t, { parentId: `c${t}a` }),
  ];
}

function parseError(path: string): string {
  try {
    readTraces(path);
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    const i = e.issues[0];
    return `${i.line}:${i.col} ${i.message}`;
  }
  throw new Error('no error');
}

describe('reading traces as a stream', () => {
  const n = 4000;
  const spans = Array.from({ length: n }, (_, t) => trace(t));

  it('a flat array over several 1 MiB chunks, an array of traces and one span per line give the same self times', () => {
    // Children before parents, and a trace's spans spread over the file (not grouped by trace).
    const flat = [...spans.map((s) => s.slice(0, 2)), ...spans.map((s) => s.slice(2))].flat();
    const files = {
      flat: JSON.stringify(flat, null, 2),
      traces: JSON.stringify(spans),
      ndjson: `${flat.map((s) => JSON.stringify(s)).join('\r\n')}\n`,
    };
    expect(files.flat.length).toBeGreaterThan(3 * 2 ** 20);
    for (const [name, text] of Object.entries(files)) {
      const f = join(dir, `${name}.json`);
      writeFileSync(f, text);
      const r = readTraces(f);
      expect(r.format, name).toBe('zipkin');
      expect(r.spans, name).toBe(4 * n);
      const gw = r.perService.get('gateway');
      expect(gw?.self.length, name).toBe(n);
      // 10 ms minus the union of [1, 4] and [2, 6] ms = 5 ms, every time.
      expect(Math.min(...(gw?.self ?? [])), name).toBeCloseTo(0.005, 9);
      expect(Math.max(...(gw?.self ?? [])), name).toBeCloseTo(0.005, 9);
      expect(gw?.fanout.get('play')?.calls.get('metadata'), name).toBe(n);
      const auth = r.perService.get('auth')?.self ?? [];
      expect(
        auth.reduce((a, b) => a + b, 0),
        name,
      ).toBeCloseTo((2000 * n + (n * (n - 1)) / 2) / 1e6, 6);
    }
  });

  it('span ids are matched within their trace: two traces reusing ids keep their own children', () => {
    // Zipkin ids are unique within a trace only; before the join keyed on (trace, id), both calls
    // below hung under trace a's server span (self times 4 ms and 10 ms instead of 7 ms and 4 ms).
    const reuse = ['a', 'b'].flatMap((t, i) => [
      {
        traceId: t,
        id: 'g',
        kind: 'SERVER',
        name: 'play',
        timestamp: 0,
        duration: 10_000,
        localEndpoint: { serviceName: 'gateway' },
      },
      {
        traceId: t,
        id: 'c',
        parentId: 'g',
        kind: 'CLIENT',
        name: 'auth',
        timestamp: 1000,
        duration: 3000 * (i + 1),
        localEndpoint: { serviceName: 'gateway' },
      },
    ]);
    const f = join(dir, 'reuse.json');
    writeFileSync(f, JSON.stringify(reuse));
    const self = readTraces(f).perService.get('gateway')?.self ?? [];
    expect(self.map((x) => Math.round(x * 1e6)).sort((x, y) => x - y)).toEqual([4000, 7000]);
  });

  it('a syntax error deep in a large file is located at its line and column', () => {
    const lines = spans.flat().map((s) => JSON.stringify(s));
    lines[9000] = lines[9000].replace('"kind":', '"kind" ');
    const f = join(dir, 'broken-deep.json');
    writeFileSync(f, `[\n${lines.join(',\n')}\n]`);
    const col = lines[9000].indexOf('"kind" ') + 8;
    expect(parseError(f)).toMatch(new RegExp(`^9002:${col} not JSON`));
    // Between values: a missing comma, found by the reader's own grammar.
    const g = join(dir, 'missing-comma.json');
    writeFileSync(g, `[\n${lines.slice(0, 3).join('\n')}]`);
    expect(parseError(g)).toBe(`3:1 not JSON: expected ',' or ']' but found '{'`);
    const h = join(dir, 'cut.json');
    writeFileSync(h, `[\n${lines.slice(0, 3).join(',\n').slice(0, -20)}`);
    expect(parseError(h)).toMatch(/^4:\d+ not JSON/);
  });

  it('the reader keeps a value split anywhere across chunks, multi-byte characters included', () => {
    // Runs of backslashes before quotes (odd: an escaped quote; even: the string ends), cut anywhere.
    const text =
      '{"data": [{"a": "é\\"}]", "b": [1, {"c": null}], "d": "\\\\", "e": "x\\\\\\"y\\\\"}, 2e3], "total": -1.5}';
    const bytes = Buffer.from(text);
    for (let cut = 1; cut < bytes.length; cut++) {
      const seen: unknown[] = [];
      const r = new JsonStreamReader({
        enter: (p, kind) => p.length === 0 || (p[0] === 'data' && kind === 'array' && p.length === 1),
        onValue: (p, v) => seen.push([p.join('.'), v]),
        leave: () => {},
      });
      r.feed(bytes.subarray(0, cut));
      r.feed(bytes.subarray(cut));
      r.end();
      expect(seen, `cut at ${cut}`).toEqual([
        ['data.0', { a: 'é"}]', b: [1, { c: null }], d: '\\', e: 'x\\"y\\' }],
        ['data.1', 2000],
        ['total', -1.5],
      ]);
    }
  });

  it('a top-level object that is neither Jaeger nor a span, and a top-level scalar, are refused', () => {
    const f = join(dir, 'proto.json');
    writeFileSync(f, '{"__proto__": {"id": "x"}, "data": 3}');
    expect(parseError(f)).toContain('expected Zipkin v2 JSON');
    writeFileSync(f, '42');
    expect(parseError(f)).toContain('expected Zipkin v2 JSON');
    expect(({} as Record<string, unknown>).id).toBeUndefined();
  });
});

describe('calls made under internal spans', () => {
  // OpenTelemetry and Sleuth put INTERNAL spans (Zipkin: no kind; Jaeger: span.kind internal)
  // between a SERVER span and the CLIENT calls made inside it; the calls still are the server's.
  const zipkinSpan = (
    id: string,
    parentId: string | undefined,
    kind: string | undefined,
    at: number,
    d: number,
  ) => ({
    traceId: 't',
    id,
    ...(parentId ? { parentId } : {}),
    ...(kind ? { kind } : {}),
    name: id,
    timestamp: at,
    duration: d,
    localEndpoint: { serviceName: 'gateway' },
  });

  /** gateway's self times (µs) and calls from `g` to `c`, read from `doc` written to `name`. */
  const gatewayOf = (name: string, doc: unknown) => {
    const f = join(dir, name);
    writeFileSync(f, JSON.stringify(doc));
    const gw = readTraces(f).perService.get('gateway');
    return { self: gw?.self.map((x) => Math.round(x * 1e6)), calls: gw?.fanout.get('g')?.calls.get('c') };
  };

  it('a CLIENT span under an internal span under a SERVER span counts against that server (Zipkin)', () => {
    const spans = [
      zipkinSpan('g', undefined, 'SERVER', 0, 10_000),
      zipkinSpan('i1', 'g', undefined, 500, 9000),
      zipkinSpan('i2', 'i1', undefined, 600, 8000),
      zipkinSpan('c', 'i2', 'CLIENT', 1000, 6000),
    ];
    const gw = gatewayOf('internal.json', spans);
    expect(gw.self).toEqual([4000]);
    expect(gw.calls).toBe(1);
  });

  it('the same through Jaeger’s span.kind internal', () => {
    const tag = (v: string) => [{ key: 'span.kind', type: 'string', value: v }];
    const s = (spanID: string, parent: string | undefined, kind: string, at: number, d: number) => ({
      traceID: 't',
      spanID,
      operationName: spanID,
      references: parent ? [{ refType: 'CHILD_OF', traceID: 't', spanID: parent }] : [],
      startTime: at,
      duration: d,
      processID: 'p1',
      tags: tag(kind),
    });
    const doc = {
      data: [
        {
          traceID: 't',
          processes: { p1: { serviceName: 'gateway' } },
          spans: [
            s('g', undefined, 'server', 0, 10_000),
            s('i', 'g', 'internal', 500, 9000),
            s('c', 'i', 'client', 1000, 6000),
          ],
        },
      ],
    };
    expect(gatewayOf('internal-jaeger.json', doc).self).toEqual([4000]);
  });

  it('internal spans whose parents form a cycle end the walk: the call is nobody’s, nothing hangs', () => {
    const spans = [
      zipkinSpan('g', undefined, 'SERVER', 0, 10_000),
      zipkinSpan('x', 'y', undefined, 500, 9000),
      zipkinSpan('y', 'x', undefined, 600, 8000),
      zipkinSpan('c', 'x', 'CLIENT', 1000, 6000),
    ];
    expect(gatewayOf('cycle.json', spans).self).toEqual([10_000]);
  });
});
