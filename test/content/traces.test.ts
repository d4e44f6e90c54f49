import { describe, expect, it } from 'vitest';
import { RandomStreams } from '../../sim/kernel/random.js';
import { TRACE_EPOCH_US, TraceWriter, zipkinSpanProblems } from '../../sim/topology/traces.js';

/** A synthetic play: gateway → auth, then metadata ∥ license, then a CDN fetch. */
function syntheticPlay(w: TraceWriter, t0: number): void {
  const trace = w.startTrace();
  if (!trace) return;
  const root = w.span(trace, 'get /play', 'gateway', t0, t0 + 0.12, {
    kind: 'SERVER',
    tags: { journey: 'play' },
  });
  w.span(trace, 'auth.check', 'auth', t0 + 0.001, t0 + 0.004, { parentId: root, kind: 'CLIENT' });
  w.span(trace, 'metadata.track', 'metadata', t0 + 0.005, t0 + 0.02, { parentId: root });
  w.span(trace, 'license.check', 'license', t0 + 0.005, t0 + 0.03, { parentId: root });
  w.span(trace, 'cdn.fetch', 'cdn-eu-west', t0 + 0.03, t0 + 0.12, {
    parentId: root,
    tags: { 'cdn.hit': 'false', 'cdn.edge': 'eu-west' },
  });
}

describe('Zipkin v2 traces', () => {
  it('writes spans that validate against the v2 span shape', () => {
    const w = new TraceWriter(1, new RandomStreams(1).stream('traces'));
    syntheticPlay(w, 1.5);
    const spans = JSON.parse(w.toJSON()) as Record<string, unknown>[];
    expect(spans).toHaveLength(5);
    for (const s of spans) expect(zipkinSpanProblems(s)).toEqual([]);
    const [root, auth] = spans;
    expect(root.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(root.id).toMatch(/^[0-9a-f]{16}$/);
    expect(root.parentId).toBeUndefined();
    expect(auth.parentId).toBe(root.id);
    expect(auth.traceId).toBe(root.traceId);
    expect(root.timestamp).toBe(TRACE_EPOCH_US + 1_500_000);
    expect(root.duration).toBe(120_000);
    expect(auth.duration).toBe(3000);
    expect(root.localEndpoint).toEqual({ serviceName: 'gateway' });
    expect(spans[4].tags).toEqual({ 'cdn.hit': 'false', 'cdn.edge': 'eu-west' });
  });

  it('finds what is wrong with a malformed span', () => {
    expect(
      zipkinSpanProblems({
        traceId: 'XYZ',
        id: '123',
        name: '',
        timestamp: 1.5,
        duration: 0,
        localEndpoint: {},
      }),
    ).toEqual([
      'traceId must be 16 or 32 lower-hex',
      'id must be 16 lower-hex',
      'name must be a non-empty string',
      'timestamp must be positive integer epoch microseconds',
      'duration must be an integer >= 1 microsecond',
      'localEndpoint.serviceName must be a non-empty string',
    ]);
  });

  it('samples about the asked share of traces, the same ones for the same seed', () => {
    const a = new TraceWriter(0.1, new RandomStreams(2).stream('traces'));
    const b = new TraceWriter(0.1, new RandomStreams(2).stream('traces'));
    for (let i = 0; i < 10_000; i++) {
      syntheticPlay(a, i);
      syntheticPlay(b, i);
    }
    expect(a.spans.length / 5 / 10_000).toBeGreaterThan(0.09);
    expect(a.spans.length / 5 / 10_000).toBeLessThan(0.11);
    expect(a.toJSON()).toBe(b.toJSON());
  });

  it('caps the spans kept', () => {
    const w = new TraceWriter(1, new RandomStreams(3).stream('traces'), 12);
    for (let i = 0; i < 10; i++) syntheticPlay(w, i);
    expect(w.spans.length).toBe(12);
  });
});
