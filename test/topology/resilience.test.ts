/**
 * Resilience mechanisms against what they should do: retries multiply offered load by the expected
 * factor, a breaker opens during an errors fault and closes after it, an autoscaler follows a step.
 */
import { describe, expect, it } from 'vitest';
import { expectedTries } from '../../sim/resilience/retry.js';
import { replicate, runOnce, scenario } from './harness.js';

describe('retries', () => {
  it('under error rate p, 3 attempts multiply offered load by 1 + p + p²', () => {
    const p = 0.3;
    const opts = scenario(`
      duration: 2000s
      users: { arrivals: poisson(20/s), journeys: { j: { steps: [api] } } }
      services:
        api: { replicas: 2, workers: 50, queue: 1000, time: exp(10ms), retry: { attempts: 3, backoff: 10ms, jitter: full } }
      faults: [{ at: 0s, for: 2000s, errors: api, rate: 30% }]
    `);
    const factor = expectedTries(p, 3);
    expect(factor).toBeCloseTo(1.39, 12);
    const got = replicate(opts, 6, (t) => t.counts(0).served / t.stats[0].count);
    expect(got.ci[0]).toBeLessThanOrEqual(factor);
    expect(got.ci[1]).toBeGreaterThanOrEqual(factor);
    expect(Math.abs(got.mean - factor) / factor).toBeLessThan(0.01);
    // What still fails is the share whose every try failed: p³.
    const errors = replicate(opts, 6, (t) => (t.stats[0].errors.error ?? 0) / t.stats[0].count);
    expect(Math.abs(errors.mean - p ** 3) / p ** 3).toBeLessThan(0.05);
  });

  it('a retry budget of 10 % caps retries near a tenth of first tries', () => {
    const opts = scenario(`
      duration: 2000s
      users: { arrivals: poisson(50/s), journeys: { j: { steps: [api] } } }
      services:
        api:
          { replicas: 1, workers: 100, queue: 1000, time: exp(10ms), retry: { attempts: 5, backoff: 1ms, jitter: none, budget: 10% } }
      faults: [{ at: 0s, for: 2000s, errors: api, rate: 90% }]
    `);
    const t = runOnce(opts);
    const ratio = t.counts(0).retries / t.stats[0].count;
    expect(ratio).toBeGreaterThan(0.095);
    expect(ratio).toBeLessThan(0.105);
  });
});

describe('circuit breaker', () => {
  it('opens during an errors fault and closes after it', () => {
    const opts = scenario(`
      duration: 400s
      users: { arrivals: poisson(50/s), journeys: { j: { steps: [api] } } }
      services:
        api:
          replicas: 2
          workers: 20
          queue: 100
          time: exp(10ms)
          breaker: { failures: 50%, window: 10s, open: 5s, minRequests: 20, probes: 3 }
      faults: [{ at: 100s, for: 100s, errors: api, rate: 80% }]
    `);
    const t = runOnce(opts);
    const tr = t.serviceStats(0, t.kernel.now).breaker!;
    const first = tr[0];
    expect(first[1]).toBe('open');
    // The 10 s window still holds the healthy outcomes from before the fault: at 50/s and 80 %
    // errors, failures reach half of the window's 500 outcomes when 40·x = 250, x ≈ 6.25 s in.
    expect(first[0]).toBeGreaterThanOrEqual(105);
    expect(first[0]).toBeLessThan(108);
    // While the fault lasts it cycles open → half-open → open; after it, one probe round closes it.
    const during = tr.filter(([at]) => at < 200);
    expect(during.filter(([, s]) => s === 'open').length).toBeGreaterThan(5);
    const last = tr[tr.length - 1];
    expect(last[1]).toBe('closed');
    expect(last[0]).toBeGreaterThanOrEqual(200);
    expect(last[0]).toBeLessThan(200 + 5 + 1);
    expect(tr.filter(([at]) => at > last[0] + 1e-9)).toHaveLength(0);
    // Open means failing fast: the calls it refused show as `breaker_open` errors, not as served, and
    // are counted apart from queue-full rejections (one call per journey, no retries: one each).
    expect(t.stats[0].errors.breaker_open).toBeGreaterThan(1000);
    expect(t.counts(0).breakerOpen).toBe(t.stats[0].errors.breaker_open);
    expect(t.counts(0).rejected).toBe(0);
    expect(t.stats[0].errors).not.toHaveProperty('breaker');
  });
});

describe('autoscaling', () => {
  /** One autoscaled service (10 req/s per replica, target 50 %) under a load step at t = 300 s. */
  const step = (base: number, peak: number, replicas: number, queue: number) =>
    scenario(`
      duration: 900s
      users: { arrivals: 'spike(base: ${base}/s, peak: ${peak}/s, at: 300s, for: 600s)', journeys: { j: { steps: [api] } } }
      services:
        api:
          replicas: ${replicas}
          workers: 1
          queue: ${queue}
          time: exp(100ms)
          balance: least-conn
          autoscale: { min: 2, max: 40, target: 50%, every: 15s, provision: 30s, cooldown: 60s }
    `);

  it('peaks where the HPA rule says: a load needing 8 replicas gets 8, not 12 (provision = 2 × every)', () => {
    // 1 worker × exp(100 ms) = 10 req/s per replica, target 50 % = 5 req/s each. λ steps from
    // 20/s (4 replicas) to 40/s at t = 300 s: ceil(40 / 5) = 8. At 315 the 4 saturated replicas ask
    // for ceil(4 × 1.0 / 0.5) = 8; those are ready at 345, the very instant of a check whose window
    // (330..345) saw only the first 4 at ~100 %. Counting the 4 new ones as measured gave
    // ceil(8 × u / 0.5) ≈ 12–16 (peak 12 on main); the backlog of 300..345 may justify one or two more.
    const opts = step(20, 40, 4, 10000);
    const series = runOnce(opts).replicasOverTime[0];
    const peak = Math.max(...series.map(([, n]) => n));
    expect(peak).toBeGreaterThanOrEqual(8);
    expect(peak).toBeLessThanOrEqual(10);
    expect(series.filter(([at]) => at >= 600).every(([, n]) => n >= 7 && n <= 10)).toBe(true);
  });

  it('follows a step in load to its target within 1 + provision/every intervals', () => {
    // 1 worker × exp(100 ms) = 10 req/s per replica; target 50 %. λ: 50/s → 100/s at t = 300 s,
    // so the right count steps from 10 to 20. The first evaluation after the step (t = 315) sees
    // saturation and asks for 20; they serve after the 30 s provisioning: by t = 345.
    const opts = step(50, 100, 10, 1000);
    const t = runOnce(opts);
    const series = t.replicasOverTime[0];
    const before = series.filter(([at]) => at < 300);
    expect(before.every(([, n]) => n >= 9 && n <= 11)).toBe(true);
    const every = 15;
    const deadline = 300 + (1 + Math.ceil(30 / every)) * every;
    const reached = series.find(([at, n]) => at >= 300 && n >= 19);
    expect(reached).toBeDefined();
    expect(reached![0]).toBeLessThanOrEqual(deadline);
    const after = series.filter(([at]) => at >= deadline + 60);
    expect(after.every(([, n]) => n >= 18 && n <= 23)).toBe(true);
    expect(t.serving(0)).toBeGreaterThanOrEqual(18);
    expect(t.serving(0)).toBeLessThanOrEqual(23);
  });
});
