/**
 * The replica's side of a request: an *attempt* (a frame of kind ATTEMPT, one try of a call; see
 * `calls.ts`) travels to its replica (one-way latency), waits for a worker, is served for the
 * service's `time`, then runs the route's steps: each step is one call or a parallel group (all
 * started together, the step ends when all answered). Optional calls are made with probability `p`.
 * A failed call fails its step and the attempt; the answer travels back to the caller. A full
 * waiting room rejects (load shedding) unless the service turns shedding off, in which case the
 * room is unbounded.
 *
 * ## Workers are held while waiting for downstream calls
 * `workers: 64 # concurrent requests per replica` describes thread-per-request servers (a Tomcat or
 * gRPC-Java thread pool): a worker takes a request and keeps it until the whole route answered, so
 * time spent waiting on dependencies occupies the caller's workers. This is what makes a slow
 * dependency exhaust its callers' pools, and why utilization (and autoscaling on it) rises upstream.
 *
 * ## Deadlines propagate
 * An end-to-end `deadline` (set on requests entering a service, inherited by every call they make,
 * like gRPC deadline propagation) is known downstream, unlike a per-call timeout (`calls.ts`): a
 * replica drops a request whose deadline passed when it reaches the head of the queue (no service),
 * no new call starts after it, waits on calls are capped by it, and the service that set it answers
 * `deadline` at that moment, freeing its worker. Work already in service is not interrupted (CPU
 * time cannot be taken back).
 */

import { sampler } from '../kernel/distributions.js';
import type { Integrals } from '../kernel/integrals.js';
import type { Kernel } from '../kernel/kernel.js';
import type { Rng } from '../kernel/random.js';
import { CRASH, DEADLINE, ERROR, REJECTED, STALE_ENDPOINT } from './causes.js';
import type { EngineContext, ReplicaSide } from './engine-context.js';
import { type Frames, NET_IN, NET_OUT, QUEUED, SERVING, WAITING, ZOMBIE } from './frames.js';
import type { Network } from './network.js';
import { DRAINING, type ReplicaPool } from './replicas.js';
import type { Routes } from './routes.js';
import { COUNTERS, EXPIRED, REJECTED_COUNT, SERVED, type ServiceMeter } from './service-meter.js';
import type { Tracer } from './tracer.js';

/** Attempts at replicas, for one replication. */
export class Attempts implements ReplicaSide {
  private readonly kernel: Kernel;
  private readonly frames: Frames;
  private readonly routes: Routes;
  private readonly pool: ReplicaPool;
  private readonly meter: ServiceMeter;
  private readonly network: Network;
  private readonly tracer: Tracer | undefined;
  /** Per service: time a `slow` fault adds, and the error rate an `errors` fault sets. */
  private readonly slow: Float64Array;
  private readonly errRate: Float64Array;
  private readonly svcTime: (() => number)[];
  /** The meter's counters and queue integral, held here too for the hot path. */
  private readonly counters: Float64Array;
  private readonly svcQueue: Integrals;
  /** Per service: the deadline it sets on requests entering it (Infinity when none). */
  private readonly deadline: Float64Array;
  private readonly errRng: Rng[];
  /** Per service: the cause of arriving at a replica that is gone (refused when found by discovery). */
  private readonly goneCause: Uint8Array;
  private readonly callRng: Rng;
  /** Per region: the kernel lane of a hop inside it, or -1 when such hops take no time. */
  private readonly hopLane: Int32Array;
  private readonly hNetIn: number;
  private readonly hServed: number;
  private readonly hNetOut: number;
  private readonly hDeadline: number;
  private readonly hDropped: number;

  /** @param ctx the engine context; its calls are reached only when events fire. */
  constructor(private readonly ctx: EngineContext) {
    const { kernel, network, streams, services } = ctx;
    this.kernel = kernel;
    this.frames = ctx.frames;
    this.routes = ctx.routes;
    this.pool = ctx.pool;
    this.meter = ctx.meter;
    this.network = network;
    this.tracer = ctx.tracer;
    this.slow = ctx.slow;
    this.errRate = ctx.errRate;
    this.counters = ctx.meter.counters;
    this.svcQueue = ctx.meter.queue;
    this.svcTime = services.map((s) => sampler(s.time, streams.stream(`service:${s.name}`)));
    this.deadline = Float64Array.from(services, (s) => s.deadline ?? Number.POSITIVE_INFINITY);
    this.errRng = services.map((s) => streams.stream(`errors:${s.name}`));
    this.goneCause = Uint8Array.from(services, (s) => (s.discovery ? STALE_ENDPOINT : CRASH));
    this.callRng = streams.stream('calls');
    const R = network.regions.length;
    this.hopLane = Int32Array.from(network.regions, (_, r) => {
      const d = network.base[r * R + r];
      return d > 0 ? kernel.fifo(d) : -1;
    });
    const k = kernel;
    this.hNetIn = k.on((a) => this.arrive(a));
    this.hServed = k.on((a) => this.served(a));
    this.hNetOut = k.on((a) => this.deliver(a));
    this.hDeadline = k.on((ref) => this.onDeadline(ref));
    this.hDropped = k.on((a) => this.finish(a, DEADLINE));
  }

