/**
 * One engine: the stations fast path (`sim/queueing/`) is taken only where it gives the topology
 * engine's own results. Every scenario the fast path accepts is run both ways (the topology engine
 * forced) and the RunResults compared byte for byte, apart from what each engine samples on its own
 * clock: the per-interval timeline (HDR differences vs log buckets) and its tick events.
 */
import { readdirSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../results/run-result.js';
import { loadScenario, parseScenario } from '../scenarios/load.js';
import type { Scenario } from '../scenarios/schema.js';
import { fastPathAccepts } from '../sim/queueing/fast-path.js';
import { simulateSync } from '../sim/run.js';
import { ROOT } from './cli.js';

/** The result without what the engines sample differently; the timeline's axes are kept. */
function comparable(r: RunResult): unknown {
  const { timeline, events: _events, ...rest } = r;
  return {
    ...rest,
    axis: timeline && {
      interval: timeline.interval,
      t: timeline.t,
      replicas: Object.values(timeline.services).map((s) => s.replicas),
    },
  };
}

function bothWays(s: Scenario): { fast: string; topology: string; count: number } {
  const fast = simulateSync(s);
  const topology = simulateSync(s, { engine: 'topology' });
  const count = Object.values(fast.journeys).reduce((a, j) => a + j.count, 0);
  return { fast: JSON.stringify(comparable(fast)), topology: JSON.stringify(comparable(topology)), count };
}

const files = [
  ...readdirSync(`${ROOT}scenarios/catalog`).map((f) => `${ROOT}scenarios/catalog/${f}`),
  ...['whatif/fixtures/mm1.yaml', 'dashboard/fixtures/mm2.yaml', 'fixtures/scenarios/valid.yaml'].map(
    (f) => `${ROOT}test/${f}`,
  ),
];

describe('the stations fast path', () => {
  it('gives the topology engine’s results on every shipped scenario it accepts', () => {
    const accepted = files.filter((f) => fastPathAccepts(loadScenario(f)));
    expect(accepted.length).toBeGreaterThanOrEqual(3);
    for (const f of accepted) {
      const s = loadScenario(f, ['replications=2']);
      const short = loadScenario(f, ['replications=2', `duration=${Math.min(s.duration, s.warmup + 1000)}s`]);
      const { fast, topology, count } = bothWays(short);
      expect(count, f).toBeGreaterThan(500);
      expect(fast, f).toBe(topology);
    }
  });

  it('gives the topology engine’s results on generated plain networks, rejections included', () => {
    const service = fc.record({
      replicas: fc.integer({ min: 1, max: 3 }),
      workers: fc.integer({ min: 1, max: 4 }),
      queue: fc.integer({ min: 0, max: 6 }),
      time: fc.constantFrom(
        'exp(20ms)',
        'const(15ms)',
        'lognormal(median: 10ms, p99: 60ms)',
        'uniform(5ms, 30ms)',
      ),
    });
    const plain = fc.record({
      services: fc.array(service, { minLength: 1, maxLength: 3 }),
      journeys: fc.array(fc.array(fc.nat(2), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }),
      rate: fc.integer({ min: 20, max: 300 }),
      seed: fc.nat(1000),
    });
    fc.assert(
      fc.property(plain, (p) => {
        const svc = (i: number) => `s${i % p.services.length}`;
        const yaml = [
          'name: generated',
          `seed: ${p.seed}`,
          'duration: 60s',
          'warmup: 5s',
          'replications: 2',
          'users:',
          `  arrivals: poisson(${p.rate}/s)`,
          '  journeys:',
          ...p.journeys.map(
            (steps, j) => `    j${j}: { weight: ${j + 1}, steps: [${steps.map(svc).join(', ')}] }`,
          ),
          'services:',
          ...p.services.map(
            (s, i) =>
              `  s${i}: { replicas: ${s.replicas}, workers: ${s.workers}, queue: ${s.queue}, time: "${s.time}" }`,
          ),
        ].join('\n');
        const s = parseScenario(yaml, 'generated.yaml');
        expect(fastPathAccepts(s)).toBe(true);
        const { fast, topology, count } = bothWays(s);
        expect(count).toBeGreaterThan(0);
        expect(fast).toBe(topology);
      }),
      { numRuns: 12, seed: 16 },
    );
  });

  it('refuses every feature it does not run, and any field it does not know', () => {
    const mmc = (sets: string[]) => fastPathAccepts(loadScenario('mmc', sets));
    expect(mmc([])).toBe(true);
    for (const sets of [
      ['services.server.retry.attempts=2'],
      ['services.server.cost=0'],
      ['services.server.timeout=1s'],
      ['services.server.hedge.after=1s'],
      ['services.server.balance=p2c'],
      ['services.server.shed=false'],
      ['services.server.autoscale.max=3', 'services.server.autoscale.target=60%'],
      ['users.population=100'],
      ['services.server.discovery.ttl=5s'],
      ['users.journeys.req.think=exp(1s)'],
      ['latency.intra=1ms'],
    ]) {
      expect(mmc(sets), sets.join(' ')).toBe(false);
    }
    const s = loadScenario('mmc');
    const unknown = { ...s, services: { server: { ...s.services.server, sidecar: 'envoy' } } };
    expect(fastPathAccepts(unknown as Scenario)).toBe(false);
    expect(fastPathAccepts({ ...s, sidecars: {} } as Scenario)).toBe(false);
    // A field it does not know is fine while it holds nothing (an optional section left out).
    expect(fastPathAccepts({ ...s, sidecars: undefined } as Scenario)).toBe(true);
  });
});
