/**
 * The per-interval timeline of a run: throughput, p50, p99 and errors per journey; utilization,
 * queue and replicas per service. Journeys record every completion into a small log-bucket
 * histogram (16 buckets per doubling, ≈ 4.4 % wide) that is read and cleared at each tick, so the
 * per-interval percentiles cost one `log2` per journey and a few hundred bytes.
 */

const PER_OCTAVE = 16;
const BUCKETS = PER_OCTAVE * 32; // 1 µs .. ~71 minutes

/** A resettable log-bucket histogram of latencies in seconds. */
export class IntervalHistogram {
  readonly counts = new Float64Array(BUCKETS);
  count = 0;

  record(seconds: number): void {
    const us = seconds * 1e6;
    let i = us <= 1 ? 0 : Math.floor(Math.log2(us) * PER_OCTAVE);
    if (i >= BUCKETS) i = BUCKETS - 1;
    this.counts[i]++;
    this.count++;
  }

  /** Value at percentile `p` (0..100) in milliseconds: the geometric middle of its bucket. */
  percentileMs(p: number): number {
    if (this.count === 0) return 0;
    const want = Math.max(1, Math.ceil((p / 100) * this.count));
    let acc = 0;
    for (let i = 0; i < BUCKETS; i++) {
      acc += this.counts[i];
      if (acc >= want) return 2 ** ((i + 0.5) / PER_OCTAVE) / 1000;
    }
    return 2 ** (BUCKETS / PER_OCTAVE) / 1000;
  }

  clear(): void {
    this.counts.fill(0);
    this.count = 0;
  }
}

/** Series of one journey. */
export interface JourneySeries {
  throughput: number[];
  p50: number[];
  p99: number[];
  errors: number[];
}

/** Series of one service. */
export interface ServiceSeries {
  utilization: number[];
  queue: number[];
  replicas: number[];
}

/** Collects one replication's timeline. */
export class TimelineRecorder {
  readonly interval: number;
  readonly t: number[] = [];
  readonly journeys: JourneySeries[];
  readonly services: ServiceSeries[];
  /** Per CDN edge (and `shield`): requests and hit ratio per interval (scenarios with a CDN). */
  readonly cdn: Record<string, { requests: number[]; hitRatio: number[] }> = {};
  /** Per stream: the highest sampled consumer lag (messages) per interval. */
  readonly streams: Record<string, { lag: number[] }> = {};
  private readonly hist: IntervalHistogram[];
  private readonly done: Float64Array;
  private readonly failed: Float64Array;

  constructor(interval: number, journeys: number, services: number) {
    this.interval = interval;
    this.journeys = Array.from({ length: journeys }, () => ({
      throughput: [],
      p50: [],
      p99: [],
      errors: [],
    }));
    this.services = Array.from({ length: services }, () => ({ utilization: [], queue: [], replicas: [] }));
    this.hist = Array.from({ length: journeys }, () => new IntervalHistogram());
    this.done = new Float64Array(journeys);
    this.failed = new Float64Array(journeys);
  }

  /** The CDN's rows for the interval just closed. */
  closeCdn(rows: Record<string, { requests: number; hitRatio: number }>): void {
    for (const [edge, r] of Object.entries(rows)) {
      const s = (this.cdn[edge] ??= { requests: [], hitRatio: [] });
      s.requests.push(r.requests);
      s.hitRatio.push(r.hitRatio);
    }
  }

  /** A stream's peak lag for the interval just closed. */
  closeStream(name: string, lag: number): void {
    (this.streams[name] ??= { lag: [] }).lag.push(lag);
  }

  /** A journey finished successfully after `seconds`. */
  success(j: number, seconds: number): void {
    this.done[j]++;
    this.hist[j].record(seconds);
  }

  /** A journey failed. */
  failure(j: number): void {
    this.done[j]++;
    this.failed[j]++;
  }

  /**
   * Closes the interval that started at `start` and lasted `span` seconds; `service(i)` gives each
   * service's utilization, mean queue and replicas over it.
   */
  close(start: number, span: number, service: (i: number) => [number, number, number]): void {
    this.t.push(start);
    this.journeys.forEach((s, j) => {
      const h = this.hist[j];
      s.throughput.push(span > 0 ? this.done[j] / span : 0);
      s.p50.push(h.percentileMs(50));
      s.p99.push(h.percentileMs(99));
      s.errors.push(this.done[j] > 0 ? this.failed[j] / this.done[j] : 0);
      h.clear();
      this.done[j] = 0;
      this.failed[j] = 0;
    });
    this.services.forEach((s, i) => {
      const [u, q, r] = service(i);
      s.utilization.push(u);
      s.queue.push(q);
      s.replicas.push(r);
    });
  }
}

/** A round interval near `duration / 60`: the nearest (in ratio) of 1, 2 or 5 × a power of ten seconds. */
export function niceInterval(duration: number): number {
  const raw = duration / 60;
  if (!(raw > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(raw));
  let best = p;
  for (const m of [1, 2, 5, 10])
    if (Math.abs(Math.log((m * p) / raw)) < Math.abs(Math.log(best / raw))) best = m * p;
  return best;
}
