/**
 * A journey's figures over the last few seconds of a run, from the cumulative counters and the live
 * latency histogram that every snapshot carries. The dashboard's headline numbers and sparklines are
 * these windowed figures: since-start figures hide a 30 s outage in a 5 min run (a 4 % error burst
 * reads as 0.5 % by its end), while the last seconds show it as it happens.
 */
import { LatencyHistogram } from '../../results/histogram.js';
import type { CheckCount } from '../../results/run-result.js';

/** Seconds a window covers at least: wall time for a load run, simulated time for a simulation. */
export const WINDOW_SECONDS = 5;

/** The cumulative readings of one journey at one instant, as a snapshot gives them. */
export interface JourneyReading {
  count: number;
  errors: number;
  /** Failures by cause (load runs). */
  causes?: Record<string, number>;
  /** Check outcomes (load flows). */
  checks?: CheckCount;
  /** The live histogram of successful latencies (read at once, never kept: it keeps changing). */
  latency?: LatencyHistogram;
}

/** A journey's figures over one window. Latencies are NaN when no journey succeeded in it. */
export interface WindowFigures {
  /** The window's actual length: at least {@link WINDOW_SECONDS} once the run is that old. */
  seconds: number;
  count: number;
  errors: number;
  errorRate: number;
  throughput: number;
  causes: Record<string, number>;
  checks?: CheckCount;
  /** Successful journeys and their latency percentiles in ms. */
  successes: number;
  latency: { mean: number; p50: number; p90: number; p95: number; p99: number; p999: number; max: number };
}

interface Point {
  t: number;
  count: number;
  errors: number;
  causes: Record<string, number>;
  checks?: CheckCount;
  /** The histogram's bucket counts at `t`, and its exact sum of seconds. */
  latency: Float64Array;
  sum: number;
}

/**
 * Bucket index ↔ latency of every {@link LatencyHistogram} (they share one HDR layout, and a larger
 * range only adds buckets at the end). Plain counts keep the cost per snapshot small: copying and
 * subtracting HDR histograms of 16 k buckets took about 4.4 ms, copying and reading counts 1.7 ms.
 */
const LAYOUT = buckets(new LatencyHistogram());

/** The bucket API of hdr-histogram-js's JsHistogram (public there; `Histogram` does not declare it). */
interface Buckets {
  countsArrayLength: number;
  /** The typed array of counts (TypedArrayHistogram's, declared public in its typings). */
  _counts?: ArrayLike<number>;
  getCountAtIndex(index: number): number;
  valueFromIndex(index: number): number;
  highestEquivalentValue(value: number): number;
}

function buckets(h: LatencyHistogram): Buckets {
  // LatencyHistogram builds JS (not WebAssembly) histograms, which carry the bucket API.
  return h.hdr as unknown as Buckets;
}

/** The bucket counts of `h` (empty when there is none). */
function countsOf(h: LatencyHistogram | undefined): Float64Array {
  if (!h || h.count === 0) return new Float64Array(0);
  const hdr = buckets(h);
  if (hdr._counts && hdr._counts.length >= hdr.countsArrayLength) return Float64Array.from(hdr._counts);
  const out = new Float64Array(hdr.countsArrayLength);
  for (let i = 0; i < out.length; i++) out[i] = hdr.getCountAtIndex(i);
  return out;
}

const PERCENTILES = [50, 90, 95, 99, 99.9] as const;

/** Bucket `i` of `now` less the same bucket of `base` (a shorter array holds zeros beyond its end). */
const diffAt = (now: Float64Array, base: Float64Array, i: number): number =>
  now[i] - (i < base.length ? base[i] : 0);

/**
 * The latencies (ms) at {@link PERCENTILES} of the bucket counts `now - base` holding `total`, in one
 * pass and without building the difference (a snapshot arrives many times a second in a fast run).
 */
function percentiles(now: Float64Array, base: Float64Array, total: number): number[] {
  // As HdrHistogram reads a percentile: the highest value of the bucket holding that rank.
  const ranks = PERCENTILES.map((p) => Math.max(1, Math.ceil((p / 100) * total - 1e-9)));
  const out: number[] = [];
  let seen = 0;
  for (let i = 0; i < now.length && out.length < ranks.length; i++) {
    seen += diffAt(now, base, i);
    while (out.length < ranks.length && seen >= ranks[out.length]) out.push(bucketMs(i));
  }
  while (out.length < ranks.length) out.push(Number.NaN);
  return out;
}

function bucketMs(i: number): number {
  return LAYOUT.highestEquivalentValue(LAYOUT.valueFromIndex(i)) / 1000;
}

/** One journey's readings over the last {@link WINDOW_SECONDS} and a little more. */
export class RecentWindow {
  private points: Point[] = [];

  constructor(private readonly span = WINDOW_SECONDS) {}

  /** Adds the readings at `t` seconds. A clock that goes back (a new replication) starts afresh. */
  add(t: number, r: JourneyReading): void {
    const last = this.points[this.points.length - 1];
    if (last && t < last.t) this.points = [];
    else if (last && t === last.t) this.points.pop();
    // Counters start at zero with the clock (a load run's, a replication's), so that is a reading too.
    if (this.points.length === 0 && t > 0)
      this.points.push({ t: 0, count: 0, errors: 0, causes: {}, latency: new Float64Array(0), sum: 0 });
    this.points.push({
      t,
      count: r.count,
      errors: r.errors,
      causes: { ...(r.causes ?? {}) },
      checks: r.checks && { ...r.checks },
      latency: countsOf(r.latency),
      sum: r.latency?.sum ?? 0,
    });
    // Keep the newest point that is at least `span` old as the window's base; drop what is older.
    while (this.points.length > 2 && this.points[1].t <= t - this.span) this.points.shift();
  }

  /** The figures between the base point and the newest, or undefined before two readings. */
  figures(): WindowFigures | undefined {
    if (this.points.length < 2) return undefined;
    const base = this.points[0];
    const now = this.points[this.points.length - 1];
    return between(base, now);
  }
}

/** The difference of two readings. */
function between(a: Point, b: Point): WindowFigures {
  const seconds = b.t - a.t;
  const count = Math.max(0, b.count - a.count);
  const errors = Math.max(0, b.errors - a.errors);
  const causes: Record<string, number> = {};
  for (const [cause, n] of Object.entries(b.causes)) {
    const d = n - (a.causes[cause] ?? 0);
    if (d > 0) causes[cause] = d;
  }
  let successes = 0;
  let top = -1;
  for (let i = 0; i < b.latency.length; i++) {
    const d = diffAt(b.latency, a.latency, i);
    successes += d;
    if (d > 0) top = i;
  }
  const [p50, p90, p95, p99, p999] =
    successes > 0 ? percentiles(b.latency, a.latency, successes) : PERCENTILES.map(() => Number.NaN);
  const sum = b.sum - a.sum;
  const out: WindowFigures = {
    seconds,
    count,
    errors,
    errorRate: count > 0 ? errors / count : Number.NaN,
    throughput: seconds > 0 ? count / seconds : 0,
    causes,
    successes,
    latency: {
      mean: successes > 0 ? (sum / successes) * 1000 : Number.NaN,
      p50,
      p90,
      p95,
      p99,
      p999,
      max: top >= 0 ? bucketMs(top) : Number.NaN,
    },
  };
  if (b.checks) {
    out.checks = {
      pass: b.checks.pass - (a.checks?.pass ?? 0),
      fail: b.checks.fail - (a.checks?.fail ?? 0),
    };
  }
  return out;
}
