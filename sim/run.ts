/**
 * Running a scenario: replications of the model, each in slices of simulated time so a caller can
 * watch (snapshots) or stop it, combined into one RunResult with 95 % confidence intervals.
 *
 * Slicing never changes the outcome: the kernel fires the same events in the same order whatever
 * the slice boundaries, so a watched run and a silent one give byte-identical results.
 */
import { EventEmitter } from 'node:events';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { evaluateBudgets } from '../results/budgets.js';
import { ci95 } from '../results/confidence.js';
import { failedField } from '../results/failed-latency.js';
import { LatencyHistogram, round } from '../results/histogram.js';
import type { FaultMark, JourneyResult, RunResult, ServiceResult } from '../results/run-result.js';
import { scenarioHash } from '../scenarios/hash.js';
import type { Scenario } from '../scenarios/schema.js';
import { advance, build, type Engine, type Model, type ServiceOut } from './build.js';
import { type ContentRaw, combineContent } from './content/content-results.js';
import { RandomStreams } from './kernel/random.js';
import { combineTimelines } from './queueing/combine-timelines.js';
import type { TimelineRecorder } from './queueing/timeline.js';
import { CAUSES } from './topology/topology.js';
import { Tracer } from './topology/tracer.js';
import { TraceWriter } from './topology/traces.js';

/** Options of a simulation run. */
export interface SimOptions {
  /** Master seed (default: the scenario's). */
  seed?: number;
  /** Independent replications (default: the scenario's). */
  replications?: number;
  /** Kernel events per slice between snapshots (default 250 000). */
  sliceEvents?: number;
  /**
   * Share of journeys (0..1) to trace as Zipkin spans into {@link SimRun.traces}. Replication 0 is
   * traced; sampling draws from a stream of its own, so the result is the same with or without.
   */
  traceSample?: number;
  /** `topology` forces the general engine where the stations fast path would run (cross-checks). */
  engine?: Engine;
}

/** A live view of a running simulation, emitted between slices. */
export interface SimSnapshot {
  replication: number;
  replications: number;
  /** Simulated seconds reached in this replication. */
  time: number;
  duration: number;
  /** Kernel events fired so far, all replications. */
  events: number;
  /** `latency` is the live histogram (a reference, for exporters: read it at once, never keep it). */
  journeys: {
    name: string;
    count: number;
    errors: number;
    p50: number;
    p99: number;
    latency?: LatencyHistogram;
  }[];
  services: { name: string; replicas: number; utilization: number; queue: number }[];
  /** Content figures so far, when the scenario models CDN, P2P or streams (the dashboard's content row). */
  cdn?: RunResult['cdn'];
  p2p?: RunResult['p2p'];
  streams?: RunResult['streams'];
}

/** What one replication measured, before combining. */
export interface ReplicationOutput {
  journeys: {
    name: string;
    count: number;
    errors: Record<string, number>;
    latency: LatencyHistogram;
    failed: LatencyHistogram;
  }[];
  services: ServiceOut[];
  timeline?: TimelineRecorder;
  faults: FaultMark[];
  /** The content models' measurements (CDN, P2P, stores, streams). */
  content?: ContentRaw;
  window: { start: number; end: number };
  events: number;
  stopped: boolean;
}

/** A running simulation: listen to `snapshot`, await `result`, call `stop()` to end it early. */
export class SimRun extends EventEmitter<{ snapshot: [SimSnapshot] }> {
  /** Resolves to the combined RunResult (partial when stopped). */
  readonly result: Promise<RunResult>;
  /** The sampled spans, complete once `result` resolves (when `traceSample` was given). */
  readonly traces: TraceWriter | undefined;
  private stopRequested = false;
  private pauseGate: Promise<void> | undefined;
  private resume: (() => void) | undefined;

  constructor(scenario: Scenario, opts: SimOptions = {}) {
    super();
    this.traces =
      opts.traceSample !== undefined
        ? new TraceWriter(opts.traceSample, new RandomStreams(opts.seed ?? scenario.seed, 0).stream('traces'))
        : undefined;
    this.result = this.drive(scenario, opts);
  }

  /** Ends the run after the current slice; the result keeps what was measured. */
  stop(): void {
    this.stopRequested = true;
    this.resume?.();
  }

  /** Pauses between slices until {@link SimRun.unpause}. */
  pause(): void {
    if (!this.pauseGate) this.pauseGate = new Promise((r) => (this.resume = r));
  }

  /** Continues a paused run. */
  unpause(): void {
    this.resume?.();
    this.pauseGate = undefined;
    this.resume = undefined;
  }

  get paused(): boolean {
    return this.pauseGate !== undefined;
  }

