/**
 * The topology's building blocks on hand-built inputs: balancers, breaker, retry policy, arrival
 * processes, population, closed users, timeouts and deadlines.
 */
import { describe, expect, it } from 'vitest';
import { parseArrivals } from '../../scenarios/arrivals.js';
import { parseReplayRows } from '../../scenarios/replay-file.js';
import { RandomStreams } from '../../sim/kernel/random.js';
import { Autoscaler } from '../../sim/resilience/autoscaler.js';
import { Balancer } from '../../sim/resilience/balancer.js';
import { Breaker } from '../../sim/resilience/breaker.js';
import { RetryPolicy } from '../../sim/resilience/retry.js';
import { ArrivalProcess } from '../../sim/topology/arrivals.js';
import { Population, PREMIUM } from '../../sim/topology/population.js';
import { ReplicaPool, UP } from '../../sim/topology/replicas.js';
import { runOnce, scenario } from './harness.js';

const rng = (name = 'x') => new RandomStreams(1).stream(name);

function pool(n: number): ReplicaPool {
  const p = new ReplicaPool(
    Array.from({ length: n }, () => ({ service: 0, region: 0, group: 0, workers: 1, queue: 10 })),
  );
  p.state.fill(UP);
  return p;
}

describe('balancers', () => {
  it('p2c picks the shorter queue of two', () => {
    const p = pool(2);
    p.busy[0] = 1;
    p.qlen[0] = 5;
    p.busy[1] = 1;
    const b = new Balancer('p2c', p, [0, 1], rng());
    for (let i = 0; i < 50; i++) expect(b.pick(i)).toBe(1);
  });

  it('round-robin cycles and skips replicas that are down', () => {
    const p = pool(3);
    p.down[1] = 1;
    const b = new Balancer('round-robin', p, [0, 1, 2], rng());
    expect([b.pick(0), b.pick(0), b.pick(0), b.pick(0)]).toEqual([0, 2, 0, 2]);
  });

  it('least-conn picks the emptiest replica', () => {
    const p = pool(3);
    p.busy.set([3, 1, 2]);
    expect(new Balancer('least-conn', p, [0, 1, 2], rng()).pick(0)).toBe(1);
  });

  it('random spreads uniformly and returns -1 when nothing is routable', () => {
    const p = pool(4);
    const b = new Balancer('random', p, [0, 1, 2, 3], rng());
    const seen = [0, 0, 0, 0];
    for (let i = 0; i < 40000; i++) seen[b.pick(i)]++;
    for (const n of seen) expect(Math.abs(n - 10000)).toBeLessThan(400);
    p.down.fill(1);
    expect(b.pick(0)).toBe(-1);
  });

  it('consistent hashing keeps users on their replica and moves only a crashed one’s users', () => {
    const p = pool(8);
    const b = new Balancer('hash', p, [0, 1, 2, 3, 4, 5, 6, 7], rng());
    const before = Array.from({ length: 10000 }, (_, u) => b.pick(u));
    expect(Array.from({ length: 10000 }, (_, u) => b.pick(u))).toEqual(before);
    const counts = new Array(8).fill(0);
    for (const r of before) counts[r]++;
    for (const n of counts) expect(n / 10000).toBeGreaterThan(0.08); // 64 vnodes: within ±4 % of 1/8
    p.down[3] = 1;
    let moved = 0;
    for (let u = 0; u < 10000; u++) {
      const r = b.pick(u);
      if (before[u] !== 3) expect(r).toBe(before[u]);
      else if (r !== 3) moved++;
    }
    expect(moved).toBe(counts[3]);
  });
});

describe('circuit breaker', () => {
  const opts = { failures: 0.5, window: 10, open: 5, minRequests: 20, probes: 2 };

  it('stays closed below minRequests, opens at the failure share, fails fast while open', () => {
    const b = new Breaker(opts);
    for (let i = 0; i < 19; i++) b.record(false, 1);
    expect(b.state).toBe(0);
    b.record(false, 1.5);
    expect(b.transitions).toEqual([[1.5, 'open']]);
    expect(b.allow(3)).toBe(false);
    expect(b.allow(6.5)).toBe(true); // half-open: first probe
    expect(b.allow(6.5)).toBe(true); // second probe
    expect(b.allow(6.5)).toBe(false); // no more than `probes`
    b.record(true, 6.6);
    b.record(true, 6.7);
    expect(b.transitions.map(([, s]) => s)).toEqual(['open', 'half-open', 'closed']);
  });

  it('a failed probe opens it again, and old outcomes leave the window', () => {
    const b = new Breaker(opts);
    for (let i = 0; i < 20; i++) b.record(false, 0);
    b.allow(5);
    b.record(false, 5.1);
    expect(b.transitions.map(([, s]) => s)).toEqual(['open', 'half-open', 'open']);
    const c = new Breaker(opts);
    for (let i = 0; i < 15; i++) c.record(false, 0);
    for (let i = 0; i < 15; i++) c.record(true, 11); // the failures at t=0 left the 10 s window
    for (let i = 0; i < 5; i++) c.record(false, 11);
    expect(c.state).toBe(0);
  });
});

