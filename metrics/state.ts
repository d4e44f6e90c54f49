/**
 * The numbers an exporter publishes, kept as plain data and updated from a run handle's snapshots
 * and, at the end, from its RunResult (so the last scrape equals the result exactly). Prometheus and
 * OTLP both read this one state; neither drives the run.
 */
import type { TwinServiceFigures } from '../loadtests/twin/meter.js';
import { LatencyHistogram } from '../results/histogram.js';
import type { RunResult } from '../results/run-result.js';
import { addBuckets, type BucketCounts, bucketCounts, emptyBuckets } from './buckets.js';

/** One journey as a snapshot shows it; `latency` is the live histogram when the run exposes it. */
export interface JourneyView {
  name: string;
  count: number;
  errors: number;
  causes?: Record<string, number>;
  latency?: LatencyHistogram;
}

/** What a load or sim snapshot offers the exporter (both handles' snapshots fit). */
export interface SnapshotView {
  journeys: JourneyView[];
  /** Load: seconds since start. */
  elapsed?: number;
  sent?: number;
  completed?: number;
  inFlight?: number;
  offeredRate?: number;
  /** Sim: replication index and simulated seconds. */
  replication?: number;
  time?: number;
  services?: { name: string; replicas: number; utilization: number; queue: number }[];
}

/** A journey's exported figures. */
export interface JourneyState {
  requests: number;
  errors: Record<string, number>;
  latency: BucketCounts;
}

/** A service's exported figures. */
export interface ServiceState {
  replicas: number;
  utilization: number;
  queue: number;
}

/** Everything exported, as of the last update. */
export class MetricsState {
  readonly journeys = new Map<string, JourneyState>();
  readonly services = new Map<string, ServiceState>();
  budgets: RunResult['budgets'] = [];
  /** The load generator's own lag and drops (known at the end of a run on the in-process driver). */
  generator: RunResult['generator'];
  sent = 0;
  inFlight = 0;
  offeredRate = 0;
  achievedRate = 0;
  /** Seconds of run time reached: wall for load, simulated for sim. */
  runSeconds = 0;
  finished = false;
  /** Brings live figures up to date before they are read (a twin's, see `MetricsExporter.followTwin`). */
  refresh: () => void = () => {};
  /** Marks live figures out of date (at each scrape, so one scrape reads them once). */
  expire: () => void = () => {};
  /** Totals of finished replications (sim restarts its counts in each replication). */
  private readonly done = new Map<string, JourneyState>();
  private readonly current = new Map<string, JourneyState>();
  private replication = 0;
  private last: { t: number; completed: number } | undefined;

  constructor(readonly clock: 'wall' | 'simulated') {}

  /** Folds in one snapshot. */
  update(s: SnapshotView): void {
    if (s.replication !== undefined && s.replication !== this.replication) {
      for (const [name, j] of this.current) this.done.set(name, sumJourney(this.done.get(name), j));
      this.current.clear();
      this.replication = s.replication;
    }
    for (const j of s.journeys) {
      const causes = j.causes ?? (j.errors > 0 ? { error: j.errors } : {});
      const current: JourneyState = {
        requests: j.count,
        errors: { ...causes },
        latency: j.latency ? bucketCounts(j.latency) : (this.current.get(j.name)?.latency ?? emptyBuckets()),
      };
      this.current.set(j.name, current);
      this.journeys.set(j.name, sumJourney(this.done.get(j.name), current));
    }
    for (const svc of s.services ?? []) this.services.set(svc.name, { ...svc });
    if (s.sent !== undefined) this.sent = s.sent;
    if (s.inFlight !== undefined) this.inFlight = s.inFlight;
    if (s.offeredRate !== undefined) this.offeredRate = s.offeredRate;
    const t = s.elapsed ?? s.time;
    if (t !== undefined) this.runSeconds = t;
    if (s.elapsed !== undefined && s.completed !== undefined) this.achieved(s.elapsed, s.completed);
  }

  /** Achieved rate over at least the last second (one snapshot alone is too noisy). */
  private achieved(t: number, completed: number): void {
    if (!this.last) {
      this.last = { t, completed };
      return;
    }
    if (t - this.last.t < 1) return;
    this.achievedRate = (completed - this.last.completed) / (t - this.last.t);
    this.last = { t, completed };
  }

  /** Service gauges from a twin's live figures (utilization since start, queue now, replicas). */
  twinServices(figures: Record<string, TwinServiceFigures>): void {
    for (const [name, f] of Object.entries(figures)) {
      const utilization = f.capacitySeconds > 0 ? f.busySeconds / f.capacitySeconds : 0;
      this.services.set(name, { replicas: f.replicas, utilization, queue: f.queue });
    }
  }

  /** Replaces the live figures with the run's result, exactly. */
  finish(result: RunResult): void {
    for (const [name, j] of Object.entries(result.journeys)) {
      const h = LatencyHistogram.decode(j.hdr, j.sumSeconds);
      this.journeys.set(name, { requests: j.count, errors: { ...j.errors }, latency: bucketCounts(h) });
    }
    for (const [name, s] of Object.entries(result.services ?? {}))
      this.services.set(name, { replicas: s.replicas, utilization: s.utilization, queue: s.queue });
    this.budgets = result.budgets;
    this.generator = result.generator;
    this.runSeconds = result.window.end;
    this.inFlight = 0;
    this.finished = true;
  }
}

function sumJourney(a: JourneyState | undefined, b: JourneyState): JourneyState {
  if (!a) return b;
  const errors = { ...a.errors };
  for (const [c, n] of Object.entries(b.errors)) errors[c] = (errors[c] ?? 0) + n;
  return { requests: a.requests + b.requests, errors, latency: addBuckets(a.latency, b.latency) };
}
