/**
 * The in-process load driver behind `backline load`: checks the target against the allow-list,
 * checks it answers, then runs the plan (open model on our scheduler, closed model with users and
 * think times, or max throughput on autocannon), emitting snapshots about every 250 ms and
 * resolving to a `RunResult` of kind `load`. `stop()` (Ctrl-C) keeps what was measured.
 */
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import { UsageError } from '../../results/errors.js';
import type { LatencySummary } from '../../results/histogram.js';
import type { RunResult } from '../../results/run-result.js';
import { scenarioHash } from '../../scenarios/hash.js';
import type { Scenario } from '../../scenarios/schema.js';
import { LoadCollector, type LoadSnapshot } from '../collector.js';
import { type FlowStart, flowExecutor } from '../flow/executor.js';
import { setupFlows } from '../flow/program.js';
import { addFlowResults } from '../flow/results.js';
import { FlowStats } from '../flow/stats.js';
import { maskTarget } from '../mask.js';
import { buildPlan, expectedArrivals, type PlanOptions, type RequestPlan, rateAt } from '../plan.js';
import { assertReachable } from '../reachable.js';
import { checkTarget } from '../safety.js';
import { openTransport, type TransportKind } from '../transport/open.js';
import { createExecutor, executorContext } from './executor.js';
import { GeneratorMonitor, generatorResult } from './generator.js';
import { runMax } from './max.js';
import { runSchedule } from './scheduler.js';
import { chooseWorkers, type WorkerChoice } from './worker-count.js';
import { runWorkerSlices } from './workers.js';

/** Options of a load run. */
export interface LoadOptions extends PlanOptions {
  /** `open`/`closed` follow the scenario; `max` is closed-loop maximum throughput on autocannon. */
  mode?: 'scenario' | 'max';
  /** Per-request timeout in seconds (default 10). */
  timeout?: number;
  /** Seconds at the start whose requests are sent but not measured (connections, JIT). Default 0. */
  warmup?: number;
  /** Milliseconds between snapshots (default 250). */
  snapshotEvery?: number;
  /**
   * Generator threads, each a deterministic slice of the arrivals (default 1: this thread);
   * `auto` chooses from the cores and the load ({@link chooseWorkers}), `twin` says one core is
   * the twin's.
   */
  workers?: number | { auto: true; cores: number; twin: boolean };
  /** Extra CA certificates trusted for an https target (a self-signed one). */
  ca?: string | Buffer;
  /** Response bodies longer than this fail with `body_too_large` (default 64 MiB, counted, not kept). */
  maxBodyBytes?: number;
  /** The open/closed model's transport (default: the raw-socket pool; the bench compares them). */
  transport?: TransportKind;
}

/** What a finished load run hands back besides the RunResult. */
export interface LoadOutcome {
  result: RunResult;
  /** Per-journey latency from the actual send (not corrected for coordinated omission). */
  uncorrected: Record<string, LatencySummary>;
  /** Requests sent. */
  sent: number;
  /** Requests the schedule intended (open model). */
  intended?: number;
}

/** A running load test: listen to `snapshot`, await `outcome`, `stop()` to end early. */
export class LoadRun extends EventEmitter<{ snapshot: [LoadSnapshot]; start: [RequestPlan] }> {
  readonly outcome: Promise<LoadOutcome>;
  private stopFn: (() => void) | undefined;
  private stopRequested = false;
  /** Generator threads of this run and why that many; set before `start` is emitted. */
  workers: WorkerChoice = { count: 1, why: 'the default' };

  constructor(scenario: Scenario, opts: LoadOptions = {}) {
    super();
    this.outcome = this.drive(scenario, opts);
    // Callers await `outcome`; an unobserved rejection must not crash the process first.
    this.outcome.catch(() => {});
  }

  /** The RunResult (kept partial when stopped). */
  get result(): Promise<RunResult> {
    return this.outcome.then((o) => o.result);
  }

  /** Ends the run now; what was measured so far is kept and marked partial. */
  stop(): void {
    this.stopRequested = true;
    this.stopFn?.();
  }

