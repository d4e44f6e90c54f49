/**
 * The scheduler: decides *when* a journey instance starts and hands it to the executor. Open
 * model: every arrival of the profile, whatever the target is doing; closed model: each user loops
 * journey → think → journey. Latency is measured from the intended start (coordinated omission
 * corrected, like wrk2), so a stall shows in every request that should have been sent during it.
 *
 * Timers are late, never early, and by a millisecond or more: the loop sleeps with `setTimeout`
 * until about a millisecond before the next arrival and then polls with `setImmediate` (I/O still
 * runs between polls), so requests leave within a fraction of a millisecond of their intended
 * start. An arrival the generator reaches later than the request timeout is dropped, not sent: the
 * backlog of a generator that cannot keep up is a counter, never a queue.
 *
 * With worker threads each thread runs a deterministic slice: arrival i (open) or user u (closed)
 * belongs to slice `i mod count` (like k6 execution segments).
 *
 * Why not autocannon for the open model: an autocannon client writes its next request only after
 * the previous response (a closed loop per connection), and its correction assumes a 1 ms interval.
 * autocannon runs the closed, max-throughput mode instead (see `max.ts`).
 */
import { performance } from 'node:perf_hooks';
import { sampler } from '../../sim/kernel/distributions.js';
import { RandomStreams } from '../../sim/kernel/random.js';
import { arrivalTimes, type RequestPlan } from '../plan.js';
import type { LaunchJourney } from './executor.js';
import type { GeneratorMonitor } from './generator.js';

/** Knobs of the scheduler. */
export interface SchedulerOptions {
  /** Per-request timeout in seconds (default 10): also how late an arrival may still be sent. */
  timeout?: number;
  /** Called with the elapsed seconds about every 50 ms (snapshots hook in here). */
  onTick?: (elapsed: number) => void;
  /** This thread's slice of arrivals or users (default: all). */
  slice?: { index: number; count: number };
  /** `performance.now()` of the run's start (default: now). */
  t0?: number;
  /** Seed of the arrival times, the same for every slice (default: the plan's). */
  arrivalSeed?: number;
}

/** A running schedule: `done` resolves with the elapsed seconds; `stop()` ends it at once. */
export interface ScheduleHandle {
  done: Promise<{ seconds: number; stopped: boolean }>;
  stop(): void;
}

/** Arrivals handled per loop turn before responses get a chance to run. */
const BATCH = 256;

/**
 * Runs `plan`'s schedule, starting journeys with `start`. Resolves once every started journey
 * ended, or the hard limit (schedule + timeout + 1 s) passed, or at once after `stop()`.
 */
