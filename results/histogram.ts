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

/** A latency histogram with an exact running mean beside the HDR buckets. */
export class LatencyHistogram {
  readonly hdr: hdr.Histogram;
  /** Sum of recorded values in seconds (the HDR mean is bucket-rounded; this one is exact). */
  sum = 0;
  count = 0;

  constructor(from?: hdr.Histogram, sum?: number) {
    this.hdr =
      from ??
      hdr.build({
        bitBucketSize: 'packed',
        autoResize: true,
        lowestDiscernibleValue: 1,
        highestTrackableValue: 2,
        numberOfSignificantValueDigits: 3,
        useWebAssembly: false,
      });
    if (from) {
      this.count = from.totalCount;
      this.sum = sum ?? (from.mean * from.totalCount) / 1e6;
    }
  }

  /** Records one latency given in seconds. */
  record(seconds: number): void {
    this.hdr.recordValue(Math.max(1, Math.round(seconds * 1e6)));
    this.sum += seconds;
    this.count++;
  }

  /** Adds another histogram's counts into this one. */
  merge(other: LatencyHistogram): void {
    this.hdr.add(other.hdr);
    this.sum += other.sum;
    this.count += other.count;
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
      max: round(this.count === 0 ? 0 : this.hdr.maxValue / 1000),
    };
  }

  /** Compressed base64 HdrHistogram encoding (the format every HdrHistogram port reads). */
  encode(): string {
    return hdr.encodeIntoCompressedBase64(this.hdr);
  }

  /** Decodes {@link LatencyHistogram.encode} output; `sumSeconds` restores the exact mean. */
  static decode(encoded: string, sumSeconds?: number): LatencyHistogram {
    const h = hdr.decodeFromCompressedBase64(encoded, 'packed', true);
    return new LatencyHistogram(h, sumSeconds);
  }
}

/** Rounds to 6 decimals so JSON stays readable and byte-stable. */
export function round(x: number, digits = 6): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