describe('retry policy', () => {
  it('backs off exponentially with none, full and equal jitter', () => {
    const none = new RetryPolicy({ attempts: 4, backoff: 0.01, jitter: 'none' }, rng());
    expect([1, 2, 3].map((n) => none.delay(n))).toEqual([0.01, 0.02, 0.04]);
    const full = new RetryPolicy({ attempts: 4, backoff: 0.01, jitter: 'full' }, rng());
    const equal = new RetryPolicy({ attempts: 4, backoff: 0.01, jitter: 'equal' }, rng());
    let sumFull = 0;
    for (let i = 0; i < 10000; i++) {
      const f = full.delay(3);
      const e = equal.delay(3);
      expect(f).toBeGreaterThanOrEqual(0);
      expect(f).toBeLessThan(0.04);
      expect(e).toBeGreaterThanOrEqual(0.02);
      expect(e).toBeLessThan(0.04);
      sumFull += f;
    }
    expect(sumFull / 10000).toBeCloseTo(0.02, 3);
  });

  it('counts the first try in attempts and spends the budget', () => {
    const p = new RetryPolicy({ attempts: 3, backoff: 0, jitter: 'none', budget: 0.5 }, rng());
    expect(p.allow(3)).toBe(false);
    // 10 starting tokens, then half a token per first try.
    let allowed = 0;
    for (let i = 0; i < 20; i++) if (p.allow(1)) allowed++;
    expect(allowed).toBe(10);
    for (let i = 0; i < 10; i++) p.deposit();
    expect(p.allow(1)).toBe(true);
  });
});

describe('autoscaler rule', () => {
  it('asks for ceil(serving × utilization / target), ignores ±10 %, and waits out the cooldown to shrink', () => {
    const a = new Autoscaler({ min: 2, max: 10, target: 0.5, every: 15, provision: 30, cooldown: 60 });
    expect(a.decide(4, 0.52, 4, 0)).toBe(4);
    expect(a.decide(4, 1, 4, 15)).toBe(8);
    expect(a.decide(8, 0.2, 8, 30)).toBe(8); // within the cooldown of the scale-out at 15
    expect(a.decide(8, 0.2, 8, 75)).toBe(4);
    expect(a.decide(4, 5, 4, 90)).toBe(10);
  });
});

describe('arrivals', () => {
  const count = (arrivals: string, until: number, seed = 'a') => {
    const p = new ArrivalProcess(parseArrivals(arrivals), rng(seed));
    let n = 0;
    for (let t = p.next(0); t <= until; t = p.next(t)) n++;
    return n;
  };

  it('a ramp by thinning brings the integral of its rate', () => {
    // 0 → 100/s over 100 s, then 100/s for 100 s: 5000 + 10000 expected, sd ≈ 122.
    const n = count('ramp(0 -> 100/s over 100s)', 200);
    expect(Math.abs(n - 15000)).toBeLessThan(400);
  });

  it('a diurnal curve peaks and troughs where the sine does', () => {
    const p = new ArrivalProcess(parseArrivals('diurnal(mean: 100/s, amplitude: 50%, period: 400s)'), rng());
    const bins = [0, 0, 0, 0];
    for (let t = p.next(0); t <= 400; t = p.next(t)) bins[Math.floor(t / 100)]++;
    // ∫ over each quarter of 100·(1 + 0.5 sin): 10000 ± 100·0.5·400/(2π)·(1 − cos(π/2)) = ±3183.
    expect(Math.abs(bins[0] + bins[1] - 2 * 10000 - 6366)).toBeLessThan(500);
    expect(Math.abs(bins[2] + bins[3] - 2 * 10000 + 6366)).toBeLessThan(500);
  });

  it('a spike is base before and after, peak during', () => {
    const n = count('spike(base: 10/s, peak: 100/s, at: 100s, for: 50s)', 300);
    expect(Math.abs(n - (250 * 10 + 50 * 100))).toBeLessThan(300);
  });

  it('replay walks the CSV timestamps in order, header and blank lines skipped', () => {
    const times = parseReplayRows('t,user\n0.5,a\n\n0.1,b\n2,c\n').times;
    expect([...times]).toEqual([0.1, 0.5, 2]);
    const p = new ArrivalProcess(parseArrivals('replay(t.csv)'), rng(), times);
    expect([p.next(0), p.next(0.1), p.next(0.5), p.next(2)]).toEqual([0.1, 0.5, 2, Number.POSITIVE_INFINITY]);
  });
});

