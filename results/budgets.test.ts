import { describe, expect, it } from 'vitest';
import { type BudgetSpec, evaluateBudgets, intervalVerdict } from './budgets.js';
import type { JourneyResult, RunResult } from './run-result.js';

const latency = { mean: 120, p50: 100, p90: 200, p95: 250, p99: 380, p999: 600, max: 900 };

function journey(extra: Partial<JourneyResult> = {}): JourneyResult {
  return {
    count: 10_000,
    errors: { timeout: 30 },
    errorRate: 0.003,
    throughput: 2500,
    latency,
    hdr: '',
    sumSeconds: 1200,
    ...extra,
  };
}

function result(extra: Partial<RunResult> = {}): RunResult {
  return {
    version: 1,
    kind: 'sim',
    scenario: { name: 't', hash: '0' },
    window: { start: 60, end: 600 },
    journeys: {
      play: journey(),
      search: journey({
        ci: { mean: [110, 130], p50: [95, 105], p99: [390, 420], throughput: [2400, 2600] },
      }),
    },
    services: {
      gateway: {
        replicas: 6,
        workers: 64,
        utilization: 0.62,
        queue: 1.5,
        served: 1e6,
        rejected: 12,
        cost: 3.5,
        ci: { utilization: [0.6, 0.64], queue: [1, 2] },
      },
      auth: { replicas: 4, workers: 1, utilization: 0.75, queue: 0.2, served: 1e6, rejected: 0, cost: 1.25 },
    },
    budgets: [],
    ...extra,
  };
}

const spec = (
  expr: string,
  subject: string,
  metric: string,
  op: BudgetSpec['op'],
  limit: number,
  kind?: string,
): BudgetSpec => ({
  expr,
  subject,
  metric,
  op,
  limit,
  ...(kind ? { kind } : {}),
});

describe('evaluateBudgets without intervals', () => {
  it('compares the point value', () => {
    const r = evaluateBudgets(result(), [
      spec('play.p99 < 400ms', 'play', 'p99', '<', 400),
      spec('play.p999 < 500ms', 'play', 'p999', '<', 500),
      spec('play.errors < 0.5%', 'play', 'errors', '<', 0.005),
      spec('play.throughput >= 2.5k/s', 'play', 'throughput', '>=', 2500),
      spec('auth.utilization < 70%', 'auth', 'utilization', '<', 0.7),
    ]);
    expect(r).toEqual([
      { expr: 'play.p99 < 400ms', value: 380, limit: 400, pass: true },
      { expr: 'play.p999 < 500ms', value: 600, limit: 500, pass: false },
      { expr: 'play.errors < 0.5%', value: 0.003, limit: 0.005, pass: true },
      { expr: 'play.throughput >= 2.5k/s', value: 2500, limit: 2500, pass: true },
      { expr: 'auth.utilization < 70%', value: 0.75, limit: 0.7, pass: false },
    ]);
  });

  it('reads queue-full rejections, breaker fail-fasts and expired requests as separate service counts', () => {
    const base = result();
    const gateway = { ...base.services!.gateway, breakerOpen: 40, expired: 5 };
    const r = evaluateBudgets(result({ services: { ...base.services, gateway } }), [
      spec('gateway.rejected < 20', 'gateway', 'rejected', '<', 20, 'service'),
      spec('gateway.breaker_open < 10', 'gateway', 'breaker_open', '<', 10, 'service'),
      spec('gateway.expired < 10', 'gateway', 'expired', '<', 10, 'service'),
      spec('auth.breaker_open < 1', 'auth', 'breaker_open', '<', 1, 'service'),
    ]);
    expect(r.map((b) => [b.value, b.pass])).toEqual([
      [12, true],
      [40, false],
      [5, true],
      [0, true],
    ]);
  });

  it('sums the priced services for `cost`', () => {
    expect(evaluateBudgets(result(), [spec('cost < 5', 'cost', 'cost', '<', 5)])).toEqual([
      { expr: 'cost < 5', value: 4.75, limit: 5, pass: true },
    ]);
  });
});

describe('evaluateBudgets with 95 % intervals', () => {
  it('is unsure when the interval straddles the limit, even if the point passes', () => {
    // search p99 = 380 (point below 400) but the interval [390, 420] reaches above it.
    expect(evaluateBudgets(result(), [spec('search.p99 < 400ms', 'search', 'p99', '<', 400)])).toEqual([
      { expr: 'search.p99 < 400ms', value: 380, limit: 400, ci: [390, 420], pass: null },
    ]);
  });

  it('passes when the whole interval is below and fails when it is all above', () => {
    const r = evaluateBudgets(result(), [
      spec('search.p99 < 450ms', 'search', 'p99', '<', 450),
      spec('search.p99 < 385ms', 'search', 'p99', '<', 385),
      spec('search.mean <= 130ms', 'search', 'mean', '<=', 130),
      spec('search.p50 > 90ms', 'search', 'p50', '>', 90),
      spec('search.throughput > 3k/s', 'search', 'throughput', '>', 3000),
      spec('gateway.utilization < 65%', 'gateway', 'utilization', '<', 0.65, 'service'),
    ]);
    expect(r.map((b) => [b.expr, b.ci, b.pass])).toEqual([
      ['search.p99 < 450ms', [390, 420], true],
      ['search.p99 < 385ms', [390, 420], false],
      ['search.mean <= 130ms', [110, 130], true],
      ['search.p50 > 90ms', [95, 105], true],
      ['search.throughput > 3k/s', [2400, 2600], false],
      ['gateway.utilization < 65%', [0.6, 0.64], true],
    ]);
  });

  it('uses the point value for percentiles without an interval (p90, max)', () => {
    const r = evaluateBudgets(result(), [spec('search.p90 < 250ms', 'search', 'p90', '<', 250)]);
    expect(r).toEqual([{ expr: 'search.p90 < 250ms', value: 200, limit: 250, pass: true }]);
  });

  it('decides intervals at the edges for every operator', () => {
    expect([
      intervalVerdict([1, 2], '<', 2),
      intervalVerdict([1, 2], '<=', 2),
      intervalVerdict([2, 3], '>', 2),
      intervalVerdict([2, 3], '>=', 2),
    ]).toEqual([null, true, null, true]);
    expect([intervalVerdict([3, 4], '<', 3), intervalVerdict([0, 1], '>=', 2)]).toEqual([false, false]);
  });
});

