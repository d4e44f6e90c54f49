/**
 * One thread's share of a load run: its plan (journey choice and templates seeded per slice), its
 * connections, collector, generator monitor, executor and schedule. The in-process driver runs one
 * slice; `--workers N` runs N, one per worker thread (see `workers.ts`), and merges them.
 */
import { performance } from 'node:perf_hooks';
import { LoadCollector } from '../collector.js';
import { type FlowStart, flowExecutor } from '../flow/executor.js';
import { setupFlows } from '../flow/program.js';
import type { FlowStatsState } from '../flow/stats.js';
import { buildPlan, type PlanOptions, type PlanScenario, type RequestPlan } from '../plan.js';
import { openTransport, type TransportKind } from '../transport/open.js';
import type { Transport } from '../transport/transport.js';
import { createExecutor, executorContext } from './executor.js';
import { GeneratorMonitor } from './generator.js';
import { runSchedule, type ScheduleHandle } from './scheduler.js';

/** The options a slice needs: plain data, so they cross `postMessage`. */
export interface SliceOptions extends PlanOptions {
  timeout?: number;
  warmup?: number;
  maxBodyBytes?: number;
  ca?: string;
  transport?: TransportKind;
}

/** What defines a slice. */
export interface SliceArgs {
  scenario: PlanScenario;
  opts: SliceOptions;
  /** The checked target and the addresses that passed the allow-list (pinned). */
  url: string;
  addresses: string[];
  slice: { index: number; count: number };
}

/** A prepared slice: `run` starts its schedule at `t0`; `stop` aborts it at once. */
export interface Slice {
  plan: RequestPlan;
  collector: LoadCollector;
  monitor: GeneratorMonitor;
  run(t0: number, onTick?: (elapsed: number) => void): Promise<{ seconds: number; stopped: boolean }>;
  stop(): void;
  /** Flow steps and checks recorded by this slice (undefined when its journeys are single requests). */
  flowStats(): FlowStatsState | undefined;
}

/** Builds slice `args.slice` of the run (plan, transport, executor) without sending anything. */
export function prepareSlice(args: SliceArgs): Slice {
  const { scenario, opts, slice } = args;
  const base = buildPlan(scenario, opts);
  // Slice k of N chooses journeys and renders templates from seed + k: deterministic for a given
  // seed and N, and not N copies of one sequence. Arrival times always come from the run's seed.
  const plan = slice.index === 0 ? base : buildPlan(scenario, { ...opts, seed: base.seed + slice.index });
  const collector = new LoadCollector(plan.journeys.map((j) => j.name));
  collector.warmup = Math.min(opts.warmup ?? 0, plan.schedule.duration);
  collector.keepIntervals = slice.count > 1;
  const monitor = new GeneratorMonitor(collector.warmup);
  const timeout = opts.timeout ?? 10;
  // Flows: this slice's virtual users draw rows k, k + N… of every feed (no unique row twice).
  const flows = plan.flows ? setupFlows(plan, scenario.load?.feeds ?? {}, slice) : undefined;
  let flowStart: FlowStart | undefined;
  // Each slice gets its share of the connections (at least one).
  const connections = Math.max(
    1,
    Math.floor(plan.connections / slice.count) + (slice.index < plan.connections % slice.count ? 1 : 0),
  );
  let transport: Transport | undefined;
  let handle: ScheduleHandle | undefined;
  let ended = false;
  const stop = () => {
    // Stop sending at once and abort what is in flight: nothing leaves after Ctrl-C.
    ended = true;
    flowStart?.stop();
    handle?.stop();
    void transport?.close();
  };
  return {
    plan,
    collector,
    monitor,
    stop,
    flowStats: () => flowStart?.run.stats.state(),
    run: async (t0, onTick) => {
      transport = openTransport(
        {
          url: new URL(args.url),
          addresses: args.addresses,
          connections,
          ca: opts.ca,
        },
        opts.transport,
      );
      const ctx = executorContext(
        { plan, transport, collector, monitor, t0, stopped: () => ended },
        { timeout, maxBodyBytes: opts.maxBodyBytes },
      );
      flowStart = flows ? flowExecutor(flows, ctx, new URL(args.url).hostname) : undefined;
      const start = createExecutor(ctx, flowStart?.start);
      handle = runSchedule(plan, start, monitor, { timeout, onTick, t0, slice, arrivalSeed: base.seed });
      if (ended) handle.stop();
      const out = await handle.done;
      ended = true;
      monitor.stop();
      await transport.close();
      collector.advance(out.seconds);
      return out;
    },
  };
}

/** `performance.now()` of this thread for an absolute start time (ms since the epoch). */
export function localTime(epochMs: number): number {
  return epochMs - performance.timeOrigin;
}
