/**
 * How many journeys the twin-vs-simulation judgement needs (loadtests/twin/accuracy.ts), checked
 * with a *perfect* twin: journeys drawn, seeded, from exactly the distributions the simulation
 * models, so the only gap left is the draw. `breaker`'s `profile` (gateway exp(100 ms), then auth
 * exp(100 ms)) is the case that failed: its p99 judged on the 42 journeys of a 5 s run measured
 * 429.8 ms against 676.4 ms predicted, with nothing wrong in either the twin or the simulation.
 */
import { describe, expect, it } from 'vitest';
import { comparisonTable } from '../../cli/comparison-table.js';
import {
  journeysNeeded,
  journeysShort,
  judge,
  percentileSpread,
  predictedHistogram,
} from '../../loadtests/twin/accuracy.js';
import { LatencyHistogram } from '../../results/histogram.js';
import type { JourneyResult, RunResult } from '../../results/run-result.js';
import { parseScenario } from '../../scenarios/load.js';
import { sampler } from '../../sim/kernel/distributions.js';
import { RandomStreams } from '../../sim/kernel/random.js';
import { simulateSync } from '../../sim/run.js';

const profile = parseScenario(
  `name: profile
seed: 5
duration: 600s
warmup: 20s
users: { arrivals: poisson(40/s), journeys: { profile: { steps: [gateway.profile] } } }
services:
  gateway: { replicas: 2, workers: 48, queue: 500, time: exp(100ms), routes: { profile: [auth] } }
  auth: { replicas: 2, workers: 32, time: exp(100ms) }
`,
  'profile.yaml',
);
const predicted = simulateSync(profile, { replications: 1 }).journeys;
const hist = predictedHistogram(predicted.profile);

/** `n` journeys of a perfect twin: a gateway draw plus an auth draw, from seed `seed`. */
function perfectTwin(seed: number, n: number, errors: Record<string, number> = {}): JourneyResult {
  const streams = new RandomStreams(seed, 0);
  const gateway = sampler(profile.services.gateway.time, streams.stream('gateway'));
  const auth = sampler(profile.services.auth.time, streams.stream('auth'));
  const h = new LatencyHistogram();
  for (let i = 0; i < n; i++) h.record(gateway() + auth());
  const failed = Object.values(errors).reduce((a, b) => a + b, 0);
  return {
    count: n + failed,
    errors,
    errorRate: failed / (n + failed),
    throughput: 0,
    latency: h.summary(),
    hdr: h.encode(),
    sumSeconds: h.sum,
  };
}

const p99Error = (m: JourneyResult) => (predicted.profile.latency.p99 - m.latency.p99) / m.latency.p99;

describe('journeys a judged percentile needs', () => {
  it('the simulation predicts the p99 of two exponentials in series (Erlang-2: 663.8 ms)', () => {
    // 1 − e^{−λt}(1 + λt) = 0.99 at λt = 6.638, λ = 10/s; no queueing at these loads.
    expect(predicted.profile.latency.p99).toBeGreaterThan(663.8 * 0.97);
    expect(predicted.profile.latency.p99).toBeLessThan(663.8 * 1.03);
  });

  it('42 journeys cannot carry a p99: a perfect twin misses it by more than 15 % for most seeds', () => {
    const misses = Array.from({ length: 200 }, (_, i) => p99Error(perfectTwin(i + 1, 42))).filter(
      (e) => Math.abs(e) >= 0.15,
    );
    expect(misses.length).toBeGreaterThan(60);
    // Its rank (0.99 ± 1.96·√(0.99·0.01/42) = 0.96…1.02) runs past the largest journey.
    expect(percentileSpread(hist, 0.99, 42)).toBe(Number.POSITIVE_INFINITY);
    const j = judge(predicted, { profile: perfectTwin(1, 42) }, 0.15, 0.075);
    expect(j.find((r) => r.metric === 'p99')).toMatchObject({ count: 42, ok: false });
    expect(j.find((r) => r.metric === 'p99')!.needed).toBeGreaterThan(1500);
  });

  it('with the journeys judge() asks for, a perfect twin passes for every seed', () => {
    const needed = journeysNeeded(hist, 0.99, 0.075);
    expect(needed).toBeGreaterThan(1500);
    expect(needed).toBeLessThan(4000);
    expect(journeysNeeded(hist, 0.5, 0.075)).toBeLessThan(needed);
    const errors = Array.from({ length: 100 }, (_, i) => p99Error(perfectTwin(i + 1, needed)));
    // Within half the tolerance about 95 % of the time (the spread's own confidence), and never
    // near the tolerance.
    expect(errors.filter((e) => Math.abs(e) < 0.075).length).toBeGreaterThanOrEqual(90);
    expect(Math.max(...errors.map(Math.abs))).toBeLessThan(0.12);
    for (let seed = 1; seed <= 20; seed++) {
      const rows = judge(predicted, { profile: perfectTwin(seed, needed) }, 0.15, 0.075);
      expect(rows.map((r) => [r.metric, r.ok])).toEqual([
        ['p50', true],
        ['p99', true],
      ]);
    }
  });

  it('judges failed journeys out of the count, and a twin 25 % slow as outside', () => {
    const needed = journeysNeeded(hist, 0.99, 0.075);
    const short = judge(predicted, { profile: perfectTwin(3, needed - 1, { timeout: 500 }) }, 0.15, 0.075);
    expect(short.find((r) => r.metric === 'p99')).toMatchObject({ count: needed - 1, ok: false });
    const slow = perfectTwin(3, needed);
    slow.latency = { ...slow.latency, p50: slow.latency.p50 * 1.25, p99: slow.latency.p99 * 1.25 };
    const rows = judge(predicted, { profile: slow }, 0.15, 0.075);
    expect(rows.every((r) => !r.ok && r.error < -0.15)).toBe(true);
  });

  it('has no rank to read for an empty prediction or no journeys', () => {
    expect(percentileSpread(new LatencyHistogram(), 0.99, 1000)).toBe(Number.POSITIVE_INFINITY);
    expect(percentileSpread(hist, 0.99, 0)).toBe(Number.POSITIVE_INFINITY);
    expect(journeysNeeded(new LatencyHistogram(), 0.5, 0.075)).toBe(Number.POSITIVE_INFINITY);
  });

  it('load --predict says beside an error when the percentile rests on too few journeys', () => {
    const run = (m: JourneyResult) => ({ journeys: { profile: m } }) as unknown as RunResult;
    const p = run(predicted.profile);
    const needed = journeysNeeded(hist, 0.99, 0.075);
    const few = comparisonTable(p, run(perfectTwin(1, 42, { rejected: 3 })));
    expect(journeysShort(predicted.profile, perfectTwin(1, 42, { rejected: 3 }), 0.99)).toEqual({
      measured: 42,
      needed,
    });
    expect(few).toMatch(new RegExp(`p99 ms .*%\\s+\\(of 42, needs ${needed}\\)`));
    expect(few).toContain('fewer than the N a perfect twin needs');
    const enough = comparisonTable(p, run(perfectTwin(1, needed)));
    expect(enough).not.toContain('needs');
    expect(journeysShort({ hdr: '', sumSeconds: 0 }, perfectTwin(1, 42), 0.99)).toBeUndefined();
  });
});
