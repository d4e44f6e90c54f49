/**
 * Comparing two RunResults: per-journey and per-service deltas, each with a 95 % interval on both
 * sides, a significance mark, and the regressions a CI gate fails on.
 *
 * Noise must not fail a build, so a change counts only when it is both large (beyond the tolerance)
 * and significant (the two 95 % intervals do not overlap). Where the intervals come from:
 *
 * - With replications (`ci` present) the between-replication Student-t intervals are used. They are
 *   the honest ones: each replication is independent, so within-run autocorrelation is accounted for.
 * - With a single replication the interval is derived from the encoded HDR histogram, with no
 *   resampling: for a percentile q over n samples the rank of the q-quantile is binomial, so the
 *   order statistics at ranks n·q ± 1.96·√(n·q·(1−q)) bracket it (the distribution-free interval of
 *   a quantile); for the mean, mean ± 1.96·σ/√n with σ from the histogram. Both assume independent
 *   samples, which queueing latencies are not (a slow request is followed by slow requests), so on
 *   their own they are too narrow. When the result has a timeline, its intervals serve as batches
 *   (the batch-means method, adjacent intervals averaged into at most ten batches): the spread of
 *   the batch p50 and p99 gives Student-t intervals
 *   that do include the autocorrelation, and the ratio of the batch p50 interval to the independent
 *   one (a variance inflation factor, never below 1) widens the mean's interval likewise, and the
 *   p99's order-statistic interval when that is wider than its batch interval.
 *   Without a timeline the independent intervals stand, and the tolerance is the only guard against
 *   autocorrelated noise: run replications (≥ 3) in CI.
 */
import { meanVar, t975 } from './confidence.js';
import { LatencyHistogram, round } from './histogram.js';
import { rankBand, Z95 } from './rank-band.js';
import type { Interval, JourneyResult, RunResult, ServiceResult } from './run-result.js';

/** `▲` significant increase, `▼` significant decrease, `·` within noise, `?` no interval to judge by. */
export type SignificanceMark = '▲' | '▼' | '·' | '?';

/** One metric on both sides. */
export interface MetricDelta {
  a: number;
  b: number;
  /** `b − a`. */
  delta: number;
  /** `(b − a) / a`; ±Infinity when `a` is 0 and `b` is not, 0 when both are. */
  relative: number;
  aInterval?: Interval;
  bInterval?: Interval;
  /** True when both intervals exist and do not overlap. */
  significant: boolean;
  mark: SignificanceMark;
}

/** A journey in both results (or in one of them). */
export interface JourneyComparison {
  name: string;
  /** Set when the journey is missing from one side; the metrics are then absent. */
  onlyIn?: 'a' | 'b';
  mean?: MetricDelta;
  p50?: MetricDelta;
  p99?: MetricDelta;
  throughput?: MetricDelta;
  errorRate?: MetricDelta;
}

/** A service in both results (or in one of them). */
export interface ServiceComparison {
  name: string;
  onlyIn?: 'a' | 'b';
  utilization?: MetricDelta;
  queue?: MetricDelta;
  replicas?: MetricDelta;
  rejected?: MetricDelta;
}

/** A metric that got worse beyond the tolerance, significantly. */
export interface Regression {
  journey: string;
  metric: 'p99' | 'mean' | 'errorRate';
  a: number;
  b: number;
  relative: number;
  message: string;
}

/** The outcome of {@link compareResults}. */
export interface Comparison {
  a: { scenario: string; hash: string; replications: number };
  b: { scenario: string; hash: string; replications: number };
  tolerance: number;
  journeys: JourneyComparison[];
  services: ServiceComparison[];
  regressions: Regression[];
}

/** Options of {@link compareResults}. */
export interface CompareOptions {
  /** Relative worsening allowed before a significant change is a regression (default 0.1 = 10 %). */
  tolerance?: number;
}

const Z = Z95;

/**
 * Compares `a` (the baseline) with `b` (the candidate). Regressions are judged on each journey's
 * p99 and mean latency and its error rate; throughput, utilization and the rest are reported only.
 */
