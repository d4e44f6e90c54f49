/**
 * What a load driver measures, per journey: latency from the intended start (coordinated omission
 * corrected) and from the actual send (uncorrected, for comparison), errors by cause, a per-second
 * timeline, and live snapshots. Turns into a `RunResult` of kind `load`.
 */
import { failedField } from '../results/failed-latency.js';
import { LatencyHistogram, round } from '../results/histogram.js';
import type {
  CheckCount,
  JourneyResult,
  JourneyTimeline,
  RunResult,
  Timeline,
} from '../results/run-result.js';
import { codeOfCause, StatusIntervals } from './status-intervals.js';

/** A live view of a running load test (same idea as the simulator's `SimSnapshot`). */
export interface LoadSnapshot {
  /** Seconds since the first intended start. */
  elapsed: number;
  duration: number;
  sent: number;
  completed: number;
  inFlight: number;
  /** Offered rate at this moment, per second (open model). */
  offeredRate: number;
  journeys: {
    name: string;
    count: number;
    errors: number;
    /** Failures so far by cause (`refused`, `timeout`, `status_503`…), for the dashboard. */
    causes: Record<string, number>;
    p50: number;
    p99: number;
    /** The live latency histogram (a reference, for exporters: read it at once, never keep it). */
    latency?: LatencyHistogram;
    /** Flows: every check of the journey so far (the dashboard's check pass rate). */
    checks?: CheckCount;
  }[];
  /** The generator's own health so far (in-process open/closed model). */
  generator?: GeneratorLive;
}

/** The generator row of the live view. */
export interface GeneratorLive {
  /** Scheduler lag p99, ms. */
  lagP99: number;
  /** Share of requests more than 10 ms late. */
  lateShare: number;
  dropped: number;
  /** Event-loop delay p99, ms. */
  loopP99: number;
}

/** Error causes from Node socket errors; non-2xx responses are `status_<code>`. */
export function causeOf(err: unknown): string {
  const e = err as NodeJS.ErrnoException | undefined;
  switch (e?.code) {
    case 'ECONNREFUSED':
      return 'refused';
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
      return 'reset';
    case 'ETIMEDOUT':
    case 'ESOCKETTIMEDOUT':
    case 'TIMEOUT':
      return 'timeout';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'dns';
    default:
      // Certificate and handshake failures come under many codes; one cause says what to fix.
      if (/CERT|TLS|SSL|SIGNATURE/.test(e?.code ?? '')) return 'tls';
      return e?.message === 'socket hang up' ? 'reset' : (e?.code?.toLowerCase() ?? 'error');
  }
}

interface JourneyAcc {
  name: string;
  corrected: LatencyHistogram;
  uncorrected: LatencyHistogram;
  /** Failed requests, intended start → failure (kept apart from the successful `corrected`). */
  failed: LatencyHistogram;
  errors: Record<string, number>;
  count: number;
  // The current timeline interval.
  bucket: LatencyHistogram;
  bucketCount: number;
  bucketErrors: number;
}

/** Closes an interval's errors: the failed share of the `done` journeys (as simulations write it) and the count. */
function pushErrors(tl: JourneyTimeline, failed: number, done: number): void {
  tl.errors.push(done > 0 ? round(failed / done) : 0);
  tl.failed?.push(failed);
}

/** One journey's interval as data: its latency histogram, count and errors. */
interface IntervalState {
  hdr: string;
  sum: number;
  count: number;
  errors: number;
}

/**
 * One worker thread's measurements as plain data (crosses `postMessage`), merged exactly by
 * {@link LoadCollector.merged}: histograms add bucket by bucket, counts and errors sum.
 */
export interface CollectorState {
  sent: number;
  completed: number;
  journeys: {
    corrected: string;
    correctedSum: number;
    /** Exact maxima (an HDR max is only known to its bucket). */
    correctedMax: number;
    uncorrectedMax: number;
    uncorrected: string;
    uncorrectedSum: number;
    failed: string;
    failedSum: number;
    failedMax: number;
    errors: Record<string, number>;
    count: number;
  }[];
  /** Closed timeline intervals, `[interval][journey]`. */
  intervals: IntervalState[][];
  /** Closed intervals' responses by status code (failures by cause), all journeys together. */
  statuses?: Record<string, number>[];
}

