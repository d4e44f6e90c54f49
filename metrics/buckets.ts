/**
 * Classic Prometheus histogram buckets read out of an HDR latency histogram, so the exported
 * `_bucket` series are the run's own measurements (to HDR's 3 significant digits), not a second
 * recording of every request.
 */
import type { LatencyHistogram } from '../results/histogram.js';

/**
 * Upper bounds in seconds: 1 ms to 30 s, roughly ×2.5 apart. Thirteen buckets keep a journey at 15
 * series while `histogram_quantile` stays within one bucket's width of the true p99 across the
 * millisecond-to-second range backline scenarios cover.
 */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Cumulative bucket counts (one per bound, then +Inf), count and exact sum in seconds. */
export interface BucketCounts {
  /** `cumulative[i]` = values ≤ `LATENCY_BUCKETS[i]`; the last entry is +Inf (= count). */
  cumulative: number[];
  count: number;
  sum: number;
}

/** An all-zero {@link BucketCounts}. */
export function emptyBuckets(): BucketCounts {
  return { cumulative: new Array(LATENCY_BUCKETS.length + 1).fill(0), count: 0, sum: 0 };
}

interface IterationValue {
  valueIteratedTo: number;
  countAtValueIteratedTo: number;
}
interface ValuesIterator {
  reset(): void;
  hasNext(): boolean;
  next(): IterationValue;
}

/** Counts of `h` (microsecond HDR values) at or below each bound, in one pass over its recorded values. */
export function bucketCounts(h: LatencyHistogram): BucketCounts {
  const out = emptyBuckets();
  // The iterator reports a bucket's highest equivalent value; its lowest is what was recorded (an
  // exact 1 s lands in the `le="1"` bucket, not the next one).
  const hdr = h.hdr as unknown as {
    recordedValuesIterator: ValuesIterator;
    lowestEquivalentValue(v: number): number;
  };
  const it = hdr.recordedValuesIterator;
  it.reset();
  const per = new Array(LATENCY_BUCKETS.length + 1).fill(0);
  let b = 0;
  while (it.hasNext()) {
    const v = it.next();
    const seconds = hdr.lowestEquivalentValue(v.valueIteratedTo) / 1e6;
    while (b < LATENCY_BUCKETS.length && seconds > LATENCY_BUCKETS[b]) b++;
    per[b] += v.countAtValueIteratedTo;
  }
  let running = 0;
  for (let i = 0; i < per.length; i++) {
    running += per[i];
    out.cumulative[i] = running;
  }
  out.count = running;
  out.sum = h.sum;
  return out;
}

/** `a + b`, bucket by bucket. */
export function addBuckets(a: BucketCounts, b: BucketCounts): BucketCounts {
  return {
    cumulative: a.cumulative.map((x, i) => x + b.cumulative[i]),
    count: a.count + b.count,
    sum: a.sum + b.sum,
  };
}