export function compareResults(a: RunResult, b: RunResult, opts: CompareOptions = {}): Comparison {
  const tolerance = opts.tolerance ?? 0.1;
  const journeys: JourneyComparison[] = [];
  const regressions: Regression[] = [];
  for (const name of union(Object.keys(a.journeys), Object.keys(b.journeys))) {
    const ja = a.journeys?.[name];
    const jb = b.journeys?.[name];
    if (!ja || !jb) {
      journeys.push({ name, onlyIn: ja ? 'a' : 'b' });
      continue;
    }
    const c = compareJourney(name, ja, jb, a, b);
    journeys.push(c);
    for (const metric of ['p99', 'mean', 'errorRate'] as const) {
      const d = c[metric];
      if (!d?.significant || d.delta <= 0 || !(d.relative > tolerance)) continue;
      const unit = metric === 'errorRate' ? '' : ' ms';
      const show = (x: number) =>
        metric === 'errorRate' ? `${round(x * 100, 3)} %` : `${round(x, 3)}${unit}`;
      regressions.push({
        journey: name,
        metric,
        a: d.a,
        b: d.b,
        relative: d.relative,
        message:
          `${name}.${metric} rose from ${show(d.a)} to ${show(d.b)} ` +
          `(${Number.isFinite(d.relative) ? `+${round(d.relative * 100, 1)} %` : 'from zero'}, ` +
          `beyond the ${round(tolerance * 100, 1)} % tolerance, 95 % intervals do not overlap)`,
      });
    }
  }
  const services: ServiceComparison[] = [];
  for (const name of union(Object.keys(a.services ?? {}), Object.keys(b.services ?? {}))) {
    const sa = a.services?.[name];
    const sb = b.services?.[name];
    if (!sa || !sb) {
      services.push({ name, onlyIn: sa ? 'a' : 'b' });
      continue;
    }
    services.push(compareService(name, sa, sb));
  }
  return {
    a: side(a),
    b: side(b),
    tolerance,
    journeys,
    services,
    regressions,
  };
}

function side(r: RunResult) {
  return {
    scenario: r.scenario?.name ?? '',
    hash: r.scenario?.hash ?? '',
    replications: r.replications ?? 1,
  };
}

function compareJourney(
  name: string,
  ja: JourneyResult,
  jb: JourneyResult,
  ra: RunResult,
  rb: RunResult,
): JourneyComparison {
  const ia = latencyIntervals(name, ja, ra);
  const ib = latencyIntervals(name, jb, rb);
  return {
    name,
    mean: delta(ja.latency.mean, jb.latency.mean, ia.mean, ib.mean),
    p50: delta(ja.latency.p50, jb.latency.p50, ia.p50, ib.p50),
    p99: delta(ja.latency.p99, jb.latency.p99, ia.p99, ib.p99),
    throughput: delta(
      ja.throughput,
      jb.throughput,
      ja.ci?.throughput ?? rateInterval(ja.count, windowOf(ra)),
      jb.ci?.throughput ?? rateInterval(jb.count, windowOf(rb)),
    ),
    errorRate: delta(ja.errorRate, jb.errorRate, proportionInterval(ja), proportionInterval(jb)),
  };
}

/** The 95 % intervals of a journey's mean, p50 and p99, by the best method the result allows. */
export function latencyIntervals(
  name: string,
  j: JourneyResult,
  r: RunResult,
): {
  mean?: Interval;
  p50?: Interval;
  p99?: Interval;
  method: 'replications' | 'batches' | 'independent' | 'none';
} {
  if (j.ci) return { mean: j.ci.mean, p50: j.ci.p50, p99: j.ci.p99, method: 'replications' };
  const h = decode(j);
  const iid = { mean: meanInterval(h), p50: percentileInterval(h, 50), p99: percentileInterval(h, 99) };
  const b50 = batchHalfWidth(r, name, 'p50');
  const b99 = batchHalfWidth(r, name, 'p99');
  if (b50 === undefined || b99 === undefined) return { ...iid, method: iid.p99 ? 'independent' : 'none' };
  const iidHalf50 = iid.p50 ? (iid.p50[1] - iid.p50[0]) / 2 : 0;
  const inflation = iidHalf50 > 0 ? Math.max(1, b50 / iidHalf50) : 1;
  const around = (v: number, half: number): Interval => [round(v - half), round(v + half)];
  return {
    mean: iid.mean ? around(j.latency.mean, ((iid.mean[1] - iid.mean[0]) / 2) * inflation) : undefined,
    p50: around(j.latency.p50, b50),
    // Tail percentiles of short batches understate the pooled p99's spread; the p50's inflation
    // applied to the p99's own order-statistic interval is the other estimate, and the wider wins.
    p99: around(j.latency.p99, Math.max(b99, iid.p99 ? ((iid.p99[1] - iid.p99[0]) / 2) * inflation : 0)),
    method: 'batches',
  };
}

/**
 * Half-width of the batch-means 95 % interval of a percentile over the timeline's intervals after
 * warm-up (at least 8 with traffic), or undefined when the result has no usable timeline.
 */