/** Accumulates measurements of one run. Times are seconds relative to the run's start. */
export class LoadCollector {
  readonly journeys: JourneyAcc[];
  readonly timeline: Timeline;
  sent = 0;
  completed = 0;
  /** Requests intended to start before this many seconds are sent but left out of the statistics. */
  warmup = 0;
  /** Keep each closed interval's histograms, so a worker's timeline can be merged exactly. */
  keepIntervals = false;
  private readonly intervals: IntervalState[][] = [];
  /** Status codes per interval, every journey (flows keep their own per-step view besides). */
  private readonly statuses = new StatusIntervals();
  private bucketEnd: number;

  constructor(
    names: string[],
    readonly interval = 1,
  ) {
    this.journeys = names.map((name) => ({
      name,
      corrected: new LatencyHistogram(),
      uncorrected: new LatencyHistogram(),
      failed: new LatencyHistogram(),
      errors: {},
      count: 0,
      bucket: new LatencyHistogram(),
      bucketCount: 0,
      bucketErrors: 0,
    }));
    this.bucketEnd = interval;
    this.timeline = { interval, t: [], journeys: {}, services: {} };
    for (const n of names)
      this.timeline.journeys[n] = { throughput: [], p50: [], p99: [], errors: [], failed: [] };
  }

  /** Closes timeline intervals that ended before `now`. */
  advance(now: number): void {
    while (now >= this.bucketEnd) {
      this.timeline.t.push(round(this.bucketEnd - this.interval));
      this.statuses.close();
      if (this.keepIntervals)
        this.intervals.push(
          this.journeys.map((j) => ({
            hdr: j.bucket.encode(),
            sum: j.bucket.sum,
            count: j.bucketCount,
            errors: j.bucketErrors,
          })),
        );
      for (const j of this.journeys) {
        const tl = this.timeline.journeys[j.name];
        tl.throughput.push(round(j.bucketCount / this.interval));
        tl.p50.push(round(j.bucket.percentileMs(50)));
        tl.p99.push(round(j.bucket.percentileMs(99)));
        pushErrors(tl, j.bucketErrors, j.bucketCount);
        if (j.bucket.count > 0) j.bucket = new LatencyHistogram();
        j.bucketCount = 0;
        j.bucketErrors = 0;
      }
      this.bucketEnd += this.interval;
    }
  }

  /** A successful response: `intended`, `sent` and `done` in seconds since start. */
  ok(journey: number, intended: number, sent: number, done: number, status = 200): void {
    this.advance(done);
    this.completed++;
    if (intended < this.warmup) return;
    const j = this.journeys[journey];
    const corrected = Math.max(0, done - intended);
    j.corrected.record(corrected);
    j.uncorrected.record(Math.max(0, done - sent));
    j.bucket.record(corrected);
    this.statuses.add(String(status));
    j.count++;
    j.bucketCount++;
  }

  /**
   * A failed request, by cause; `intended` decides whether it falls in the warm-up and, when known,
   * gives the failure's latency (a driver that cannot tell when the request started omits it).
   */
  fail(journey: number, cause: string, done: number, intended?: number): void {
    this.advance(done);
    this.completed++;
    if ((intended ?? done) < this.warmup) return;
    const j = this.journeys[journey];
    j.errors[cause] = (j.errors[cause] ?? 0) + 1;
    if (intended !== undefined) j.failed.record(Math.max(0, done - intended));
    this.statuses.add(codeOfCause(cause));
    j.count++;
    j.bucketCount++;
    j.bucketErrors++;
  }

  /**
   * This collector's measurements as data; closed intervals (kept with {@link keepIntervals})
   * unless `withIntervals` is false (live views do without them).
   */
  state(withIntervals = true): CollectorState {
    return {
      sent: this.sent,
      completed: this.completed,
      journeys: this.journeys.map((j) => ({
        corrected: j.corrected.encode(),
        correctedSum: j.corrected.sum,
        correctedMax: j.corrected.maxSeconds,
        uncorrectedMax: j.uncorrected.maxSeconds,
        uncorrected: j.uncorrected.encode(),
        uncorrectedSum: j.uncorrected.sum,
        failed: j.failed.encode(),
        failedSum: j.failed.sum,
        failedMax: j.failed.maxSeconds,
        errors: { ...j.errors },
        count: j.count,
      })),
      intervals: withIntervals ? this.intervals : [],
      statuses: withIntervals ? this.statuses.closed : [],
    };
  }

