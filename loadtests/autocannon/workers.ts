/**
 * `--workers N`: N worker threads, each running one slice of the schedule (arrival i belongs to
 * slice i mod N, user u to slice u mod N) with its share of the connections. They start together
 * at a shared wall-clock instant; their collectors and generator monitors come back as data and
 * merge exactly (histograms bucket by bucket, counts summed).
 */
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { RunError, UsageError } from '../../results/errors.js';
import { type CollectorState, LoadCollector, type LoadSnapshot } from '../collector.js';
import type { FlowStatsState } from '../flow/stats.js';
import type { PlanScenario, RequestPlan } from '../plan.js';
import { type GeneratorState, generatorResult } from './generator.js';
import type { SliceArgs, SliceOptions } from './slice.js';
import type { ParentMessage, SliceMessage } from './slice-worker.js';

/** What the threads measured. */
export interface WorkersOutcome {
  seconds: number;
  stopped: boolean;
  states: CollectorState[];
  generators: GeneratorState[];
  /** Each thread's flow steps and checks (flows only). */
  flows: FlowStatsState[];
}

/** A running pool: `done` once every thread finished; `stop()` aborts them all. */
export interface WorkersHandle {
  done: Promise<WorkersOutcome>;
  stop(): void;
}

/** How long a stopped thread may take to hand back its measurements before it is terminated. */
const STOP_GRACE_MS = 1500;

/** The compiled worker entry (tests run from TypeScript sources: then the build's copy). */
function workerUrl(): URL {
  const here = new URL('./slice-worker.js', import.meta.url);
  return existsSync(fileURLToPath(here))
    ? here
    : new URL('../../dist/loadtests/autocannon/slice-worker.js', import.meta.url);
}

/** Starts `count` slice threads of `args`; `onLive` gets every thread's latest live state. */
export function runWorkers(
  args: Omit<SliceArgs, 'slice'>,
  count: number,
  onLive?: (
    states: (CollectorState | undefined)[],
    generators: (GeneratorState | undefined)[],
    elapsed: number,
  ) => void,
): WorkersHandle {
  const threads: Worker[] = [];
  const live: (CollectorState | undefined)[] = new Array(count);
  const liveGen: (GeneratorState | undefined)[] = new Array(count);
  const finals: Extract<SliceMessage, { type: 'done' }>[] = [];
  let stopping = false;
  let settle!: { resolve: (o: WorkersOutcome) => void; reject: (e: Error) => void };
  const done = new Promise<WorkersOutcome>((resolve, reject) => (settle = { resolve, reject }));
  let ready = 0;
  let failed = false;
  const fail = (e: Error) => {
    if (failed) return;
    failed = true;
    for (const w of threads) void w.terminate();
    settle.reject(e);
  };
  const post = (w: Worker, m: ParentMessage) => w.postMessage(m);
  const finish = () => {
    for (const w of threads) void w.terminate();
    finals.sort((a, b) => a.seconds - b.seconds);
    settle.resolve({
      seconds: Math.max(0, ...finals.map((f) => f.seconds)),
      stopped: stopping || finals.some((f) => f.stopped),
      states: finals.map((f) => f.state),
      generators: finals.map((f) => f.generator),
      flows: finals.flatMap((f) => (f.flows ? [f.flows] : [])),
    });
  };
  const url = workerUrl();
  for (let index = 0; index < count; index++) {
    const w = new Worker(url, { workerData: { ...args, slice: { index, count } } satisfies SliceArgs });
    threads.push(w);
    w.on('message', (m: SliceMessage) => {
      if (m.type === 'ready') {
        // Every thread is planned and connected: start them all at one instant just ahead.
        if (++ready === count) {
          const startEpoch = performance.timeOrigin + performance.now() + 20;
          for (const t of threads) post(t, stopping ? { type: 'stop' } : { type: 'go', startEpoch });
        }
      } else if (m.type === 'live') {
        live[index] = m.state;
        liveGen[index] = m.generator;
        onLive?.(live, liveGen, m.elapsed);
      } else if (m.type === 'done') {
        finals.push(m);
        if (finals.length === count) finish();
      } else
        fail(
          m.code === 'E_USAGE'
            ? new UsageError(m.message)
            : new RunError(`load worker ${index}: ${m.message}`),
        );
    });
    w.on('error', (e) => fail(new RunError(`load worker ${index} crashed: ${e.message}`)));
    w.on('exit', (code) => {
      if (code !== 0 && !stopping && finals.length < count)
        fail(new RunError(`load worker ${index} exited with code ${code}`));
    });
  }
  return {
    done,
    stop: () => {
      if (stopping) return;
      stopping = true;
      for (const w of threads) post(w, { type: 'stop' });
      // A thread that cannot answer in time loses its share; the others' are kept.
      setTimeout(() => {
        if (finals.length < count && !failed) finish();
      }, STOP_GRACE_MS).unref();
    },
  };
}

/**
 * Runs `count` slices of `scenario` on worker threads and merges them: live snapshots through
 * `onSnapshot`, and at the end one collector and the threads' generator states.
 */
export function runWorkerSlices(
  scenario: PlanScenario,
  opts: Omit<SliceOptions, 'ca'> & { ca?: string | Buffer },
  target: { url: string; addresses: string[] },
  count: number,
  plan: Pick<RequestPlan, 'journeys' | 'schedule'>,
  onSnapshot: (s: LoadSnapshot) => void,
): {
  done: Promise<{
    seconds: number;
    stopped: boolean;
    collector: LoadCollector;
    generators: GeneratorState[];
    flows: FlowStatsState[];
  }>;
  stop(): void;
} {
  const names = plan.journeys.map((j) => j.name);
  const duration = plan.schedule.duration;
  const sliceOpts: SliceOptions = {
    target: opts.target,
    seed: opts.seed,
    rate: opts.rate,
    duration: opts.duration,
    connections: opts.connections,
    spacing: opts.spacing,
    timeout: opts.timeout,
    warmup: opts.warmup,
    maxBodyBytes: opts.maxBodyBytes,
    ca: opts.ca === undefined ? undefined : String(opts.ca),
    transport: opts.transport,
  };
  const h = runWorkers({ scenario, opts: sliceOpts, ...target }, count, (live, gens, t) => {
    const snap = LoadCollector.merged(
      names,
      live.filter((x) => x !== undefined),
    ).snapshot(t, duration, 0);
    const g = generatorResult(
      gens.filter((x) => x !== undefined),
      { seconds: 0, wallSeconds: 0 },
    );
    snap.generator = {
      lagP99: g.lag.p99,
      lateShare: g.lateShare,
      dropped: g.dropped,
      loopP99: g.eventLoopDelay.p99,
    };
    onSnapshot(snap);
  });
  return {
    stop: h.stop,
    done: h.done.then((out) => {
      const collector = LoadCollector.merged(names, out.states);
      collector.warmup = Math.min(opts.warmup ?? 0, duration);
      return {
        seconds: out.seconds,
        stopped: out.stopped,
        collector,
        generators: out.generators,
        flows: out.flows,
      };
    }),
  };
}