describe('population', () => {
  it('a million users are two bytes each, split by region share, with the premium share', () => {
    const pop = new Population(1_000_000, [0.6, 0.4], 0.25, rng());
    expect(pop.region.byteLength + pop.plan.byteLength).toBe(2_000_000);
    let eu = 0;
    let premium = 0;
    for (let u = 0; u < pop.size; u++) {
      if (pop.region[u] === 0) eu++;
      if (pop.plan[u] === PREMIUM) premium++;
    }
    expect(eu).toBe(600_000);
    expect(Math.abs(premium - 250_000)).toBeLessThan(2000);
  });
});

describe('users and requests', () => {
  it('closed users obey the response time law X = N / (Z + R)', () => {
    const t = runOnce(
      scenario(`
        duration: 20000s
        warmup: 1000s
        users: { arrivals: 'closed(users: 5, think: exp(4s))', journeys: { j: { steps: [s] } } }
        services: { s: { replicas: 1, workers: 1, queue: 100, time: exp(500ms) } }
      `),
    );
    const s = t.stats[0];
    const x = s.count / 19000;
    const r = s.latency.sum / s.latency.count;
    expect(Math.abs(x - 5 / (4 + r)) / x).toBeLessThan(0.02);
  });

  it('journeys think between steps and pick steps by weight', () => {
    const t = runOnce(
      scenario(`
        duration: 2000s
        users:
          arrivals: poisson(10/s)
          journeys: { a: { weight: 3, steps: [s, s], think: const(2s) }, b: { weight: 1, steps: [s] } }
        services: { s: { replicas: 1, workers: 100, queue: 100, time: const(100ms) } }
      `),
    );
    expect(t.stats[0].latency.sum / t.stats[0].count).toBeCloseTo(2.2, 6);
    expect(t.stats[1].latency.sum / t.stats[1].count).toBeCloseTo(0.1, 6);
    expect(Math.abs(t.stats[0].count / (t.stats[0].count + t.stats[1].count) - 0.75)).toBeLessThan(0.02);
  });

  it('a per-call timeout fails the call but the callee still does the work', () => {
    const t = runOnce(
      scenario(`
        duration: 1000s
        users: { arrivals: poisson(5/s), journeys: { j: { steps: [gw.r] } } }
        services:
          gw: { replicas: 1, workers: 100, queue: 100, time: const(0s), routes: { r: [slow] } }
          slow: { replicas: 1, workers: 100, queue: 100, time: const(200ms), timeout: 100ms }
      `),
    );
    expect(t.stats[0].errors.timeout).toBe(t.stats[0].count);
    expect(t.counts(1).timeouts).toBe(t.stats[0].count);
    expect(t.counts(1).served).toBeGreaterThanOrEqual(t.stats[0].count); // abandoned, not cancelled
  });

  it('a deadline ends the request at the deadline and downstream drops expired work unserved', () => {
    const t = runOnce(
      scenario(`
        duration: 200s
        users: { arrivals: poisson(20/s), journeys: { j: { steps: [gw.r] } } }
        services:
          gw: { replicas: 1, workers: 1000, queue: 100, time: const(0s), deadline: 500ms, routes: { r: [db] } }
          # One worker at 0.1 s per query against 20/s: hopelessly overloaded, the queue grows.
          db: { replicas: 1, workers: 1, queue: 100000, time: const(100ms) }
      `),
    );
    const s = t.stats[0];
    expect(s.errors.deadline).toBeGreaterThan(0.8 * s.count);
    expect(s.latency.maxSeconds).toBeLessThanOrEqual(0.5 + 1e-9);
    // db served at most its capacity, and skipped the rest as expired instead of serving them.
    expect(t.counts(1).served).toBeLessThanOrEqual(200 / 0.1 + 1);
    // Counted as expired: neither a full waiting room (rejected) nor an open breaker.
    expect(t.counts(1).expired).toBeGreaterThan(1000);
    expect(t.counts(1).rejected).toBe(0);
    expect(t.counts(1).breakerOpen).toBe(0);
  });
});