  private async drive(scenario: Scenario, opts: SimOptions): Promise<RunResult> {
    // Start on a later turn so listeners attached right after `simulate()` see every snapshot.
    await yieldToLoop();
    const seed = opts.seed ?? scenario.seed;
    const n = opts.replications ?? scenario.replications;
    const outs: ReplicationOutput[] = [];
    let events = 0;
    for (let rep = 0; rep < n && !this.stopRequested; rep++) {
      const tracer = rep === 0 && this.traces ? new Tracer(this.traces, CAUSES) : undefined;
      const model = build(scenario, seed, rep, tracer, opts.engine);
      const out = await runSliced(scenario, model, opts.sliceEvents, async () => {
        this.emit('snapshot', snapshot(scenario, model, rep, n, events + model.kernel.fired));
        await yieldToLoop();
        if (this.pauseGate) await this.pauseGate;
        return this.stopRequested;
      });
      if (tracer && model.topology) tracer.flush(model.topology.frames, model.kernel.now);
      events += out.events;
      outs.push(out);
    }
    return combine(scenario, outs, seed);
  }
}

/** Starts a simulation of `scenario` and returns its handle. */
export function simulate(scenario: Scenario, opts: SimOptions = {}): SimRun {
  return new SimRun(scenario, opts);
}

/** Runs one replication to the end, synchronously (benchmarks, workers, tests). */
export function runReplication(
  scenario: Scenario,
  seed: number,
  replication: number,
  engine: Engine = 'auto',
): ReplicationOutput {
  const model = build(scenario, seed, replication, undefined, engine);
  advance(model, scenario.duration);
  return collect(scenario, model, false);
}

/** Runs all replications synchronously and combines them. */
export function simulateSync(scenario: Scenario, opts: SimOptions = {}): RunResult {
  const seed = opts.seed ?? scenario.seed;
  const n = opts.replications ?? scenario.replications;
  const outs: ReplicationOutput[] = [];
  for (let rep = 0; rep < n; rep++) outs.push(runReplication(scenario, seed, rep, opts.engine));
  return combine(scenario, outs, seed);
}

async function runSliced(
  scenario: Scenario,
  model: Model,
  sliceEvents = 250_000,
  between: () => Promise<boolean>,
): Promise<ReplicationOutput> {
  const k = model.kernel;
  // Adapt the slice length in simulated time so each slice fires about `sliceEvents` events.
  let dt = scenario.duration / 1000;
  let stopped = false;
  while (k.now < scenario.duration) {
    const before = k.fired;
    advance(model, Math.min(scenario.duration, k.now + dt));
    const fired = k.fired - before;
    dt = fired > 0 ? Math.min(scenario.duration, (dt * sliceEvents) / fired) : dt * 4;
    if (k.now >= scenario.duration) break;
    if (await between()) {
      stopped = true;
      break;
    }
  }
  return collect(scenario, model, stopped);
}

function collect(scenario: Scenario, model: Model, stopped: boolean): ReplicationOutput {
  const now = model.kernel.now;
  return {
    journeys: model.journeys.stats.map((s) => ({
      name: s.name,
      count: s.count,
      errors: s.errors,
      latency: s.latency,
      failed: s.failed,
    })),
    services: model.services.map((svc) => svc.report(now)),
    timeline: model.timeline,
    faults: model.faults,
    ...(model.content ? { content: model.content.raw() } : {}),
    window: { start: Math.min(scenario.warmup, now), end: now },
    events: model.kernel.fired,
    stopped,
  };
}

function snapshot(scenario: Scenario, model: Model, rep: number, reps: number, events: number): SimSnapshot {
  const now = model.kernel.now;
  const content = model.content?.results();
  return {
    ...(content && { cdn: content.cdn, p2p: content.p2p, streams: content.streams }),
    replication: rep,
    replications: reps,
    time: now,
    duration: scenario.duration,
    events,
    journeys: model.journeys.stats.map((s) => ({
      name: s.name,
      count: s.count,
      errors: sumValues(s.errors),
      p50: s.latency.percentileMs(50),
      p99: s.latency.percentileMs(99),
      latency: s.latency,
    })),
    services: model.services.map((svc) => ({
      name: svc.name,
      replicas: svc.serving(),
      utilization: svc.utilization(now),
      queue: svc.meanQueue(now),
    })),
  };
}

