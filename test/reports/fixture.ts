/**
 * A RunResult with every optional section filled (timeline, faults, services with breaker and
 * replica changes, CDN, P2P, stores, streams, budgets, confidence intervals), built from real HDR
 * histograms, for the report tests. Names include markup to prove it is escaped.
 */
import { LatencyHistogram } from '../../results/histogram.js';
import type { JourneyResult, RunResult } from '../../results/run-result.js';

/** A journey name that would run script if a report forgot to escape it. */
export const EVIL = '<img src=x onerror=alert(1)>';

/** Deterministic pseudo-random numbers in [0, 1) (a small LCG; tests must not depend on Math.random). */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A journey with `n` exponential latencies of mean `meanMs` (plus a floor), recorded in a real histogram. */
export function journey(
  n: number,
  meanMs: number,
  seed: number,
  opts: { errors?: number; ci?: boolean } = {},
): JourneyResult {
  const rnd = lcg(seed);
  const h = new LatencyHistogram();
  for (let i = 0; i < n; i++) h.record((1 + -Math.log(1 - rnd()) * meanMs) / 1000);
  const s = h.summary();
  const errors = opts.errors ?? 0;
  const j: JourneyResult = {
    count: n + errors,
    errors: errors > 0 ? { timeout: errors } : {},
    errorRate: errors / (n + errors),
    throughput: (n + errors) / 600,
    latency: s,
    hdr: h.encode(),
    sumSeconds: h.sum,
  };
  if (opts.ci)
    j.ci = {
      mean: [s.mean * 0.95, s.mean * 1.05],
      p50: [s.p50 * 0.95, s.p50 * 1.05],
      p99: [s.p99 * 0.9, s.p99 * 1.1],
      throughput: [j.throughput * 0.98, j.throughput * 1.02],
    };
  return j;
}

/** The full fixture; `scale` multiplies latencies (for a "predicted" twin). */
export function fullResult(scale = 1, seed = 1): RunResult {
  const t = Array.from({ length: 20 }, (_, i) => i * 30);
  const wave = (base: number, amp: number, k: number) => t.map((_, i) => base + amp * Math.sin(i / 3 + k));
  return {
    version: 1,
    kind: scale === 1 ? 'load' : 'sim',
    tool: scale === 1 ? 'autocannon' : undefined,
    scenario: { name: 'spotify <evening> & "peak"', hash: 'abcdef0123456789' },
    seed: 2026,
    replications: 3,
    window: { start: 60, end: 600 },
    journeys: {
      play: journey(4000, 40 * scale, seed, { errors: 12, ci: true }),
      [EVIL]: journey(1500, 8 * scale, seed + 1, { ci: true }),
    },
    services: {
      gateway: {
        replicas: 6,
        workers: 64,
        utilization: 0.62,
        queue: 1.4,
        served: 5500,
        rejected: 3,
        retries: 4,
        timeouts: 2,
        breakerOpen: 1,
        expired: 2,
        replicasOverTime: [
          [0, 4],
          [120, 6],
          [300, 8],
        ],
        ci: { utilization: [0.6, 0.64], queue: [1.2, 1.6] },
      },
      auth: {
        replicas: 4,
        workers: 8,
        utilization: 0.35,
        queue: 0.1,
        served: 5500,
        rejected: 0,
        breaker: [
          [200, 'open'],
          [205, 'half-open'],
          [206, 'closed'],
        ],
        ci: { utilization: [0.33, 0.37], queue: [0.05, 0.15] },
      },
    },
    budgets: [
      { expr: 'play.p99 < 400ms', value: 180 * scale, limit: 400, pass: true },
      { expr: 'play.errors < 0.1%', value: 0.003, limit: 0.001, pass: false },
      { expr: `${EVIL}.p50 < 10ms`, value: 9.8, limit: 10, ci: [9.1, 10.4], pass: null },
    ],
    events: 123456,
    timeline: {
      interval: 30,
      t,
      journeys: {
        play: {
          throughput: wave(6, 1, 0),
          p50: wave(30 * scale, 5, 1),
          p99: wave(150 * scale, 30, 2),
          errors: wave(1, 1, 3),
        },
        [EVIL]: {
          throughput: wave(2.5, 0.5, 1),
          p50: wave(6 * scale, 1, 2),
          p99: wave(30 * scale, 6, 3),
          errors: wave(0.5, 0.5, 0),
        },
      },
      services: {
        gateway: {
          utilization: wave(0.6, 0.1, 0),
          queue: wave(1.5, 1, 1),
          replicas: t.map((x) => (x < 120 ? 4 : x < 300 ? 6 : 8)),
        },
        auth: { utilization: wave(0.35, 0.05, 2), queue: wave(0.1, 0.05, 0), replicas: t.map(() => 4) },
      },
    },
    faults: [
      { at: 180, for: 60, label: 'slow auth +200ms' },
      { at: 360, for: 30, label: '<script>alert(2)</script>' },
    ],
    cdn: {
      'eu-west': {
        requests: 9000,
        hits: 8100,
        hitRatio: 0.9,
        byteHitRatio: 0.82,
        originFetches: 850,
        coalesced: 50,
      },
      'us-east': {
        requests: 6000,
        hits: 5100,
        hitRatio: 0.85,
        byteHitRatio: 0.77,
        originFetches: 800,
        coalesced: 100,
      },
    },
    p2p: {
      serverShare: 0.12,
      peerShare: 0.55,
      cacheShare: 0.33,
      playbackStart: { mean: 210, p50: 180, p90: 300, p95: 350, p99: 420, p999: 600, max: 900 },
      stutterRate: 0.004,
      plays: 2500,
    },
    stores: {
      playlists: {
        shards: 6,
        load: [900, 1100, 1000, 950, 1300, 750],
        cv: 0.17,
        unavailable: 4,
        latency: { mean: 1.4, p50: 1.1, p90: 2.5, p95: 3.1, p99: 5.8, p999: 9, max: 14 },
      },
    },
    streams: {
      plays: {
        produced: 2500,
        consumed: 2480,
        lagMessages: { mean: 3, p99: 40, max: 60 },
        lagSeconds: { mean: 0.2, p99: 2.4, max: 3.9 },
      },
    },
  };
}
