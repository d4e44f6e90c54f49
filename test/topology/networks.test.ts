/**
 * Queueing networks through the request engine: Jackson's tandem and a parallel fan-out, each
 * against its closed form, with replications and 95 % intervals.
 */
import { describe, expect, it } from 'vitest';
import { meanMaxExp, tandemResponse } from '../../sim/analytic.js';
import type { TopologyOptions } from '../../sim/topology/options.js';
import { meanLatency, replicate } from './harness.js';

const exp = (mean: number) => ({ kind: 'exp' as const, mean });

describe('queueing networks', () => {
  it('a Jackson tandem of two M/M/1 has W = W1 + W2', () => {
    // λ = 0.5/s into M/M/1 (μ = 1) then M/M/1 (μ = 1.25): W = 1/(1-0.5) + 1/(1.25-0.5) = 3.3333 s.
    const opts: TopologyOptions = {
      duration: 60000,
      warmup: 1000,
      users: {
        arrivals: { kind: 'poisson', rate: 0.5 },
        journeys: [{ name: 'j', weight: 1, steps: ['a', 'b'] }],
      },
      services: [
        { name: 'a', replicas: 1, workers: 1, queue: 1e6, time: exp(1) },
        { name: 'b', replicas: 1, workers: 1, queue: 1e6, time: exp(0.8) },
      ],
    };
    const w = tandemResponse(0.5, [1, 1.25]);
    expect(w).toBeCloseTo(1 / (1 - 0.5) + 1 / (1.25 - 0.5), 12);
    const got = replicate(opts, 8, (t) => meanLatency(t));
    expect(got.ci[0]).toBeLessThanOrEqual(w);
    expect(got.ci[1]).toBeGreaterThanOrEqual(w);
    expect(Math.abs(got.mean - w) / w).toBeLessThan(0.03);
  });

  it('a fan-out to two exponential branches waits 1.5/μ on average (the mean of the max)', () => {
    // Enough workers that nobody queues: the route's time is max(S1, S2), E = 1/μ + 1/(2μ).
    const opts: TopologyOptions = {
      duration: 10000,
      warmup: 100,
      users: {
        arrivals: { kind: 'poisson', rate: 5 },
        journeys: [{ name: 'j', weight: 1, steps: ['gw.r'] }],
      },
      services: [
        {
          name: 'gw',
          replicas: 1,
          workers: 10000,
          queue: 0,
          time: { kind: 'const', value: 0 },
          routes: { r: [{ parallel: [{ call: 'a' }, { call: 'b' }] }] },
        },
        { name: 'a', replicas: 2, workers: 1000, queue: 0, time: exp(0.1) },
        { name: 'b', replicas: 2, workers: 1000, queue: 0, time: exp(0.1) },
      ],
    };
    expect(meanMaxExp(2, 10)).toBeCloseTo(0.15, 12);
    const got = replicate(opts, 6, (t) => meanLatency(t));
    expect(got.ci[0]).toBeLessThanOrEqual(0.15);
    expect(got.ci[1]).toBeGreaterThanOrEqual(0.15);
    expect(Math.abs(got.mean - 0.15) / 0.15).toBeLessThan(0.02);
  });
});