  /** Attempt `a`, just sent from region `from`, travels to its replica. */
  travel(a: number, from: number): void {
    this.frames.state[a] = NET_IN;
    if (!this.hop(from, this.frames.region[a], this.hNetIn, a)) this.arrive(a);
  }

  /**
   * Schedules `handler` for attempt `a` one network hop from region `from` to `to` ahead, keeping
   * its handle in `evt`; false when the hop takes no time (the caller goes on inline, no event).
   * Hops inside a region share one fixed delay, so they go through a kernel FIFO lane.
   */
  private hop(from: number, to: number, handler: number, a: number): boolean {
    const lane = this.hopLane[from];
    if (from === to && lane >= 0) {
      this.frames.evt[a] = this.kernel.inFifo(lane, handler, a);
      return true;
    }
    const d = this.network.zero ? 0 : this.network.delay(from, to);
    if (!(d > 0)) return false;
    this.frames.evt[a] = this.kernel.schedule(d, handler, a);
    return true;
  }

  /** Attempt `a` reaches its replica. */
  private arrive(a: number): void {
    const f = this.frames;
    const pool = this.pool;
    const r = f.slot[a];
    f.evt[a] = -1;
    if (this.tracer !== undefined) this.tracer.attemptArrived(a, this.kernel.now);
    if (!pool.alive(r)) {
      this.finish(a, this.goneCause[pool.service[r]]);
      return;
    }
    const s = pool.service[r];
    const now = this.kernel.now;
    const own = this.deadline[s];
    if (own < Number.POSITIVE_INFINITY && now + own < f.deadline[a]) {
      f.deadline[a] = now + own;
      f.dl[a] = this.kernel.schedule(own, this.hDeadline, f.ref(a));
    }
    if (f.deadline[a] <= now) {
      this.finish(a, DEADLINE);
      return;
    }
    if (pool.busy[r] < pool.workers[r]) {
      this.meter.busyDelta(r, 1, now);
      this.serve(a, s);
    } else if (pool.qlen[r] < pool.capacity[r]) {
      pool.push(r, a);
      f.state[a] = QUEUED;
      this.svcQueue.add(s, 1, now);
    } else {
      this.counters[s * COUNTERS + REJECTED_COUNT]++;
      this.finish(a, REJECTED);
    }
  }

  /** Starts service of `a` on a worker already counted busy. */
  private serve(a: number, s: number): void {
    const f = this.frames;
    f.holds[a] = 1;
    f.state[a] = SERVING;
    f.evt[a] = this.kernel.schedule(this.svcTime[s]() + this.slow[s], this.hServed, a);
  }

  private served(a: number): void {
    const f = this.frames;
    f.evt[a] = -1;
    const r = f.slot[a];
    const s = this.pool.service[r];
    this.counters[s * COUNTERS + SERVED]++;
    this.pool.served[r]++;
    const e = this.errRate[s];
    if (e > 0 && this.errRng[s]() < e) {
      this.finish(a, ERROR);
      return;
    }
    f.pc[a] = 0;
    this.runSteps(a);
  }

  /** Runs attempt `a`'s route from step `pc` until a step waits or the route ends. */
  private runSteps(a: number): void {
    const f = this.frames;
    const rt = this.routes;
    const route = f.route[a];
    const n = rt.stepCount[route];
    while (f.pc[a] < n) {
      if (f.deadline[a] <= this.kernel.now) {
        this.finish(a, DEADLINE);
        return;
      }
      const step = rt.stepStart[route] + f.pc[a];
      const first = rt.callStart[step];
      const end = first + rt.callCount[step];
      f.state[a] = WAITING;
      // One guard count keeps a call that fails synchronously from ending the step mid-loop.
      f.pending[a] = 1;
      for (let i = first; i < end; i++) {
        const p = rt.callP[i];
        if (p < 1 && this.callRng() >= p) continue;
        f.pending[a]++;
        const target = rt.callRoute[i];
        if (target >= 0) this.ctx.calls.startCall(a, target, rt.callTimeout[i]);
        else this.ctx.calls.startContentCall(a, i);
      }
      if (--f.pending[a] > 0) return;
      if (f.cause[a] !== 0) {
        this.finish(a, f.cause[a]);
        return;
      }
      f.pc[a]++;
    }
    this.finish(a, 0);
  }

