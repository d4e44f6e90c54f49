/**
 * Faults, hedging, shedding and the timeout queues on hand-built topologies.
 */
import { describe, expect, it } from 'vitest';
import { Kernel } from '../../sim/kernel/kernel.js';
import { TimeoutQueues } from '../../sim/topology/timeouts.js';
import { runOnce, scenario } from './harness.js';

describe('faults', () => {
  it('a crash fails what the replicas held, sends new requests to the others, and they come back', () => {
    const t = runOnce(
      scenario(`
        duration: 300s
        users: { arrivals: poisson(100/s), journeys: { j: { steps: [s] } } }
        services: { s: { replicas: 4, workers: 10, queue: 100, time: exp(50ms), balance: least-conn } }
        faults: [{ at: 100s, for: 100s, crash: s, replicas: 2 }]
      `),
    );
    expect(t.replicasOverTime[0]).toEqual([
      [0, 4],
      [100, 2],
      [200, 4],
    ]);
    // About half of the ≈ 5 requests in flight at t = 100 were on the crashed replicas.
    const crashed = t.stats[0].errors.crash ?? 0;
    expect(crashed).toBeGreaterThan(0);
    expect(crashed).toBeLessThan(15);
    expect(Object.keys(t.stats[0].errors)).toEqual(['crash']);
    // While down, the crashed replicas served nothing: their share is 1/4 × 2/3 each.
    const share = (t.pool.served[0] + t.pool.served[1]) / t.counts(0).served;
    expect(share).toBeGreaterThan(0.3);
    expect(share).toBeLessThan(0.37);
  });

  it('slow adds latency for its window only', () => {
    const t = runOnce(
      scenario(`
        duration: 300s
        users: { arrivals: poisson(50/s), journeys: { j: { steps: [s] } } }
        services: { s: { replicas: 1, workers: 1000, queue: 100, time: const(10ms) } }
        faults: [{ at: 100s, for: 100s, slow: s, add: 200ms }]
      `),
    );
    // 5 s intervals (a sixtieth of the run): p50 is 210 ms in [100 s, 200 s), 10 ms elsewhere.
    expect(t.timeline.interval).toBe(5);
    const p50 = t.timeline.journeys[0].p50;
    expect(p50).toHaveLength(60);
    expect(p50.map((x) => Math.round(x / 10) * 10)).toEqual(
      p50.map((_, i) => (i >= 20 && i < 40 ? 210 : 10)),
    );
  });
});

describe('hedging and shedding', () => {
  it('a hedge after p90 cuts the tail of a heavy-tailed service for about 10 % more requests', () => {
    const base = (hedge: string) =>
      scenario(`
        duration: 500s
        warmup: 10s
        users: { arrivals: poisson(100/s), journeys: { j: { steps: [s] } } }
        services:
          s: { replicas: 10, workers: 50, queue: 100, time: 'lognormal(mu: ${Math.log(0.002)}, sigma: 1.2)', balance: p2c ${hedge} }
      `);
    // p90 of lognormal(ln 2 ms, 1.2) = 2 ms · e^(1.2 · 1.2816) ≈ 9.3 ms.
    const plain = runOnce(base(''));
    const hedged = runOnce(base(', hedge: { after: 9.3ms }'));
    const p99 = (t: ReturnType<typeof runOnce>) => t.stats[0].latency.percentileMs(99);
    expect(p99(hedged)).toBeLessThan(p99(plain) * 0.6);
    const extra = hedged.counts(0).hedges / hedged.stats[0].count;
    expect(extra).toBeGreaterThan(0.08);
    expect(extra).toBeLessThan(0.12);
  });

  it('a full waiting room sheds; with shedding off the room is unbounded', () => {
    const opts = (shed: boolean) =>
      scenario(`
        duration: 100s
        users: { arrivals: poisson(20/s), journeys: { j: { steps: [s] } } }
        services: { s: { replicas: 1, workers: 1, queue: 5, time: const(100ms), shed: ${shed} } }
      `);
    const on = runOnce(opts(true));
    expect(on.counts(0).rejected).toBeGreaterThan(900);
    expect(on.stats[0].errors.rejected).toBe(on.counts(0).rejected);
    const off = runOnce(opts(false));
    expect(off.counts(0).rejected).toBe(0);
    expect(off.meanQueue(0, off.kernel.now)).toBeGreaterThan(300);
  });
});

describe('timeout queues', () => {
  it('fire live timers in order, skip cancelled ones and keep one event armed per delay', () => {
    const k = new Kernel();
    const dead = new Set<number>();
    const fired: [number, number][] = [];
    const q = new TimeoutQueues(
      k,
      (ref) => !dead.has(ref),
      (ref) => fired.push([k.now, ref]),
    );
    const add = k.on((ref) => q.add(ref < 100 ? 1 : 2, ref));
    for (let i = 0; i < 5; i++) k.at(i * 0.1, add, i);
    k.at(0.05, add, 100);
    k.at(
      0.5,
      k.on(() => dead.add(1)),
    );
    k.run();
    expect(fired.map(([, r]) => r)).toEqual([0, 2, 3, 4, 100]);
    expect(fired[0][0]).toBeCloseTo(1, 12);
    expect(fired[4][0]).toBeCloseTo(2.05, 12);
    expect(k.fired).toBeLessThan(6 + 1 + 6);
  });
});
