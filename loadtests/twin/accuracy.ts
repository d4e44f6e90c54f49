/**
 * Judging the twin against the simulation: how many journeys a measured percentile needs before it
 * says anything about the twin, and the judgement itself.
 *
 * A percentile measured from n journeys is a sample statistic: even a perfect twin (every journey
 * drawn from exactly the simulated distribution) measures a p99 that scatters around the predicted
 * one. The rank of the sample percentile is binomial, so with probability about 95 % it
 * lies between the true quantiles at p ± 1.96·√(p(1−p)/n); read on the simulation's own histogram,
 * that is how far a perfect twin's percentile may fall. With 42 journeys (5 s of `breaker`'s
 * `profile` at 12/s) the p99 of a sum of two exponentials may fall 40 % off, so a 15 % judgement
 * of it judged the draw, not the twin; {@link journeysNeeded} says how many journeys make the
 * spread small beside the tolerance.
 */
import { failedCount } from '../../results/failed-count.js';
import { LatencyHistogram } from '../../results/histogram.js';
import { rankBand } from '../../results/rank-band.js';
import { relativeError } from '../../results/relative-error.js';
import type { JourneyResult } from '../../results/run-result.js';

/** The percentiles judged, as RunResult latency keys and fractions. */
export const JUDGED = [
  ['p50', 0.5],
  ['p99', 0.99],
] as const;

/**
 * How far (relative, either way) the `q`-quantile (0..1) of `n` journeys drawn from `predicted` may
 * fall from `predicted`'s own, with about 95 % confidence; Infinity when n is too small for the
 * quantile to have a rank inside the histogram.
 */
export function percentileSpread(predicted: LatencyHistogram, q: number, n: number): number {
  if (n <= 0 || predicted.count === 0) return Number.POSITIVE_INFINITY;
  // The band of n journeys' ranks, as quantiles of the predicted distribution.
  const band = rankBand(n, q);
  const qLow = band.low / n;
  const qHigh = band.high / n;
  // Beyond the predicted histogram's own resolution of rank, the spread cannot be read from it.
  const edge = 1 / predicted.count;
  if (qLow < edge || qHigh > 1 - edge) return Number.POSITIVE_INFINITY;
  const mid = predicted.percentileMs(q * 100);
  if (mid <= 0) return Number.POSITIVE_INFINITY;
  const low = predicted.percentileMs(qLow * 100);
  const high = predicted.percentileMs(qHigh * 100);
  return Math.max(high / mid - 1, 1 - low / mid);
}

/**
 * The fewest journeys whose `q`-quantile falls within `spread` of `predicted`'s with about 95 %
 * confidence (the spread shrinks as n grows); Infinity when no n up to 10⁷ does.
 */
export function journeysNeeded(predicted: LatencyHistogram, q: number, spread: number): number {
  let hi = 1;
  while (percentileSpread(predicted, q, hi) > spread) {
    hi *= 2;
    if (hi > 1e7) return Number.POSITIVE_INFINITY;
  }
  let lo = hi / 2;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (percentileSpread(predicted, q, mid) > spread) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** A predicted journey's latency histogram (successful journeys). */
export function predictedHistogram(j: Pick<JourneyResult, 'hdr' | 'sumSeconds'>): LatencyHistogram {
  return LatencyHistogram.decode(j.hdr, j.sumSeconds);
}

/** One judged percentile of one journey. */
export interface Judgement {
  journey: string;
  metric: 'p50' | 'p99';
  predicted: number;
  measured: number;
  /** (predicted − measured) ÷ measured. */
  error: number;
  /** Journeys measured, and how many the percentile needs (see {@link journeysNeeded}). */
  count: number;
  needed: number;
  /** Within the tolerance, on enough journeys. */
  ok: boolean;
}

/**
 * Judges every percentile of `JUDGED` of every predicted journey that was measured: within
 * `tolerance` (relative to measured) on at least the journeys the percentile needs for a perfect
 * twin's spread to stay within `spread`. A journey with too few journeys is not ok, whatever its
 * error: a verdict is never given on a sample that cannot carry it.
 */
export function judge(
  predicted: Record<string, JourneyResult>,
  measured: Record<string, JourneyResult>,
  tolerance: number,
  spread: number,
): Judgement[] {
  const out: Judgement[] = [];
  for (const [journey, p] of Object.entries(predicted)) {
    const m = measured[journey];
    if (!m) continue;
    const hist = predictedHistogram(p);
    for (const [metric, q] of JUDGED) {
      const needed = journeysNeeded(hist, q, spread);
      const error = relativeError(p.latency[metric], m.latency[metric]);
      const count = successes(m);
      out.push({
        journey,
        metric,
        predicted: p.latency[metric],
        measured: m.latency[metric],
        error,
        count,
        needed,
        ok: count >= needed && Math.abs(error) < tolerance,
      });
    }
  }
  return out;
}

/**
 * When `measured` has fewer successful journeys than percentile `q` needs for a perfect twin's
 * spread to stay within `spread` of `predicted`'s (see {@link journeysNeeded}): how many it has and
 * needs; undefined when it has enough, or the prediction has no histogram to read it on.
 */
export function journeysShort(
  predicted: Pick<JourneyResult, 'hdr' | 'sumSeconds'>,
  measured: Pick<JourneyResult, 'count' | 'errors'>,
  q: number,
  spread = 0.075,
): { measured: number; needed: number } | undefined {
  if (!predicted.hdr) return undefined;
  const needed = journeysNeeded(predictedHistogram(predicted), q, spread);
  const n = successes(measured);
  return Number.isFinite(needed) && n < needed ? { measured: n, needed } : undefined;
}

/** Successful journeys of a result: the ones its latency percentiles are of. */
function successes(m: Pick<JourneyResult, 'count' | 'errors'>): number {
  return m.count - failedCount(m);
}