export function runSchedule(
  plan: RequestPlan,
  start: LaunchJourney,
  monitor: GeneratorMonitor,
  opts: SchedulerOptions = {},
): ScheduleHandle {
  const timeout = opts.timeout ?? 10;
  const slice = opts.slice ?? { index: 0, count: 1 };
  const t0 = opts.t0 ?? performance.now();
  const now = () => (performance.now() - t0) / 1000;
  const sched = plan.schedule;
  const end = Math.min(sched.duration, plan.maxDuration);
  // Each slice's share of load.maxRequests, so N threads together never exceed it.
  const cap =
    Math.floor(plan.maxRequests / slice.count) + (slice.index < plan.maxRequests % slice.count ? 1 : 0);
  let stopped = false;
  let issuing = true;
  let inFlight = 0;
  let started = 0;
  let lastDone = 0;
  let timer: NodeJS.Timeout | undefined;
  let immediate: NodeJS.Immediate | undefined;
  const thinks = new Set<NodeJS.Timeout>();
  let resolve!: (v: { seconds: number; stopped: boolean }) => void;
  const done = new Promise<{ seconds: number; stopped: boolean }>((r) => (resolve = r));
  let lastTick = -1;
  const tick = (t: number) => {
    if (t - lastTick >= 0.05) {
      lastTick = t;
      opts.onTick?.(t);
    }
  };

  const finish = () => {
    if (timer) clearTimeout(timer);
    if (immediate) clearImmediate(immediate);
    clearTimeout(hard);
    for (const th of thinks) clearTimeout(th);
    thinks.clear();
    resolve({ seconds: stopped ? now() : Math.max(Math.min(lastDone, end + timeout), end), stopped });
  };
  const maybeFinish = () => {
    if (!issuing && inFlight === 0) finish();
  };
  // Whatever the target does, the run ends by the schedule's end + timeout + 1 s.
  const hard = setTimeout(
    () => {
      issuing = false;
      stopped = stopped || false;
      inFlight = 0;
      finish();
    },
    (end + timeout + 1) * 1000,
  );

  /** A journey ended (one function for every open-model arrival: no closure per request). */
  const ended = () => {
    inFlight--;
    if (stopped) return;
    lastDone = Math.max(lastDone, now());
    maybeFinish();
  };
  /**
   * Starts journey `j` of `user` intended at `intended` seconds; `then` after it ended, never
   * synchronously (a closed-model user whose every request is refused at once would recurse).
   */
  const launch = (j: number, user: number, intended: number, then?: () => void) => {
    inFlight++;
    started++;
    monitor.dispatched(now() - intended, intended);
    if (!then) {
      start(j, user, intended * 1000, ended);
      return;
    }
    let sync = true;
    start(j, user, intended * 1000, () => {
      ended();
      if (stopped) return;
      if (sync) queueMicrotask(then);
      else then();
    });
    sync = false;
  };

  // Snapshots keep flowing while the last requests finish, and in the closed model all along.
  const heartbeat = () => {
    timer = undefined;
    if (stopped || (!issuing && inFlight === 0)) return;
    tick(now());
    timer = setTimeout(heartbeat, 50);
  };

  if (sched.kind === 'open') {
    const times = arrivalTimes(
      sched.phases,
      sched.spacing,
      new RandomStreams(opts.arrivalSeed ?? plan.seed, 0).stream('load:arrivals'),
    );
    let index = 0;
    let next = times.next();
    // Skip to this slice's first arrival.
    const advance = () => {
      next = times.next();
      index++;
      while (!next.done && index % slice.count !== slice.index) {
        next = times.next();
        index++;
      }
    };
    while (!next.done && index % slice.count !== slice.index) {
      next = times.next();
      index++;
    }
    const loop = () => {
      timer = undefined;
      immediate = undefined;
      if (stopped) return;
      const t = now();
      tick(t);
      let n = 0;
      while (!next.done && next.value <= t && started < cap && n < BATCH) {
        const intended = next.value;
        if (t - intended > timeout) {
          // Reached too late to mean anything: counted as dropped, never queued.
          monitor.intended++;
          monitor.drop();
          started++;
        } else launch(plan.pick(), index, intended);
        advance();
        n++;
      }
      if (next.done || started >= cap || next.value >= end || t >= plan.maxDuration) {
        issuing = false;
        heartbeat();
        maybeFinish();
        return;
      }
      const wait = (next.value - now()) * 1000;
      if (n === BATCH || wait < 1.5) immediate = setImmediate(loop);
      else timer = setTimeout(loop, Math.min(50, wait - 1));
    };
    loop();
  } else {
    const think = sched.think
      ? sampler(sched.think, new RandomStreams(plan.seed, slice.index).stream('load:think'))
      : () => 0;
    let users = 0;
    const user = (u: number, at: number) => {
      if (stopped) return;
      if (at >= end || started >= cap) {
        users--;
        if (users === 0) issuing = false;
        maybeFinish();
        return;
      }
      const pause = think();
      const intended = at + pause;
      const go = () => launch(plan.pick(), u, intended, () => user(u, now()));
      if (pause <= 0) go();
      else {
        const th = setTimeout(() => {
          thinks.delete(th);
          go();
        }, pause * 1000);
        thinks.add(th);
      }
    };
    for (let u = slice.index; u < sched.users; u += slice.count) users++;
    if (users === 0) issuing = false;
    for (let u = slice.index; u < sched.users; u += slice.count) user(u, 0);
    heartbeat();
    maybeFinish();
  }

  return {
    done,
    stop: () => {
      if (stopped) return;
      stopped = true;
      issuing = false;
      finish();
    },
  };
}