function batchHalfWidth(r: RunResult, name: string, metric: 'p50' | 'p99'): number | undefined {
  const tl = r.timeline;
  const s = tl?.journeys?.[name];
  if (!tl || !s || !Array.isArray(tl.t)) return undefined;
  const start = r.window?.start ?? 0;
  const xs: number[] = [];
  for (let k = 0; k < tl.t.length; k++) {
    if (tl.t[k] < start || !(s.throughput?.[k] > 0)) continue;
    const v = s[metric]?.[k];
    if (Number.isFinite(v) && v > 0) xs.push(v);
  }
  if (xs.length < 8) return undefined;
  // Few long batches, not many short ones: adjacent intervals are averaged into at most ten groups,
  // so that batches are long compared with the system's memory and nearly independent.
  const groups = Math.min(10, xs.length);
  const means: number[] = [];
  for (let g = 0; g < groups; g++) {
    const from = Math.floor((g * xs.length) / groups);
    const to = Math.floor(((g + 1) * xs.length) / groups);
    let sum = 0;
    for (let k = from; k < to; k++) sum += xs[k];
    means.push(sum / (to - from));
  }
  const { variance } = meanVar(means);
  return t975(groups - 1) * Math.sqrt(variance / groups);
}

function compareService(name: string, sa: ServiceResult, sb: ServiceResult): ServiceComparison {
  return {
    name,
    utilization: delta(sa.utilization, sb.utilization, sa.ci?.utilization, sb.ci?.utilization),
    queue: delta(sa.queue, sb.queue, sa.ci?.queue, sb.ci?.queue),
    replicas: delta(sa.replicas, sb.replicas, [sa.replicas, sa.replicas], [sb.replicas, sb.replicas]),
    rejected: delta(sa.rejected, sb.rejected, countInterval(sa.rejected), countInterval(sb.rejected)),
  };
}

/** Builds a delta; significance needs both intervals. */
export function delta(a: number, b: number, aInterval?: Interval, bInterval?: Interval): MetricDelta {
  const d = b - a;
  const relative = a === 0 ? (b === 0 ? 0 : b > 0 ? Infinity : -Infinity) : d / Math.abs(a);
  const known = aInterval !== undefined && bInterval !== undefined;
  const significant = known && (aInterval[1] < bInterval[0] || bInterval[1] < aInterval[0]);
  const mark: SignificanceMark = !known ? (d === 0 ? '·' : '?') : !significant ? '·' : d > 0 ? '▲' : '▼';
  const out: MetricDelta = { a, b, delta: round(d), relative: round(relative), significant, mark };
  if (aInterval) out.aInterval = aInterval;
  if (bInterval) out.bInterval = bInterval;
  return out;
}

function decode(j: JourneyResult): LatencyHistogram | undefined {
  if (!j.hdr || j.count === 0) return undefined;
  try {
    return LatencyHistogram.decode(j.hdr, j.sumSeconds);
  } catch {
    return undefined;
  }
}

/**
 * The distribution-free 95 % interval of percentile `p` (0..100) read from a histogram, in ms:
 * the values at the order-statistic ranks n·q ± 1.96·√(n·q·(1−q)).
 */
export function percentileInterval(h: LatencyHistogram | undefined, p: number): Interval | undefined {
  if (!h || h.count === 0) return undefined;
  const n = h.count;
  const band = rankBand(n, p / 100);
  const lo = Math.max(0, band.low / n) * 100;
  const hi = Math.min(100, (band.high + 1) / n) * 100;
  return [round(h.percentileMs(lo)), round(h.percentileMs(hi))];
}

/** The 95 % interval of the mean from a histogram's standard deviation, in ms. */
export function meanInterval(h: LatencyHistogram | undefined): Interval | undefined {
  if (!h || h.count === 0) return undefined;
  const half = (Z * h.hdr.stdDeviation) / 1000 / Math.sqrt(h.count);
  const m = h.meanMs();
  return [round(m - half), round(m + half)];
}

/** Wilson 95 % interval of a journey's error rate. */
function proportionInterval(j: JourneyResult): Interval | undefined {
  const n = j.count;
  if (!(n > 0)) return undefined;
  const p = j.errorRate;
  const z2 = Z * Z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (Z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return [round(Math.max(0, centre - half)), round(Math.min(1, centre + half))];
}

/** Poisson 95 % interval of a count, as a rate over `seconds`. */
function rateInterval(count: number, seconds: number): Interval | undefined {
  if (!(seconds > 0)) return undefined;
  const c = countInterval(count);
  return [round(c[0] / seconds), round(c[1] / seconds)];
}

function countInterval(count: number): Interval {
  const half = Z * Math.sqrt(Math.max(count, 0));
  return [Math.max(0, count - half), count + half];
}

function windowOf(r: RunResult): number {
  const w = r.window ? r.window.end - r.window.start : 0;
  return w * Math.max(1, r.replications ?? 1);
}

function union(a: string[], b: string[]): string[] {
  const out = [...a];
  for (const x of b) if (!out.includes(x)) out.push(x);
  return out;
}
