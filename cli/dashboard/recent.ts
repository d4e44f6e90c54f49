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
  /** A copy of the histogram at `t`. */
  latency: LatencyHistogram;
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
      this.points.push({ t: 0, count: 0, errors: 0, causes: {}, latency: new LatencyHistogram() });
    const latency = new LatencyHistogram();
    if (r.latency && r.latency.count > 0) latency.merge(r.latency);
    this.points.push({
      t,
      count: r.count,
      errors: r.errors,
      causes: { ...(r.causes ?? {}) },
      checks: r.checks && { ...r.checks },
      latency,
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
  const diff = new LatencyHistogram();
  diff.merge(b.latency);
  if (a.latency.count > 0) diff.hdr.subtract(a.latency.hdr);
  const h = diff.hdr;
  const successes = h.totalCount;
  const at = (p: number) => (successes > 0 ? h.getValueAtPercentile(p) / 1000 : Number.NaN);
  const sum = b.latency.sum - a.latency.sum;
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
      p50: at(50),
      p90: at(90),
      p95: at(95),
      p99: at(99),
      p999: at(99.9),
      max: successes > 0 ? h.maxValue / 1000 : Number.NaN,
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
