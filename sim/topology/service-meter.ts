/**
 * What the topology engine measures per service: counters, time integrals of busy workers, queue,
 * routable capacity and paid replicas, the replica count over time, and the per-interval timeline
 * columns. Windows (since warm-up, per timeline interval, per autoscaler evaluation) are differences
 * of integral readings, so none of them disturbs another.
 */
import { Integrals } from '../kernel/integrals.js';
import type { TimelineRecorder } from '../queueing/timeline.js';
import type { ReplicaPool } from './replicas.js';

/** Counters of one service since warm-up. */
export interface ServiceCounters {
  served: number;
  rejected: number;
  retries: number;
  timeouts: number;
  hedges: number;
  /** Calls failed fast by the callee's open breaker (never sent). */
  breakerOpen: number;
  /** Requests dropped unserved at the head of the queue because their deadline had passed. */
  expired: number;
}

/** Counters per service in {@link ServiceMeter.counters}; the offsets follow. */
export const COUNTERS = 7;
/** Offsets of the counters in {@link ServiceMeter.counters}: `counters[s * COUNTERS + EXPIRED]`. */
export const SERVED = 0;
export const REJECTED_COUNT = 1;
export const RETRIES = 2;
export const TIMEOUTS = 3;
export const HEDGES = 4;
export const BREAKER_OPEN = 5;
export const EXPIRED = 6;

/** Per-service and per-group measurements of one replication. */
export class ServiceMeter {
  /** {@link COUNTERS} per service: served rejected retries timeouts hedges breakerOpen expired (offsets above). */
  readonly counters: Float64Array;
  readonly busy: Integrals;
  readonly queue: Integrals;
  readonly cap: Integrals;
  readonly paid: Integrals;
  /** Routable (up, not down, not draining) replicas per service. */
  readonly routable: Int32Array;
  /** Busy workers and routable workers per group, read by the autoscaler. */
  readonly grpBusy: Integrals;
  readonly grpCap: Integrals;
  /** Routable replicas of each service over time. */
  readonly replicasOverTime: [number, number][][];
  private warm = {
    busy: new Float64Array(0),
    queue: new Float64Array(0),
    cap: new Float64Array(0),
    paid: new Float64Array(0),
  };
  private tickMark = {
    busy: new Float64Array(0),
    queue: new Float64Array(0),
    cap: new Float64Array(0),
    at: 0,
  };

  /**
   * @param scaled per group, whether an autoscaler reads its busy integral (others skip the update).
   */
  constructor(
    private readonly pool: ReplicaPool,
    private readonly services: number,
    private readonly scaled: readonly boolean[],
    private readonly warmup: number,
  ) {
    this.counters = new Float64Array(services * COUNTERS);
    this.busy = new Integrals(services);
    this.queue = new Integrals(services);
    this.cap = new Integrals(services);
    this.paid = new Integrals(services);
    this.routable = new Int32Array(services);
    this.grpBusy = new Integrals(scaled.length);
    this.grpCap = new Integrals(scaled.length);
    this.replicasOverTime = Array.from({ length: services }, () => []);
  }

  /** Replica `r` has `d` more busy workers. */
  busyDelta(r: number, d: number, now: number): void {
    const pool = this.pool;
    pool.busy[r] += d;
    this.busy.add(pool.service[r], d, now);
    const g = pool.group[r];
    if (this.scaled[g]) this.grpBusy.add(g, d, now);
  }

  /** Routable workers of `r`'s service change by `sign` × workers. */
  capDelta(r: number, sign: number, now: number): void {
    const pool = this.pool;
    const w = sign * pool.workers[r];
    const s = pool.service[r];
    this.cap.add(s, w, now);
    this.grpCap.add(pool.group[r], w, now);
    this.routable[s] += sign;
  }

  /** Appends service `s`'s routable count to its series when it changed. */
  noteReplicas(s: number, now: number): void {
    const series = this.replicasOverTime[s];
    const last = series[series.length - 1];
    if (last && last[0] === now) last[1] = this.routable[s];
    else if (!last || last[1] !== this.routable[s]) series.push([now, this.routable[s]]);
  }

  /** Starts every series and the first timeline interval at `now`. */
  start(now: number): void {
    const S = this.services;
    for (let s = 0; s < S; s++) this.replicasOverTime[s].push([now, this.routable[s]]);
    this.tickMark = {
      busy: new Float64Array(S),
      queue: new Float64Array(S),
      cap: new Float64Array(S),
      at: now,
    };
  }

  /** The warm-up ends: windows start here and counters restart from zero. */
  markWarm(now: number): void {
    const S = this.services;
    this.warm = {
      busy: Float64Array.from({ length: S }, (_, s) => this.busy.at(s, now)),
      queue: Float64Array.from({ length: S }, (_, s) => this.queue.at(s, now)),
      cap: Float64Array.from({ length: S }, (_, s) => this.cap.at(s, now)),
      paid: Float64Array.from({ length: S }, (_, s) => this.paid.at(s, now)),
    };
    this.counters.fill(0);
  }

  /** Closes the timeline interval ending `now` with each service's utilization, queue and replicas. */
  closeInterval(timeline: TimelineRecorder, now: number): void {
    const m = this.tickMark;
    const span = now - m.at;
    timeline.close(m.at, span, (s) => {
      const busy = this.busy.at(s, now);
      const queue = this.queue.at(s, now);
      const cap = this.cap.at(s, now);
      const out: [number, number, number] = [
        cap - m.cap[s] > 0 ? (busy - m.busy[s]) / (cap - m.cap[s]) : 0,
        span > 0 ? (queue - m.queue[s]) / span : 0,
        this.routable[s],
      ];
      m.busy[s] = busy;
      m.queue[s] = queue;
      m.cap[s] = cap;
      return out;
    });
    m.at = now;
  }

  /** Counters of service `s` since warm-up. */
  counts(s: number): ServiceCounters {
    const c = this.counters;
    return {
      served: c[s * COUNTERS + SERVED],
      rejected: c[s * COUNTERS + REJECTED_COUNT],
      retries: c[s * COUNTERS + RETRIES],
      timeouts: c[s * COUNTERS + TIMEOUTS],
      hedges: c[s * COUNTERS + HEDGES],
      breakerOpen: c[s * COUNTERS + BREAKER_OPEN],
      expired: c[s * COUNTERS + EXPIRED],
    };
  }

  /** Utilization of service `s`'s routable workers since warm-up (0..1). */
  utilization(s: number, now: number): number {
    const cap = this.cap.at(s, now) - this.warm.cap[s];
    return cap > 0 ? (this.busy.at(s, now) - this.warm.busy[s]) / cap : 0;
  }

  /** Mean requests waiting at service `s` since warm-up, over all its replicas. */
  meanQueue(s: number, now: number): number {
    const span = now - Math.min(this.warmup, now);
    return span > 0 ? (this.queue.at(s, now) - this.warm.queue[s]) / span : this.queue.level[s];
  }

  /** Replica-hours paid for service `s` since warm-up. */
  paidHours(s: number, now: number): number {
    return (this.paid.at(s, now) - this.warm.paid[s]) / 3600;
  }
}
