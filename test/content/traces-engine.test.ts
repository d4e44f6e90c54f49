/**
 * Traces from the topology engine: sampled journeys become Zipkin v2 span trees (journey → calls →
 * attempts → content), without changing what the simulation draws or reports.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../scenarios/load.js';
import { advance, build } from '../../sim/build.js';
import { RandomStreams } from '../../sim/kernel/random.js';
import { CAUSES } from '../../sim/topology/topology.js';
import { Tracer } from '../../sim/topology/tracer.js';
import { TraceWriter, type ZipkinSpan, zipkinSpanProblems } from '../../sim/topology/traces.js';
import { backline } from '../cli.js';

/** A gateway fanning out to two services, one of which reads a store and retries on errors. */
const SCENARIO = `
name: traced
seed: 5
duration: 30s
warmup: 0s
regions: { eu: { users: 60% }, us: { users: 40% } }
latency: { intra: 0.5ms, eu<->us: 40ms }
users:
  arrivals: poisson(100/s)
  journeys:
    home: { weight: 3, steps: [gateway.home] }
    read: { weight: 1, steps: [gateway.home, stores.kv] }
services:
  gateway:
    time: exp(1ms)
    routes: { home: [{ parallel: [meta.get, recs.get] }] }
  meta:
    time: exp(3ms)
    retry: { attempts: 3, backoff: 5ms }
    routes: { get: [stores.kv] }
  recs: { time: exp(10ms), timeout: 30ms, hedge: { after: 20ms } }
stores:
  kv: { shards: 6, vnodes: 16, time: exp(2ms) }
faults:
  - { at: 10s, for: 5s, errors: meta, rate: 20% }
`;

function traced(rate: number) {
  const scenario = parseScenario(SCENARIO, 'traced.yaml');
  const writer = new TraceWriter(rate, new RandomStreams(scenario.seed, 0).stream('traces'), 1e7);
  const tracer = new Tracer(writer, CAUSES);
  const model = build(scenario, scenario.seed, 0, tracer);
  advance(model, scenario.duration);
  tracer.flush(model.topology!.frames, model.kernel.now);
  return { scenario, model, writer, spans: JSON.parse(writer.toJSON()) as ZipkinSpan[] };
}

function byTrace(spans: ZipkinSpan[]): Map<string, ZipkinSpan[]> {
  const out = new Map<string, ZipkinSpan[]>();
  for (const s of spans) {
    const list = out.get(s.traceId) ?? [];
    list.push(s);
    out.set(s.traceId, list);
  }
  return out;
}

describe('traces from the topology engine', () => {
  const all = traced(1);

  it('writes spans that validate against the Zipkin v2 shape, with unique ids', () => {
    expect(all.spans.length).toBeGreaterThan(10_000);
    for (const s of all.spans) expect(zipkinSpanProblems(s)).toEqual([]);
    expect(new Set(all.spans.map((s) => s.id)).size).toBe(all.spans.length);
    const services = new Set(all.spans.map((s) => s.localEndpoint.serviceName));
    expect([...services].sort()).toEqual(['gateway', 'meta', 'recs', 'stores.kv', 'users']);
    // Resilience shows in tags: retries after the errors fault, hedges of slow recs calls.
    expect(all.spans.some((s) => s.tags?.attempt === '2')).toBe(true);
    expect(all.spans.some((s) => s.tags?.hedge === 'true')).toBe(true);
    expect(all.spans.some((s) => s.tags?.error === 'error')).toBe(true);
  });

  it('makes one tree per trace, rooted at the journey, children inside their parents', () => {
    const traces = byTrace(all.spans);
    expect(traces.size).toBe(all.writer.seen);
    for (const spans of traces.values()) {
      const roots = spans.filter((s) => s.parentId === undefined);
      expect(roots).toHaveLength(1);
      const ids = new Map(spans.map((s) => [s.id, s]));
      for (const s of spans) {
        if (s.parentId === undefined) continue;
        const parent = ids.get(s.parentId);
        expect(parent).toBeDefined();
        // A CLIENT call's SERVER attempt can outlive it (an abandoned try); everything else nests.
        if (parent?.kind !== 'CLIENT' || s.kind !== 'SERVER' || s.localEndpoint.serviceName === 'stores.kv') {
          expect(s.timestamp).toBeGreaterThanOrEqual(parent?.timestamp ?? 0);
        }
      }
      // Every span reaches the root by parent links (no cycles, no second tree).
      for (const s of spans) {
        let at: ZipkinSpan | undefined = s;
        for (let hops = 0; at?.parentId !== undefined && hops < 100; hops++) at = ids.get(at.parentId);
        expect(at).toBe(roots[0]);
      }
    }
  });

  it('gives each root the journey latency the engine recorded', () => {
    const roots = all.spans.filter((s) => s.parentId === undefined && !s.tags?.error && !s.tags?.unfinished);
    for (const [j, stats] of all.model.journeys.stats.entries()) {
      const mine = roots.filter((s) => s.name === stats.name);
      expect(mine.length, `journey ${j}`).toBe(stats.latency.count);
      const sumUs = mine.reduce((a, s) => a + s.duration, 0);
      // Each duration is rounded to the microsecond: at most 0.5 µs off per journey.
      expect(Math.abs(sumUs - stats.latency.sum * 1e6)).toBeLessThanOrEqual(0.5 * mine.length + 1);
    }
  });

  it('samples about the requested share of journeys, deterministically', () => {
    const a = traced(0.05);
    const roots = a.spans.filter((s) => s.parentId === undefined).length;
    expect(a.writer.seen).toBe(all.writer.seen);
    expect(roots / a.writer.seen).toBeGreaterThan(0.042);
    expect(roots / a.writer.seen).toBeLessThan(0.058);
    expect(traced(0.05).writer.toJSON()).toBe(a.writer.toJSON());
    // Tracing draws from its own stream: the model measures the same with and without it.
    const scenario = parseScenario(SCENARIO, 'traced.yaml');
    const plain = build(scenario, scenario.seed, 0);
    advance(plain, scenario.duration);
    expect(plain.kernel.fired).toBe(a.model.kernel.fired);
    expect(plain.journeys.stats[0].latency.sum).toBe(a.model.journeys.stats[0].latency.sum);
  });

  it('backline sim --traces writes the file and leaves the --json result byte-identical', () => {
    const dir = mkdtempSync(join(tmpdir(), 'backline-traces-'));
    const file = join(dir, 'traced.yaml');
    writeFileSync(file, SCENARIO);
    const out = join(dir, 'spans.json');
    const plain = backline(['sim', file, '--json', '--no-history']);
    const withTraces = backline([
      'sim',
      file,
      '--json',
      '--no-history',
      '--traces',
      out,
      '--trace-sample',
      '10%',
    ]);
    expect(plain.code).toBe(0);
    expect(withTraces.code).toBe(0);
    expect(withTraces.stdout).toBe(plain.stdout);
    const spans = JSON.parse(readFileSync(out, 'utf8')) as ZipkinSpan[];
    const roots = spans.filter((s) => s.parentId === undefined).length;
    expect(roots).toBeGreaterThan(250);
    expect(roots).toBeLessThan(350);
    for (const s of spans) expect(zipkinSpanProblems(s)).toEqual([]);
    expect(backline(['sim', file, '--traces', out, '--trace-sample', '150%']).code).toBe(2);
  });
});