  private async drive(scenario: Scenario, opts: LoadOptions): Promise<LoadOutcome> {
    const plan = buildPlan(scenario, opts);
    if (!plan.target) {
      throw new UsageError('no load target: set `load.target` in the scenario, pass --target, or use --twin');
    }
    // Flows are compiled (feeds read, templates checked) before any traffic, so mistakes exit 2 first.
    const flows = plan.flows ? setupFlows(plan, scenario.load?.feeds ?? {}) : undefined;
    if (flows && opts.mode === 'max')
      throw new UsageError(
        'load --max sends single requests; this scenario has flows (steps, checks, captures): run it without --max',
      );
    const { url, addresses } = await checkTarget(plan.target, plan.allow);
    await assertReachable(url, addresses[0]);
    let collector = new LoadCollector(plan.journeys.map((j) => j.name));
    collector.warmup = Math.min(opts.warmup ?? 0, plan.schedule.duration);
    const monitor = new GeneratorMonitor(collector.warmup);
    const every = (opts.snapshotEvery ?? 250) / 1000;
    const sched = plan.schedule;
    let lastSnap = -Infinity;
    // A closed loop (--max, closed model) offers nothing: the dashboard shows achieved only.
    const offeredAt = (t: number) =>
      sched.kind === 'open' && opts.mode !== 'max' ? rateAt(sched.phases, t) : 0;
    const onTick = (t: number) => {
      collector.advance(t);
      if (t - lastSnap < every) return;
      lastSnap = t;
      const snap = collector.snapshot(t, sched.duration, offeredAt(t));
      if (opts.mode !== 'max') snap.generator = monitor.live();
      if (flowStart)
        for (const j of snap.journeys) {
          const c = flowStart.run.stats.checks(j.name);
          if (c) j.checks = { ...c };
        }
      this.emit('snapshot', snap);
    };
    const w = opts.workers;
    this.workers =
      typeof w === 'object'
        ? chooseWorkers(plan, w)
        : { count: Math.max(1, w ?? 1), why: w === undefined ? 'the default' : 'as asked' };
    if (opts.mode === 'max') this.workers = { count: 1, why: '--max runs autocannon on this thread' };
    const workers = this.workers.count;
    this.emit('start', plan);
    let seconds: number;
    let stopped: boolean;
    let generator: RunResult['generator'];
    let flowStart: FlowStart | undefined;
    let flowStats: FlowStats | undefined;
    if (opts.mode === 'max') {
      const h = runMax(plan, url, collector, sched.duration, onTick);
      this.stopFn = h.stop;
      if (this.stopRequested) h.stop();
      ({ seconds, stopped } = await h.done);
    } else if (workers > 1) {
      const cpu0 = process.cpuUsage();
      const w0 = performance.now();
      const h = runWorkerSlices(scenario, opts, { url: url.href, addresses }, workers, plan, (snap) => {
        snap.offeredRate = offeredAt(snap.elapsed);
        this.emit('snapshot', snap);
      });
      this.stopFn = h.stop;
      if (this.stopRequested) h.stop();
      const out = await h.done;
      ({ seconds, stopped, collector } = out);
      if (flows) {
        // Every thread's steps and checks, merged exactly (histograms bucket by bucket).
        flowStats = new FlowStats(flows.stepNames);
        for (const s of out.flows) flowStats.merge(s);
      }
      const used = process.cpuUsage(cpu0);
      generator = generatorResult(out.generators, {
        seconds: (used.user + used.system) / 1e6,
        wallSeconds: (performance.now() - w0) / 1000,
      });
    } else {
      const timeout = opts.timeout ?? 10;
      const transport = openTransport(
        { url, addresses, connections: plan.connections, ca: opts.ca },
        opts.transport,
      );
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      let ended = false;
      const ctx = executorContext(
        { plan, transport, collector, monitor, t0, stopped: () => ended },
        { timeout, maxBodyBytes: opts.maxBodyBytes },
      );
      flowStart = flows ? flowExecutor(flows, ctx, url.hostname) : undefined;
      const start = createExecutor(ctx, flowStart?.start);
      const h = runSchedule(plan, start, monitor, { timeout, onTick, t0 });
      this.stopFn = () => {
        // Stop sending at once and abort what is in flight: nothing leaves after Ctrl-C.
        ended = true;
        flowStart?.stop();
        h.stop();
        void transport.close();
      };
      if (this.stopRequested) this.stopFn();
      ({ seconds, stopped } = await h.done);
      ended = true;
      monitor.stop();
      await transport.close();
      const used = process.cpuUsage(cpu0);
      generator = generatorResult([monitor.state()], {
        seconds: (used.user + used.system) / 1e6,
        wallSeconds: (performance.now() - t0) / 1000,
      });
    }
    collector.advance(seconds);
    const offeredRate =
      sched.kind === 'open' && sched.duration > 0
        ? expectedArrivals(sched.phases) / sched.duration
        : undefined;
    const result = collector.result({
      scenario: scenario.name,
      scenarioHash: scenarioHash(scenario),
      seed: plan.seed,
      tool: 'autocannon',
      seconds,
      partial: stopped,
      target: {
        url: maskTarget(url.href, plan.secrets),
        ...(offeredRate !== undefined ? { offeredRate: Math.round(offeredRate * 1000) / 1000 } : {}),
        connections: plan.connections,
      },
    });
    if (generator) result.generator = generator;
    flowStats ??= flowStart?.run.stats;
    if (flowStats) addFlowResults(result, flowStats);
    return {
      result,
      uncorrected: collector.uncorrected(),
      sent: collector.sent,
      intended:
        sched.kind === 'open' && opts.mode !== 'max' ? Math.round(expectedArrivals(sched.phases)) : undefined,
    };
  }
}

/** Starts a load test of `scenario` and returns its handle. */
export function startLoad(scenario: Scenario, opts: LoadOptions = {}): LoadRun {
  return new LoadRun(scenario, opts);
}