/** Combines replications: pooled histograms and counts, intervals over replication means. */
export function combine(scenario: Scenario, outs: ReplicationOutput[], seed: number): RunResult {
  const windowLen = outs.reduce((a, o) => a + Math.max(0, o.window.end - o.window.start), 0);
  const journeys: Record<string, JourneyResult> = {};
  const names = outs[0]?.journeys.map((j) => j.name) ?? Object.keys(scenario.users.journeys);
  names.forEach((name, i) => {
    const pooled = new LatencyHistogram();
    const failedPooled = new LatencyHistogram();
    const errors: Record<string, number> = {};
    let count = 0;
    for (const o of outs) {
      const j = o.journeys[i];
      pooled.merge(j.latency);
      failedPooled.merge(j.failed);
      count += j.count;
      for (const [cause, n] of Object.entries(j.errors)) errors[cause] = (errors[cause] ?? 0) + n;
    }
    const failed = sumValues(errors);
    const per = outs.map((o) => o.journeys[i]);
    const mean = ci95(per.filter((j) => j.latency.count > 0).map((j) => j.latency.meanMs()));
    const result: JourneyResult = {
      count,
      errors: sortKeys(errors),
      errorRate: round(count > 0 ? failed / count : 0),
      throughput: round(windowLen > 0 ? count / windowLen : 0),
      latency: pooled.summary(),
      hdr: pooled.encode(),
      sumSeconds: round(pooled.sum, 9),
      ...failedField(failedPooled),
    };
    if (mean) {
      result.ci = {
        mean: roundPair(mean),
        p50: roundPair(ci95(per.map((j) => j.latency.percentileMs(50))) ?? [0, 0]),
        p99: roundPair(ci95(per.map((j) => j.latency.percentileMs(99))) ?? [0, 0]),
        throughput: roundPair(ci95(rates(outs, i)) ?? [0, 0]),
      };
    }
    journeys[name] = result;
  });

  const services: Record<string, ServiceResult> = {};
  const svcNames = outs[0]?.services.map((s) => s.name) ?? [];
  svcNames.forEach((name, i) => {
    const per = outs.map((o) => o.services[i]);
    const util = per.map((s) => s.utilization);
    const queue = per.map((s) => s.queue);
    const r: ServiceResult = {
      replicas: per[0].replicas,
      workers: per[0].workers,
      utilization: round(avg(util)),
      queue: round(avg(queue)),
      served: per.reduce((a, s) => a + s.served, 0),
      rejected: per.reduce((a, s) => a + s.rejected, 0),
    };
    const cu = ci95(util);
    const cq = ci95(queue);
    if (cu && cq) r.ci = { utilization: roundPair(cu), queue: roundPair(cq) };
    for (const key of ['retries', 'timeouts', 'hedges', 'breakerOpen', 'expired'] as const) {
      if (per[0][key] !== undefined) r[key] = per.reduce((a, s) => a + (s[key] ?? 0), 0);
    }
    // Time series cannot be averaged across replications without blurring them: the first
    // replication's are reported (every replication's are alike in distribution).
    if (per[0].breaker && per[0].breaker.length > 0)
      r.breaker = per[0].breaker.map(([t, st]) => [round(t), st]);
    if (per[0].replicasOverTime) r.replicasOverTime = per[0].replicasOverTime.map(([t, n]) => [round(t), n]);
    if (per[0].cost !== undefined) r.cost = round(avg(per.map((s) => s.cost ?? 0)), 4);
    if (per[0].staleBursts)
      r.staleBursts = per[0].staleBursts.map((b) => ({
        from: round(b.from),
        to: round(b.to),
        errors: b.errors,
      }));
    services[name] = r;
  });

  const last = outs[outs.length - 1];
  const result: RunResult = {
    version: 1,
    kind: 'sim',
    scenario: { name: scenario.name, hash: scenarioHash(scenario) },
    seed,
    replications: outs.length,
    window: { start: scenario.warmup, end: last ? round(last.window.end) : scenario.warmup },
    journeys,
    services,
    budgets: [],
    events: outs.reduce((a, o) => a + o.events, 0),
  };
  const timeline = combineTimelines(
    outs.map((o) => o.timeline),
    outs[0],
  );
  if (timeline) result.timeline = timeline;
  if (outs[0] && outs[0].faults.length > 0) result.faults = outs[0].faults;
  const cost = Object.values(services).reduce((a, s) => a + (s.cost ?? 0), 0);
  if (Object.values(services).some((s) => s.cost !== undefined)) result.cost = round(cost, 4);
  if (outs.some((o) => o.stopped)) result.partial = true;
  Object.assign(result, combineContent(outs.flatMap((o) => (o.content ? [o.content] : []))));
  if (scenario.budgets.length > 0) result.budgets = evaluateBudgets(result, scenario.budgets);
  return result;
}

/** Journey `i`'s throughput in each replication that has a window. */
function rates(outs: ReplicationOutput[], i: number): number[] {
  return outs
    .filter((o) => o.window.end > o.window.start)
    .map((o) => o.journeys[i].count / (o.window.end - o.window.start));
}

function avg(xs: number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;
}

function sumValues(o: Record<string, number>): number {
  let s = 0;
  for (const v of Object.values(o)) s += v;
  return s;
}

function sortKeys(o: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function roundPair([a, b]: [number, number]): [number, number] {
  return [round(a), round(b)];
}
