/**
 * Flows plugged into the engine's scheduler: the {@link StartJourney} the scheduler calls for each
 * arrival (open model: a free virtual user, or a new one) or each closed-model user's loop (user
 * `k` is always the same virtual user). Journeys are booked into the run's collector like single
 * requests, with the whole flow's latency from the intended start.
 */
import { setMaxListeners } from 'node:events';
import type { ExecutorContext, StartJourney } from '../autocannon/executor.js';
import { type FlowRun, type FlowSetup, flowRun } from './program.js';

/** A flow executor, its stats, and `stop()` to abort think times and requests in flight. */
export interface FlowStart {
  start: StartJourney;
  run: FlowRun;
  stop(): void;
}

/** The executor of `setup`'s flows over `ctx.transport`; cookies are kept for `host` only. */
export function flowExecutor(setup: FlowSetup, ctx: ExecutorContext, host: string): FlowStart {
  const abort = new AbortController();
  // Every request and think timer in flight listens to this one signal, by design.
  setMaxListeners(0, abort.signal);
  const run = flowRun(setup, ctx.transport, host, {
    timeoutMs: ctx.timeoutMs,
    maxBodyBytes: ctx.maxBodyBytes,
    signal: abort.signal,
    t0: ctx.t0,
    warmup: ctx.collector.warmup,
  });
  const open = ctx.plan.schedule.kind === 'open';
  // One promise per journey (the scheduler's contract), none per step.
  const start: StartJourney = (journey, user, intendedMs) =>
    new Promise((resolve) => {
      ctx.collector.sent++;
      run.executor.begin(journey, open ? undefined : user, intendedMs, (o) => {
        resolve();
        if (ctx.stopped()) return;
        ctx.monitor.sent++;
        const intended = intendedMs / 1000;
        const done = o.endMs / 1000;
        if (o.ok) ctx.collector.ok(journey, intended, intended, done);
        else ctx.collector.fail(journey, o.cause ?? 'error', done, intended);
      });
    });
  return { start, run, stop: () => abort.abort() };
}
