/**
 * Latency histograms: HDR (hdr-histogram-js), recorded in microseconds, mergeable and encodable,
 * so results from replications, repeated runs or many load generators merge into exact percentiles.
 */
import * as hdr from 'hdr-histogram-js';

/** Percentile summary in milliseconds. */
export interface LatencySummary {
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
}

// The HDR layout for 3 significant digits and a unit of 1 µs: 2048 sub-buckets, half of 1024.
const HALF_MAG = 10;
const HALF = 1 << HALF_MAG;
// Values below 2^31 µs (about 36 minutes) take the fast path; longer ones go straight to HDR.
const FAST_BUCKETS = 31 - HALF_MAG;
const FAST_LENGTH = (FAST_BUCKETS + 1) * HALF;

/**
 * A latency histogram with an exact running mean and max beside the HDR buckets.
 *
 * Recording is on every simulated request's path, so it counts into a plain array laid out exactly
 * like HDR's (bucket from `clz32`, no `log2`/`pow`) and folds the counts into the HDR histogram
 * only when it is read. The result is identical to recording each value into HDR directly.
 */
export class LatencyHistogram {
  /** Sum of recorded values in seconds (the HDR mean is bucket-rounded; this one is exact). */
  sum = 0;
  count = 0;
  /** Largest recorded value in seconds. */
  maxSeconds = 0;
  private readonly full: hdr.Histogram;
  private fast: Float64Array | undefined;
  private dirty = false;

  constructor(from?: hdr.Histogram, sum?: number) {
    this.full =
      from ??
      hdr.build({
        bitBucketSize: 32,
        autoResize: true,
        lowestDiscernibleValue: 1,
        highestTrackableValue: 2,
        numberOfSignificantValueDigits: 3,
        useWebAssembly: false,
      });
    if (from) {
      this.count = from.totalCount;
      this.sum = sum ?? (from.mean * from.totalCount) / 1e6;
      this.maxSeconds = from.maxValue / 1e6;
    }
  }

  /** The HDR histogram with every recorded value folded in. */
  get hdr(): hdr.Histogram {
    if (this.dirty) this.flush();
    return this.full;
  }

  /** Records one latency given in seconds. */
  record(seconds: number): void {
    this.sum += seconds;
    this.count++;
    if (seconds > this.maxSeconds) this.maxSeconds = seconds;
    const v = seconds < 1e-6 ? 1 : Math.round(seconds * 1e6);
    if (v >= 2147483648) {
      this.full.recordValue(v);
      return;
    }
    const b = Math.max(0, 31 - Math.clz32(v) - HALF_MAG);
    if (this.fast === undefined) this.fast = new Float64Array(FAST_LENGTH);
    this.fast[((b + 1) << HALF_MAG) + (v >>> b) - HALF]++;
    this.dirty = true;
  }

  /** Adds another histogram's counts into this one. */
  merge(other: LatencyHistogram): void {
    this.hdr.add(other.hdr);
    this.sum += other.sum;
    this.count += other.count;
    if (other.maxSeconds > this.maxSeconds) this.maxSeconds = other.maxSeconds;
  }

  private flush(): void {
    const fast = this.fast!;
    for (let i = 0; i < FAST_LENGTH; i++) {
      const n = fast[i];
      if (n === 0) continue;
      let b = (i >> HALF_MAG) - 1;
      let sub = i - ((b + 1) << HALF_MAG) + HALF;
      if (b < 0) {
        b = 0;
        sub = i;
      }
      this.full.recordValueWithCount(sub * 2 ** b, n);
      fast[i] = 0;
    }
    this.dirty = false;
  }

  /** Value at percentile `p` (0..100) in milliseconds. */
  percentileMs(p: number): number {
    return this.count === 0 ? 0 : this.hdr.getValueAtPercentile(p) / 1000;
  }

  /** Mean in milliseconds (exact). */
  meanMs(): number {
    return this.count === 0 ? 0 : (this.sum / this.count) * 1000;
  }

  /** The summary every RunResult journey carries. */
  summary(): LatencySummary {
    return {
      mean: round(this.meanMs()),
      p50: round(this.percentileMs(50)),
      p90: round(this.percentileMs(90)),
      p95: round(this.percentileMs(95)),
      p99: round(this.percentileMs(99)),
      p999: round(this.percentileMs(99.9)),
      max: round(this.maxSeconds * 1000),
    };
  }

  /** Compressed base64 HdrHistogram encoding (the format every HdrHistogram port reads). */
  encode(): string {
    return hdr.encodeIntoCompressedBase64(this.hdr);
  }

  /** Decodes {@link LatencyHistogram.encode} output; `sumSeconds` restores the exact mean. */
  static decode(encoded: string, sumSeconds?: number): LatencyHistogram {
    const h = hdr.decodeFromCompressedBase64(encoded, 32, false);
    // A decoded histogram covers only its own values; merging a longer one into it must grow it.
    h.autoResize = true;
    return new LatencyHistogram(h, sumSeconds);
  }
}

/** Rounds to 6 decimals so JSON stays readable and byte-stable. */
export function round(x: number, digits = 6): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
