/**
 * Regions and balancing: an outage moves traffic to the other region and its latency shows in p99;
 * power-of-two-choices beats random on the tail at high load.
 */
import { describe, expect, it } from 'vitest';
import { mm1ResponseQuantile } from '../../sim/analytic.js';
import { replicate, runOnce, scenario } from './harness.js';

describe('regions', () => {
  const twoRegions = (faults: string, gw = 'balance: p2c') =>
    scenario(`
      duration: 600s
      regions: { eu: { users: 50% }, us: { users: 50% } }
      latency: { intra: 0.5ms, jitter: 10%, eu<->us: 40ms }
      users: { arrivals: poisson(100/s), journeys: { j: { steps: [gw] } } }
      services: { gw: { replicas: 4, workers: 16, queue: 1000, time: exp(5ms), ${gw} } }
      faults: [${faults}]
    `);

  it('an outage moves traffic to the other region and the failover latency shows in p99', () => {
    const calm = runOnce(twoRegions(''));
    const out = runOnce(twoRegions('{ at: 200s, for: 200s, outage: us }'));
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
    const t = runOnce(twoRegions('{ at: 100s, for: 100s, partition: eu<->us }', 'regions: [eu]'));
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
    const opts = (balance: 'p2c' | 'random') =>
      scenario(`
        duration: 1500s
        warmup: 100s
        users: { arrivals: poisson(90/s), journeys: { j: { steps: [s] } } }
        services: { s: { replicas: 10, workers: 1, queue: 100000, time: exp(100ms), balance: ${balance} } }
      `);
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
