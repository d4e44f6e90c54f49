/**
 * Regions and balancing: an outage moves traffic to the other region and its latency shows in p99;
 * power-of-two-choices beats random on the tail at high load.
 */
import { describe, expect, it } from 'vitest';
import { mm1ResponseQuantile } from '../../sim/analytic.js';
import type { TopologyOptions } from '../../sim/topology/options.js';
import { replicate, runOnce } from './harness.js';

const exp = (mean: number) => ({ kind: 'exp' as const, mean });

describe('regions', () => {
  const twoRegions = (faults: TopologyOptions['faults']): TopologyOptions => ({
    duration: 600,
    warmup: 0,
    regions: [
      { name: 'eu', users: 0.5 },
      { name: 'us', users: 0.5 },
    ],
    latency: { intra: 0.0005, jitter: 0.1, pairs: [{ a: 'eu', b: 'us', oneWay: 0.04 }] },
    users: { arrivals: { kind: 'poisson', rate: 100 }, journeys: [{ name: 'j', weight: 1, steps: ['gw'] }] },
    services: [{ name: 'gw', replicas: 4, workers: 16, queue: 1000, time: exp(0.005), balance: 'p2c' }],
    faults,
  });

  it('an outage moves traffic to the other region and the failover latency shows in p99', () => {
    const calm = runOnce(twoRegions([]));
    const out = runOnce(twoRegions([{ at: 200, for: 200, kind: 'outage', region: 'us' }]));
    const served = (t: ReturnType<typeof runOnce>, region: number) => {
      let n = 0;
      for (let r = 0; r < t.pool.size; r++) if (t.pool.region[r] === region) n += t.pool.served[r];
      return n;
    };
    // Calm: each region serves its own half. Outage of a third of the run: us serves 2/3 of its
    // half, eu the rest: 1/2 + 1/6 of everything.
    expect(served(calm, 0) / (served(calm, 0) + served(calm, 1))).toBeCloseTo(0.5, 1);
    const euShare = served(out, 0) / (served(out, 0) + served(out, 1));
    expect(euShare).toBeGreaterThan(0.64);
    expect(euShare).toBeLessThan(0.69);
    // A sixth of all journeys pay two cross-region hops (≥ 80 ms): far beyond p99 of a calm run.
    const calmP99 = calm.stats[0].latency.percentileMs(99);
    const outP99 = out.stats[0].latency.percentileMs(99);
    expect(calmP99).toBeLessThan(30);
    expect(outP99).toBeGreaterThan(80);
    expect(outP99).toBeLessThan(80 * 1.1 + 40);
    // Only requests in flight in us when it went down may fail (about 0.25 of them at any time).
    const errors = out.stats[0].errors;
    expect(Object.keys(errors).filter((k) => k !== 'crash')).toEqual([]);
    expect(errors.crash ?? 0).toBeLessThan(10);
    expect(out.faults).toEqual([{ at: 200, for: 200, label: 'outage us' }]);
  });

  it('a partition keeps a region on its own replicas and fails callers with none', () => {
    const opts = twoRegions([{ at: 100, for: 100, kind: 'partition', a: 'eu', b: 'us' }]);
    opts.services = [
      { name: 'gw', regions: ['eu'], replicas: 4, workers: 16, queue: 1000, time: exp(0.005) },
    ];
    const t = runOnce(opts);
    // us users reach gw only across the partition: their calls during it are unavailable.
    const share = (t.stats[0].errors.unavailable ?? 0) / t.stats[0].count;
    // Half of the users × a sixth of the run = 1/12.
    expect(share).toBeGreaterThan(0.075);
    expect(share).toBeLessThan(0.092);
    expect(Object.keys(t.stats[0].errors)).toEqual(['unavailable']);
  });
});

describe('balancers', () => {
  it('p2c beats random on p99 at 90 % load', () => {
    const opts = (balance: 'p2c' | 'random'): TopologyOptions => ({
      duration: 1500,
      warmup: 100,
      users: { arrivals: { kind: 'poisson', rate: 90 }, journeys: [{ name: 'j', weight: 1, steps: ['s'] }] },
      services: [{ name: 's', replicas: 10, workers: 1, queue: 100000, time: exp(0.1), balance }],
    });
    const p99 = (t: ReturnType<typeof runOnce>) => t.stats[0].latency.percentileMs(99);
    const random = replicate(opts('random'), 4, p99);
    const p2c = replicate(opts('p2c'), 4, p99);
    // Random splitting makes each replica M/M/1 at ρ = 0.9: p99 = ln(100)/(μ − λ) = 4.6 s.
    const mm1p99 = mm1ResponseQuantile(9, 10, 0.99) * 1000;
    expect(mm1p99).toBeCloseTo(4605.17, 1);
    expect(Math.abs(random.mean - mm1p99) / mm1p99).toBeLessThan(0.1);
    expect(p2c.ci[1]).toBeLessThan(random.ci[0]);
    expect(p2c.mean).toBeLessThan(random.mean / 2);
  });
});