  /** A call made by attempt `a` answered. */
  childDone(a: number, ok: boolean, cause: number): void {
    const f = this.frames;
    if (f.state[a] !== WAITING) return; // `a` already ended (deadline, crash): the answer is moot
    if (!ok && f.cause[a] === 0) f.cause[a] = cause;
    if (--f.pending[a] > 0) return;
    if (f.cause[a] !== 0) {
      this.finish(a, f.cause[a]);
      return;
    }
    f.pc[a]++;
    this.runSteps(a);
  }

  /** Attempt `a` is over with `cause` (0 = success): free its worker and send the answer back. */
  finish(a: number, cause: number): void {
    const f = this.frames;
    if (f.dl[a] >= 0) {
      this.kernel.cancel(f.dl[a]);
      f.dl[a] = -1;
    }
    const r = f.slot[a];
    f.state[a] = NET_OUT;
    f.cause[a] = cause;
    if (this.tracer !== undefined) this.tracer.attemptEnd(a, this.kernel.now, cause);
    if (f.holds[a]) {
      f.holds[a] = 0;
      this.releaseWorker(r);
    }
    const c = f.parent[a];
    if (c < 0 || f.parentGen[a] !== f.gen[c] || !f.isLive(c)) {
      this.drop(a);
      return;
    }
    if (!this.hop(f.region[a], f.region[c], this.hNetOut, a)) this.deliver(a);
  }

  /** The answer of attempt `a` reaches its caller. */
  private deliver(a: number): void {
    const f = this.frames;
    const c = f.parent[a];
    const cause = f.cause[a];
    const live = c >= 0 && f.parentGen[a] === f.gen[c] && f.isLive(c);
    this.drop(a);
    if (live) this.ctx.calls.attemptAnswered(c, cause === 0, cause);
  }

  /** Frees attempt `a` with its timers. */
  private drop(a: number): void {
    const f = this.frames;
    if (f.tmo[a] >= 0) this.kernel.cancel(f.tmo[a]);
    f.release(a);
  }

  private onDeadline(ref: number): void {
    const f = this.frames;
    const a = f.deref(ref);
    if (a < 0) return;
    f.dl[a] = -1;
    const st = f.state[a];
    if (st === QUEUED) {
      // Answer now; the row stays in the waiting room until the replica pops and frees it.
      const c = f.parent[a];
      const live = c >= 0 && f.parentGen[a] === f.gen[c] && f.isLive(c);
      f.state[a] = ZOMBIE;
      if (this.tracer !== undefined) this.tracer.attemptEnd(a, this.kernel.now, DEADLINE);
      if (f.tmo[a] >= 0) this.kernel.cancel(f.tmo[a]);
      f.tmo[a] = -1;
      if (live) {
        f.parent[a] = -1;
        this.ctx.calls.attemptAnswered(c, false, DEADLINE);
      }
    } else if (st === SERVING) {
      this.kernel.cancel(f.evt[a]);
      f.evt[a] = -1;
      this.finish(a, DEADLINE);
    } else if (st === WAITING) this.finish(a, DEADLINE);
  }

  /** A worker of replica `r` is free: it takes the next live request, or goes idle. */
  private releaseWorker(r: number): void {
    const pool = this.pool;
    const f = this.frames;
    const s = pool.service[r];
    const now = this.kernel.now;
    while (pool.qlen[r] > 0) {
      const id = pool.shift(r);
      this.svcQueue.add(s, -1, now);
      if (f.state[id] === ZOMBIE) {
        f.release(id);
        continue;
      }
      if (f.deadline[id] <= now) {
        // Expired while waiting: dropped unserved; answered in an event of its own so this worker's
        // bookkeeping finishes before anyone reacts to the failure.
        this.counters[s * COUNTERS + EXPIRED]++;
        f.state[id] = NET_IN;
        this.kernel.schedule(0, this.hDropped, id);
        continue;
      }
      this.serve(id, s);
      return;
    }
    this.meter.busyDelta(r, -1, now);
    if (pool.state[r] === DRAINING && pool.busy[r] === 0) this.ctx.scaling.turnOff(r);
  }
}
