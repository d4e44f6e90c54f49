/**
 * Queueing networks through the request engine: Jackson's tandem and a parallel fan-out, each
 * against its closed form, with replications and 95 % intervals.
 */
import { describe, expect, it } from 'vitest';
import { meanMaxExp, tandemResponse } from '../../sim/analytic.js';
import { meanLatency, replicate, scenario } from './harness.js';

describe('queueing networks', () => {
  it('a Jackson tandem of two M/M/1 has W = W1 + W2', () => {
    // λ = 0.5/s into M/M/1 (μ = 1) then M/M/1 (μ = 1.25): W = 1/(1-0.5) + 1/(1.25-0.5) = 3.3333 s.
    const opts = scenario(`
      duration: 60000s
      warmup: 1000s
      users: { arrivals: poisson(0.5/s), journeys: { j: { steps: [a, b] } } }
      services:
        a: { replicas: 1, workers: 1, queue: 1000000, time: exp(1s) }
        b: { replicas: 1, workers: 1, queue: 1000000, time: exp(0.8s) }
    `);
    const w = tandemResponse(0.5, [1, 1.25]);
    expect(w).toBeCloseTo(1 / (1 - 0.5) + 1 / (1.25 - 0.5), 12);
    const got = replicate(opts, 8, (t) => meanLatency(t));
    expect(got.ci[0]).toBeLessThanOrEqual(w);
    expect(got.ci[1]).toBeGreaterThanOrEqual(w);
    expect(Math.abs(got.mean - w) / w).toBeLessThan(0.03);
  });

  it('a fan-out to two exponential branches waits 1.5/μ on average (the mean of the max)', () => {
    // Enough workers that nobody queues: the route's time is max(S1, S2), E = 1/μ + 1/(2μ).
    const opts = scenario(`
      duration: 10000s
      warmup: 100s
      users: { arrivals: poisson(5/s), journeys: { j: { steps: [gw.r] } } }
      services:
        gw: { replicas: 1, workers: 10000, queue: 0, time: const(0s), routes: { r: [{ parallel: [a, b] }] } }
        a: { replicas: 2, workers: 1000, queue: 0, time: exp(100ms) }
        b: { replicas: 2, workers: 1000, queue: 0, time: exp(100ms) }
    `);
    expect(meanMaxExp(2, 10)).toBeCloseTo(0.15, 12);
    const got = replicate(opts, 6, (t) => meanLatency(t));
    expect(got.ci[0]).toBeLessThanOrEqual(0.15);
    expect(got.ci[1]).toBeGreaterThanOrEqual(0.15);
    expect(Math.abs(got.mean - 0.15) / 0.15).toBeLessThan(0.02);
  });
});