describe('evaluateBudgets on content sections', () => {
  const content = result({
    streams: {
      plays: {
        produced: 100,
        consumed: 90,
        lagMessages: { mean: 5, p99: 40, max: 80 },
        lagSeconds: { mean: 0.8, p99: 6.5, max: 9 },
      },
    },
    p2p: {
      serverShare: 0.12,
      peerShare: 0.8,
      cacheShare: 0.08,
      playbackStart: latency,
      stutterRate: 0.01,
      plays: 1000,
    },
    cdn: {
      'eu-west': {
        requests: 100,
        hits: 90,
        hitRatio: 0.9,
        byteHitRatio: 0.85,
        originFetches: 10,
        coalesced: 0,
      },
      'us-east': {
        requests: 100,
        hits: 70,
        hitRatio: 0.7,
        byteHitRatio: 0.6,
        originFetches: 30,
        coalesced: 2,
      },
    },
    stores: { playlists: { shards: 24, load: [1, 2], cv: 0.3, unavailable: 0, latency } },
  });

  it('reads stream lag in seconds, p2p shares, the mean CDN hit ratio and store latency', () => {
    const r = evaluateBudgets(content, [
      spec('plays.lag.p99 < 5s', 'plays', 'lag.p99', '<', 5),
      spec('p2p.server_share < 15%', 'p2p', 'server_share', '<', 0.15),
      spec('cdn.hit_ratio > 85%', 'cdn', 'hit_ratio', '>', 0.85),
      spec('playlists.p99 < 400ms', 'playlists', 'p99', '<', 400, 'store'),
    ]);
    expect(r.map((b) => [b.value, b.pass])).toEqual([
      [6.5, false],
      [0.12, true],
      [0.8, false],
      [380, true],
    ]);
  });

  it('fails a budget whose section is missing, with NaN and a reason', () => {
    const r = evaluateBudgets(result(), [
      spec('cdn.hit_ratio > 85%', 'cdn', 'hit_ratio', '>', 0.85),
      spec('plays.lag.p99 < 5s', 'plays', 'lag.p99', '<', 5, 'stream'),
      spec('gone.p99 < 1s', 'gone', 'p99', '<', 1000),
    ]);
    expect(r).toEqual([
      {
        expr: 'cdn.hit_ratio > 85% (no cdn section in the result)',
        value: Number.NaN,
        limit: 0.85,
        pass: false,
      },
      {
        expr: 'plays.lag.p99 < 5s (no streams section in the result)',
        value: Number.NaN,
        limit: 5,
        pass: false,
      },
      {
        expr: 'gone.p99 < 1s',
        value: Number.NaN,
        limit: 1000,
        pass: false,
        noData: 'no requests completed for journey gone',
      },
    ]);
  });
});

describe('a budget over no data', () => {
  const empty = journey({
    count: 0,
    errors: {},
    errorRate: 0,
    throughput: 0,
    latency: { ...latency, p99: 0 },
  });
  const allFailed = journey({
    count: 50,
    errors: { refused: 50 },
    errorRate: 1,
    latency: { ...latency, p99: 0 },
  });

  it('is not a pass: a journey with 0 samples yields noData and pass false, whatever the metric', () => {
    const r = evaluateBudgets(result({ journeys: { play: empty, search: allFailed } }), [
      spec('play.p99 < 400ms', 'play', 'p99', '<', 400),
      spec('play.errors < 1%', 'play', 'errors', '<', 0.01),
      spec('search.p99 < 400ms', 'search', 'p99', '<', 400),
      spec('search.errors < 100%', 'search', 'errors', '<=', 1),
    ]);
    expect(r.map((b) => [b.pass, b.noData])).toEqual([
      [false, 'no requests completed for journey play'],
      [false, 'no requests completed for journey play'],
      // All 50 failed: percentiles of successes do not exist, but the error rate (100 %) does.
      [false, 'no requests of journey search succeeded'],
      [true, undefined],
    ]);
  });

  it('passes when the budget says `or no data`', () => {
    const r = evaluateBudgets(result({ journeys: { play: empty } }), [
      { ...spec('play.p99 < 400ms or no data', 'play', 'p99', '<', 400), passWithoutData: true },
    ]);
    expect(r[0]).toMatchObject({ pass: true, noData: 'no requests completed for journey play' });
  });
});
