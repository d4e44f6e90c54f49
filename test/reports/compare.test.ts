import { describe, expect, it } from 'vitest';
import { compareResults, delta, latencyIntervals, percentileInterval } from '../../results/compare.js';
import { LatencyHistogram } from '../../results/histogram.js';
import type { RunResult } from '../../results/run-result.js';
import { fullResult, journey, lcg } from './fixture.js';

function single(meanMs: number, seed: number, n = 20_000): RunResult {
  const r = fullResult();
  r.replications = 1;
  delete r.timeline;
  r.journeys = { play: journey(n, meanMs, seed) };
  r.services = { gateway: r.services!.gateway };
  return r;
}

describe('compareResults', () => {
  it('finds no significant change between a result and itself', () => {
    const r = fullResult();
    const c = compareResults(r, r);
    expect(c.regressions).toEqual([]);
    for (const j of c.journeys) {
      expect(j.p99?.mark).toBe('·');
      expect(j.p99?.delta).toBe(0);
    }
  });

  it('flags a doubled latency as a significant regression of p99 and mean from single-replication histograms', () => {
    const a = single(20, 1);
    const b = single(40, 2);
    const c = compareResults(a, b, { tolerance: 0.1 });
    const play = c.journeys[0];
    expect(play.p99?.mark).toBe('▲');
    expect(play.p99?.relative).toBeGreaterThan(0.8);
    expect(play.p99?.relative).toBeLessThan(1.2);
    expect(c.regressions.map((r) => `${r.journey}.${r.metric}`)).toEqual(['play.p99', 'play.mean']);
    // The other direction is an improvement: significant, but no regression.
    const back = compareResults(b, a);
    expect(back.journeys[0].p99?.mark).toBe('▼');
    expect(back.regressions).toEqual([]);
  });

  it('does not fail on a change below the tolerance even when significant', () => {
    const a = single(20, 1, 200_000);
    const b = single(21, 2, 200_000);
    const c = compareResults(a, b, { tolerance: 0.1 });
    expect(c.journeys[0].mean?.relative).toBeGreaterThan(0.02);
    expect(c.journeys[0].mean?.relative).toBeLessThan(0.08);
    expect(c.regressions).toEqual([]);
  });

  it('does not fail when replication intervals overlap even beyond the tolerance', () => {
    const a = fullResult();
    const b = fullResult();
    b.journeys.play = {
      ...b.journeys.play,
      latency: { ...b.journeys.play.latency, p99: a.journeys.play.latency.p99 * 1.15 },
    };
    b.journeys.play.ci = {
      ...b.journeys.play.ci!,
      p99: [a.journeys.play.latency.p99 * 1.0, a.journeys.play.latency.p99 * 1.3],
    };
    const c = compareResults(a, b);
    expect(c.journeys.find((j) => j.name === 'play')?.p99?.relative).toBeCloseTo(0.15, 5);
    expect(c.journeys.find((j) => j.name === 'play')?.p99?.mark).toBe('·');
    expect(c.regressions).toEqual([]);
  });

  it('treats new errors as a regression and reports journeys and services missing on one side', () => {
    const a = single(20, 1);
    const b = single(20, 1);
    b.journeys.play = journey(20_000, 20, 1, { errors: 400 });
    b.journeys.extra = journey(100, 5, 9);
    b.services = { ...b.services, cache: { ...b.services!.gateway } };
    const c = compareResults(a, b);
    expect(c.regressions.map((r) => r.metric)).toEqual(['errorRate']);
    expect(c.regressions[0].message).toMatch(/^play\.errorRate rose from 0 % to 1\.961 % \(from zero/);
    expect(c.journeys.find((j) => j.name === 'extra')?.onlyIn).toBe('b');
    expect(c.services.find((s) => s.name === 'cache')?.onlyIn).toBe('b');
    expect(c.services.find((s) => s.name === 'gateway')?.utilization?.mark).toBe('·');
  });

  it('marks a change without intervals as unknown', () => {
    expect(delta(1, 2).mark).toBe('?');
    expect(delta(1, 1).mark).toBe('·');
    expect(delta(0, 3).relative).toBe(Infinity);
  });
});

describe('intervals from the HDR histogram', () => {
  it('brackets the true p99 of an exponential within a few percent', () => {
    const h = new LatencyHistogram();
    const rnd = lcg(5);
    for (let i = 0; i < 100_000; i++) h.record(-Math.log(1 - rnd()) * 0.01);
    const [lo, hi] = percentileInterval(h, 99)!;
    const truth = -Math.log(0.01) * 10; // 46.05 ms
    expect(lo).toBeLessThan(truth * 1.01);
    expect(hi).toBeGreaterThan(truth * 0.99);
    expect(hi - lo).toBeLessThan(truth * 0.08);
  });

  it('widens the single-replication intervals by batch means when a timeline is present', () => {
    const r = single(20, 1);
    const iid = latencyIntervals('play', r.journeys.play, r);
    expect(iid.method).toBe('independent');
    const t = Array.from({ length: 20 }, (_, i) => 60 + i * 30);
    // A long excursion (slow first half, fast second half): what autocorrelation looks like.
    const p99 = t.map((_, i) => r.journeys.play.latency.p99 * (i < 10 ? 1.3 : 0.7));
    const p50 = t.map((_, i) => r.journeys.play.latency.p50 * (i < 10 ? 1.2 : 0.8));
    r.timeline = {
      interval: 30,
      t,
      journeys: { play: { throughput: t.map(() => 30), p50, p99, errors: t.map(() => 0) } },
      services: {},
    };
    const batch = latencyIntervals('play', r.journeys.play, r);
    expect(batch.method).toBe('batches');
    const width = (i?: [number, number]) => (i ? i[1] - i[0] : 0);
    expect(width(batch.p99)).toBeGreaterThan(3 * width(iid.p99));
    expect(width(batch.mean)).toBeGreaterThan(3 * width(iid.mean));
    expect((batch.p99![0] + batch.p99![1]) / 2).toBeCloseTo(r.journeys.play.latency.p99, 3);
  });
});