  /**
   * One collector holding the union of the threads' measurements: the same histograms, counts,
   * errors and timeline as if one thread had recorded everything.
   */
  static merged(names: string[], states: readonly CollectorState[], interval = 1): LoadCollector {
    const c = new LoadCollector(names, interval);
    const longest = Math.max(0, ...states.map((s) => s.intervals.length));
    for (let i = 0; i < longest; i++) {
      c.timeline.t.push(round(i * interval));
      c.journeys.forEach((j, k) => {
        const h = new LatencyHistogram();
        let count = 0;
        let errors = 0;
        for (const s of states) {
          const iv = s.intervals[i]?.[k];
          if (!iv) continue;
          if (iv.count > 0) h.merge(LatencyHistogram.decode(iv.hdr, iv.sum));
          count += iv.count;
          errors += iv.errors;
        }
        const tl = c.timeline.journeys[j.name];
        tl.throughput.push(round(count / interval));
        tl.p50.push(round(h.percentileMs(50)));
        tl.p99.push(round(h.percentileMs(99)));
        pushErrors(tl, errors, count);
      });
    }
    c.bucketEnd = (longest + 1) * interval;
    for (const s of states) {
      c.statuses.mergeClosed(s.statuses ?? [], longest);
      c.sent += s.sent;
      c.completed += s.completed;
      s.journeys.forEach((sj, k) => {
        const j = c.journeys[k];
        j.corrected.merge(exact(sj.corrected, sj.correctedSum, sj.correctedMax));
        j.uncorrected.merge(exact(sj.uncorrected, sj.uncorrectedSum, sj.uncorrectedMax));
        j.failed.merge(exact(sj.failed, sj.failedSum, sj.failedMax));
        for (const [cause, n] of Object.entries(sj.errors)) j.errors[cause] = (j.errors[cause] ?? 0) + n;
        j.count += sj.count;
      });
    }
    return c;
  }

  /** The live view. */
  snapshot(elapsed: number, duration: number, offeredRate: number): LoadSnapshot {
    return {
      elapsed: round(elapsed, 3),
      duration,
      sent: this.sent,
      completed: this.completed,
      inFlight: this.sent - this.completed,
      offeredRate: round(offeredRate, 3),
      journeys: this.journeys.map((j) => ({
        name: j.name,
        count: j.count,
        errors: sum(j.errors),
        causes: { ...j.errors },
        p50: j.corrected.percentileMs(50),
        p99: j.corrected.percentileMs(99),
        latency: j.corrected,
      })),
    };
  }

  /** Latency measured from the actual send, per journey (what a closed-loop tool would report). */
  uncorrected(): Record<string, ReturnType<LatencyHistogram['summary']>> {
    return Object.fromEntries(this.journeys.map((j) => [j.name, j.uncorrected.summary()]));
  }

  /** The RunResult for a window of `seconds`. */
  result(meta: {
    scenario: string;
    scenarioHash: string;
    seed: number;
    tool: string;
    seconds: number;
    partial: boolean;
    target: RunResult['target'];
  }): RunResult {
    const journeys: Record<string, JourneyResult> = {};
    for (const j of this.journeys) {
      const failed = sum(j.errors);
      journeys[j.name] = {
        count: j.count,
        errors: Object.fromEntries(Object.entries(j.errors).sort(([a], [b]) => (a < b ? -1 : 1))),
        errorRate: round(j.count > 0 ? failed / j.count : 0),
        throughput: round(meta.seconds > this.warmup ? j.count / (meta.seconds - this.warmup) : 0),
        latency: j.corrected.summary(),
        hdr: j.corrected.encode(),
        sumSeconds: round(j.corrected.sum, 9),
        ...failedField(j.failed),
      };
    }
    const r: RunResult = {
      version: 1,
      kind: 'load',
      scenario: { name: meta.scenario, hash: meta.scenarioHash },
      seed: meta.seed,
      tool: meta.tool,
      window: { start: round(Math.min(this.warmup, meta.seconds), 3), end: round(meta.seconds, 3) },
      journeys,
      budgets: [],
      timeline: this.timeline,
      target: meta.target,
    };
    const statusTimeline = this.statuses.timeline(this.interval, this.timeline.t);
    if (statusTimeline) r.statusTimeline = statusTimeline;
    if (meta.partial) r.partial = true;
    return r;
  }
}

/** A decoded histogram with its exact sum and max restored. */
function exact(encoded: string, sum: number, max: number): LatencyHistogram {
  const h = LatencyHistogram.decode(encoded, sum);
  h.maxSeconds = max;
  return h;
}

function sum(o: Record<string, number>): number {
  let s = 0;
  for (const v of Object.values(o)) s += v;
  return s;
}
