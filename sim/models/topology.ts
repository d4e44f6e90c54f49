/**
 * The request engine of a microservice topology: users start journeys, journeys call service
 * routes, routes call other services, sequentially or in parallel, through balancers, retries,
 * breakers, hedges, regions and faults.
 *
 * ## How a request runs
 * A *call* (a frame of kind CALL) is what a caller asks for; each try of it is an *attempt* at one
 * replica. An attempt travels to the replica (one-way latency), waits for a worker, is served for the
 * service's `time`, then runs the route's steps: each step is one call or a parallel group (all
 * started together, the step ends when all answered). Optional calls are made with probability `p`.
 * A failed call fails its step and the attempt; the answer travels back to the caller.
 *
 * ## Workers are held while waiting for downstream calls
 * `workers: 64 # concurrent requests per replica` describes thread-per-request servers (a Tomcat or
 * gRPC-Java thread pool): a worker takes a request and keeps it until the whole route answered, so
 * time spent waiting on dependencies occupies the caller's workers. This is what makes a slow
 * dependency exhaust its callers' pools, and why utilization (and autoscaling on it) rises upstream.
 *
 * ## Timeouts and deadlines: what keeps consuming downstream work
 * - A per-call `timeout` (the callee's `timeout`, applied by every caller, or the call's own) ends
 *   the caller's wait. The callee is *not* told: as with a plain HTTP client timeout, the abandoned
 *   request stays queued, is served and makes its own calls, and its answer is dropped. That wasted
 *   work is real, and it is what turns retries into a retry storm.
 * - An end-to-end `deadline` (set on requests entering a service, inherited by every call they make,
 *   like gRPC deadline propagation) is known downstream: a replica drops a request whose deadline
 *   passed when it reaches the head of the queue (no service), no new call starts after it, waits on
 *   calls are capped by it, and the service that set it answers `deadline` at that moment, freeing
 *   its worker. Work already in service is not interrupted (CPU time cannot be taken back).
 *
 * ## Resilience
 * Retries, breakers and hedges are configured on the callee and applied by every caller of it
 * (`sim/models/retry.ts`, `breaker.ts`); a hedge sends one extra copy `after` seconds without an
 * answer, the first success wins and the loser runs on unobserved. A full waiting room rejects
 * (load shedding) unless the service turns shedding off, in which case the room is unbounded.
 *
 * ## Regions
 * A call goes to the callee's replicas in the caller's region when one is routable; otherwise to
 * the nearest region (by one-way latency) that has one and is not partitioned from the caller,
 * paying the cross-region latency both ways. Users call from their own region.
 *
 * Everything per request lives in {@link Frames} columns; handlers are registered once with
 * `kernel.on`, and events carry row ids (with generations where a row may be recycled first).
 */

import { LatencyHistogram } from '../../results/histogram.js';
import type { FaultMark } from '../../results/run-result.js';
import type { Content } from '../content.js';
import { sampler } from '../kernel/distributions.js';
import type { Kernel } from '../kernel/kernel.js';
import type { RandomStreams, Rng } from '../kernel/random.js';
import { Breaker } from './breaker.js';
import { FaultInjector } from './fault-injector.js';
import { faultMarks } from './faults.js';
import { ATTEMPT, CALL, Frames, NET_IN, NET_OUT, QUEUED, SERVING, VISIT, WAITING, ZOMBIE } from './frames.js';
import type { Integrals } from './integrals.js';
import type { JourneyStats } from './journeys.js';
import { Network } from './network.js';
import type { ServiceOptions, TopologyOptions } from './options.js';
import { Placement } from './placement.js';
import type { Population } from './population.js';
import { DRAINING, type ReplicaPool, UP } from './replicas.js';
import { RetryPolicy } from './retry.js';
import { Routes } from './routes.js';
import { Scaling } from './scaling.js';
import { type ServiceCounters, ServiceMeter } from './service-meter.js';
import { niceInterval, TimelineRecorder } from './timeline.js';
import { TimeoutQueues } from './timeouts.js';
import type { Tracer } from './tracer.js';
import { Workload } from './workload.js';

/** Failure causes, as codes in frames and as names in results. */
export const CAUSES = [
  'ok',
  'rejected',
  'timeout',
  'error',
  'crash',
  'unavailable',
  'breaker',
  'deadline',
] as const;
const REJECTED = 1;
const TIMEOUT = 2;
const ERROR = 3;
const CRASH = 4;
const UNAVAILABLE = 5;
const BREAKER = 6;
const DEADLINE = 7;
/** `tmo` of an attempt whose timeout sits in {@link TimeoutQueues} rather than in the kernel. */
const IN_QUEUE = -2;

export type { ServiceCounters } from './service-meter.js';

/** What the engine reports about one service. */
export interface TopologyServiceStats extends ServiceCounters {
  name: string;
  replicas: number;
  workers: number;
  utilization: number;
  queue: number;
  breaker?: [number, 'open' | 'half-open' | 'closed'][];
  replicasOverTime: [number, number][];
  cost?: number;
}

/** A running topology for one replication. */
export class Topology {
  readonly kernel: Kernel;
  readonly frames = new Frames(4096);
  readonly pool: ReplicaPool;
  readonly routes: Routes;
  readonly network: Network;
  readonly stats: JourneyStats[];
  readonly timeline: TimelineRecorder;
  readonly faults: FaultMark[];
  readonly population: Population | undefined;
  private readonly timeouts: TimeoutQueues;
  /** Services' names, in option order. */
  readonly serviceNames: string[];
  /** Routable replicas of each service over time. */
  readonly replicasOverTime: [number, number][][];
  /** Visits started (all, warm-up included). */
  started = 0;
  /** Span hooks, when the run writes traces (every hook is one `undefined` test when it does not). */
  readonly tracer: Tracer | undefined;

  private readonly opts: TopologyOptions;
  /** Content models (CDN, P2P, stores, streams) when the scenario has them. */
  private readonly content: Content | undefined;
  /** Per route: 1 when a call of it produces to a stream. */
  private readonly produces: Uint8Array | undefined;
  private readonly warmup: number;
  // Per service.
  private readonly svcOpts: ServiceOptions[];
  private readonly svcTime: (() => number)[];
  private readonly slow: Float64Array;
  private readonly errRate: Float64Array;
  private readonly timeout: Float64Array;
  private readonly deadline: Float64Array;
  private readonly hedgeAfter: Float64Array;
  private readonly retry: (RetryPolicy | undefined)[];
  private readonly breaker: (Breaker | undefined)[];
  /** The meter's counters and queue integral, held here too for the hot path. */
  private readonly counters: Float64Array;
  private readonly svcQueue: Integrals;
  private readonly errRng: Rng[];
  private readonly meter: ServiceMeter;
  private readonly placement: Placement;
  private readonly scaling: Scaling;
  private readonly faultInjector: FaultInjector;
  private readonly workload: Workload;
  /** The workload's compiled journeys, held here for the hot path. */
  private readonly journeySteps: Int32Array[];
  private readonly journeyStepNames: string[][];
  private readonly think: ((() => number) | undefined)[];
  private readonly callRng: Rng;
  // Handler ids.
  private readonly hThink: number;
  private readonly hNetIn: number;
  private readonly hServed: number;
  private readonly hNetOut: number;
  private readonly hTimeout: number;
  private readonly hDeadline: number;
  private readonly hRetry: number;
  private readonly hHedge: number;
  private readonly hContentTimeout: number;
  private readonly hDropped: number;
  private readonly hTick: number;
  private readonly hWarm: number;

  constructor(
    kernel: Kernel,
    streams: RandomStreams,
    opts: TopologyOptions,
    content?: Content,
    tracer?: Tracer,
  ) {
    this.kernel = kernel;
    this.content = content;
    this.tracer = tracer;
    this.opts = opts;
    this.warmup = opts.warmup;
    const regions = opts.regions && opts.regions.length > 0 ? opts.regions : [{ name: 'default', users: 1 }];
    const regionNames = regions.map((r) => r.name);
    this.network = new Network(
      regionNames,
      opts.latency ?? { intra: 0, jitter: 0, pairs: [] },
      streams.stream('network'),
    );

    // Services, groups and replicas.
    const services = opts.services;
    const S = services.length;
    this.svcOpts = services;
    this.serviceNames = services.map((s) => s.name);
    this.routes = new Routes(services, content ? (step) => content.target(step) : undefined);
    this.svcTime = services.map((s) => sampler(s.time, streams.stream(`service:${s.name}`)));
    this.slow = new Float64Array(S);
    this.errRate = new Float64Array(S);
    this.timeout = Float64Array.from(services, (s) => s.timeout ?? Number.NaN);
    this.deadline = Float64Array.from(services, (s) => s.deadline ?? Number.POSITIVE_INFINITY);
    this.hedgeAfter = Float64Array.from(services, (s) => s.hedge?.after ?? Number.NaN);
    this.retry = services.map((s) =>
      s.retry ? new RetryPolicy(s.retry, streams.stream(`retry:${s.name}`)) : undefined,
    );
    this.breaker = services.map((s) => (s.breaker ? new Breaker(s.breaker) : undefined));
    this.errRng = services.map((s) => streams.stream(`errors:${s.name}`));
    this.placement = new Placement(services, regionNames, this.network, streams);
    this.pool = this.placement.pool;
    this.meter = new ServiceMeter(
      this.pool,
      S,
      this.placement.scalers.map((sc) => sc !== undefined),
      opts.warmup,
    );
    this.counters = this.meter.counters;
    this.svcQueue = this.meter.queue;
    this.replicasOverTime = this.meter.replicasOverTime;
    this.scaling = new Scaling(kernel, this.placement, this.meter, services, opts.duration);

    // Journeys.
    const journeys = opts.users.journeys;
    this.workload = new Workload(
      kernel,
      streams,
      opts,
      this.routes,
      content,
      (user, region) => this.startVisit(user, region),
      () => this.started,
    );
    this.population = this.workload.population;
    this.journeySteps = this.workload.steps;
    this.journeyStepNames = this.workload.stepNames;
    this.think = this.workload.think;
    this.produces = content
      ? Uint8Array.from(this.routes.names, (n) => (content.producersOf(n).length > 0 ? 1 : 0))
      : undefined;
    this.stats = journeys.map((j) => ({
      name: j.name,
      latency: new LatencyHistogram(),
      count: 0,
      errors: {},
    }));
    this.callRng = streams.stream('calls');
    const interval = opts.interval ?? niceInterval(opts.duration);
    this.timeline = new TimelineRecorder(interval, journeys.length, S);

    const faults = opts.faults ?? [];
    this.faults = faultMarks(faults);
    this.faultInjector = new FaultInjector(
      kernel,
      faults,
      this.serviceNames,
      this.frames,
      this.pool,
      this.meter,
      this.network,
      this.slow,
      this.errRate,
      { crashAttempt: (id) => this.finish(id, CRASH), turnOff: (r) => this.scaling.turnOff(r) },
    );

    const k = kernel;
    this.hThink = k.on((ref) => {
      const v = this.frames.deref(ref);
      if (v >= 0) this.startStep(v);
    });
    this.hNetIn = k.on((a) => this.arrive(a));
    this.hServed = k.on((a) => this.served(a));
    this.hNetOut = k.on((a) => this.deliver(a));
    this.hTimeout = k.on((ref) => this.onTimeout(ref));
    this.timeouts = new TimeoutQueues(
      k,
      (ref) => {
        const a = this.frames.deref(ref);
        return a >= 0 && this.frames.tmo[a] === IN_QUEUE;
      },
      (ref) => this.timedOut(this.frames.deref(ref)),
    );
    this.hDeadline = k.on((ref) => this.onDeadline(ref));
    this.hRetry = k.on((ref) => {
      const c = this.frames.deref(ref);
      if (c >= 0) this.send(c, false);
    });
    this.hHedge = k.on((ref) => this.onHedge(ref));
    this.hContentTimeout = k.on((ref) => this.onContentTimeout(ref));
    this.hDropped = k.on((a) => this.finish(a, DEADLINE));
    this.hTick = k.on(() => this.tick());
    this.hWarm = k.on(() => this.meter.markWarm(this.kernel.now));
  }

  /** Brings the initial replicas up and schedules arrivals, faults, ticks and evaluations. */
  begin(): void {
    const k = this.kernel;
    const now = k.now;
    this.scaling.begin();
    this.meter.start(now);
    this.faultInjector.begin();
    k.schedule(this.timeline.interval, this.hTick);
    if (this.warmup > 0) k.at(this.warmup, this.hWarm);
    else this.meter.markWarm(now);
    this.workload.begin();
  }

  // ---- users and journeys ----------------------------------------------------------------------

  private startVisit(user: number, region: number): void {
    const f = this.frames;
    const j = this.workload.pickJourney();
    const v = f.alloc(VISIT);
    f.parent[v] = -1;
    f.start[v] = this.kernel.now;
    f.deadline[v] = Number.POSITIVE_INFINITY;
    f.region[v] = region;
    f.user[v] = user;
    f.route[v] = j;
    f.pc[v] = 0;
    this.started++;
    if (this.tracer !== undefined) this.tracer.visitStart(v, this.stats[j].name, this.kernel.now);
    if (this.journeySteps[j].length === 0) this.endVisit(v, 0);
    else this.startStep(v);
  }

  private startStep(v: number): void {
    const f = this.frames;
    const step = this.journeySteps[f.route[v]][f.pc[v]];
    if (step < 0) {
      if (this.tracer !== undefined) {
        const name = this.journeyStepNames[f.route[v]][f.pc[v]];
        this.tracer.stepStart(v, name, this.contentService(name), this.kernel.now);
      }
      (this.content as Content).request(-2 - step, f.ref(v), f.user[v], f.region[v]);
      return;
    }
    this.startCall(v, step, Number.NaN);
  }

  /**
   * A content request finished (the content models' completion hook): a journey's content step
   * (`ref` names the visit) or a route's content call (`ref` names its call). A failure (a store
   * `unavailable`, no CDN edge or origin, no P2P source) fails the step or call as `unavailable`.
   */
  contentDone(ref: number, ok: boolean): void {
    const f = this.frames;
    const id = f.deref(ref);
    if (id < 0) return; // a content call that timed out meanwhile
    const cause = ok ? 0 : UNAVAILABLE;
    if (f.kind[id] === VISIT) {
      if (this.tracer !== undefined) this.tracer.stepEnd(id, this.kernel.now, cause);
      this.visitStepDone(id, ok, cause);
      return;
    }
    if (f.tmo[id] >= 0) this.kernel.cancel(f.tmo[id]);
    f.tmo[id] = -1;
    this.callDone(id, ok, cause);
  }

  /** The server side of content step `step`, for spans. */
  private contentService(step: string): string {
    if (step === 'stream') return this.content?.p2p ? 'p2p' : 'cdn';
    return step;
  }

  private visitStepDone(v: number, ok: boolean, cause: number): void {
    if (!ok) {
      this.endVisit(v, cause);
      return;
    }
    const f = this.frames;
    const j = f.route[v];
    const next = ++f.pc[v];
    if (next < this.journeySteps[j].length) {
      const think = this.think[j];
      if (think) this.kernel.schedule(think(), this.hThink, f.ref(v));
      else this.startStep(v);
      return;
    }
    this.endVisit(v, 0);
  }

  private endVisit(v: number, cause: number): void {
    const f = this.frames;
    const j = f.route[v];
    const start = f.start[v];
    const now = this.kernel.now;
    if (cause === 0) {
      this.timeline.success(j, now - start);
      if (start >= this.warmup) {
        const s = this.stats[j];
        s.count++;
        s.latency.record(now - start);
      }
    } else {
      this.timeline.failure(j);
      if (start >= this.warmup) {
        const s = this.stats[j];
        s.count++;
        const name = CAUSES[cause];
        s.errors[name] = (s.errors[name] ?? 0) + 1;
      }
    }
    if (this.tracer !== undefined) this.tracer.visitEnd(v, now, cause);
    const user = f.user[v];
    f.release(v);
    this.workload.visitEnded(user, now);
  }

  // ---- calls ---------------------------------------------------------------------------------

  /** Starts a logical call from frame `p` (a visit or an attempt) to route `route`. */
  private startCall(p: number, route: number, timeoutOverride: number): void {
    const f = this.frames;
    if (this.produces !== undefined && this.produces[route] === 1) {
      (this.content as Content).routeCalled(this.routes.names[route], f.user[p]);
    }
    const c = f.alloc(CALL);
    f.parent[c] = p;
    f.parentGen[c] = f.gen[p];
    f.route[c] = route;
    f.region[c] = f.region[p];
    f.user[c] = f.user[p];
    f.deadline[c] = f.deadline[p];
    f.start[c] = this.kernel.now;
    f.slot[c] = 0;
    // The per-try timeout rides in `evt` of a call (a call has no kernel event of its own).
    f.evt[c] = Number.isNaN(timeoutOverride) ? this.timeout[this.routes.service[route]] : timeoutOverride;
    if (this.tracer !== undefined) {
      const name = this.routes.names[route];
      this.tracer.callStart(c, p, name, this.serviceNames[this.routes.service[route]], this.kernel.now);
    }
    this.send(c, false);
  }

  /**
   * Starts route call `i` of attempt `a`, which names a content target (`cdn`, `stores.<name>`):
   * a call frame (kind CALL, `slot` -1) waits for the content models' answer, bounded like a service
   * call by the call's `timeout` and the end-to-end deadline. Content has no retries, breakers or
   * hedges; a late answer after a timeout is dropped (the frame's generation moved on).
   */
  private startContentCall(a: number, i: number): void {
    const f = this.frames;
    const k = this.kernel;
    const now = k.now;
    const rt = this.routes;
    const c = f.alloc(CALL);
    f.parent[c] = a;
    f.parentGen[c] = f.gen[a];
    f.route[c] = -1;
    f.region[c] = f.region[a];
    f.user[c] = f.user[a];
    f.deadline[c] = f.deadline[a];
    f.start[c] = now;
    f.slot[c] = -1;
    if (this.tracer !== undefined) {
      const name = rt.callNames[i];
      this.tracer.callStart(c, a, name, this.contentService(name), now);
    }
    const left = f.deadline[c] - now;
    if (left <= 0) {
      this.callDone(c, false, DEADLINE);
      return;
    }
    const timeout = rt.callTimeout[i];
    const wait = Number.isNaN(timeout) ? left : Math.min(timeout, left);
    if (wait < Number.POSITIVE_INFINITY) f.tmo[c] = k.schedule(wait, this.hContentTimeout, f.ref(c));
    (this.content as Content).request(-2 - rt.callRoute[i], f.ref(c), f.user[c], f.region[c]);
  }

  /** A content call waited its timeout (or reached its deadline): it fails; the answer is dropped. */
  private onContentTimeout(ref: number): void {
    const f = this.frames;
    const c = f.deref(ref);
    if (c < 0) return;
    f.tmo[c] = -1;
    this.callDone(c, false, this.kernel.now >= f.deadline[c] ? DEADLINE : TIMEOUT);
  }

  /** Sends one try of call `c` (a retry, the first try, or a hedged copy). */
  private send(c: number, hedge: boolean): void {
    const f = this.frames;
    const k = this.kernel;
    const now = k.now;
    const route = f.route[c];
    const s = this.routes.service[route];
    const br = this.breaker[s];
    if (br && !br.allow(now)) {
      this.counters[s * 6 + 5]++;
      if (!hedge) this.tryFailed(c, BREAKER);
      return;
    }
    if (!hedge) f.slot[c]++;
    if (f.deadline[c] <= now) {
      if (!hedge) this.tryFailed(c, DEADLINE);
      return;
    }
    const from = f.region[c];
    const r = this.placement.choose(s, from, f.user[c]);
    if (r < 0) {
      if (br) br.record(false, now);
      if (!hedge) this.tryFailed(c, UNAVAILABLE);
      return;
    }
    const a = f.alloc(ATTEMPT);
    if (this.tracer !== undefined)
      this.tracer.attemptStart(a, c, this.serviceNames[s], f.slot[c], hedge, now);
    f.parent[a] = c;
    f.parentGen[a] = f.gen[c];
    f.route[a] = route;
    f.slot[a] = r;
    f.region[a] = this.pool.region[r];
    f.user[a] = f.user[c];
    f.deadline[a] = f.deadline[c];
    f.start[a] = now;
    f.pending[c]++;
    const timeout = f.evt[c]; // NaN when the callee sets none
    const left = f.deadline[c] - now;
    if (timeout < left) {
      f.tmo[a] = IN_QUEUE;
      this.timeouts.add(timeout, f.ref(a));
    } else if (left < Number.POSITIVE_INFINITY) f.tmo[a] = k.schedule(left, this.hTimeout, f.ref(a));
    if (!hedge && f.slot[c] === 1) {
      this.retry[s]?.deposit();
      const after = this.hedgeAfter[s];
      if (!Number.isNaN(after)) k.schedule(after, this.hHedge, f.ref(c));
    }
    const d = this.network.zero ? 0 : this.network.delay(from, f.region[a]);
    if (d > 0) {
      f.state[a] = NET_IN;
      f.evt[a] = k.schedule(d, this.hNetIn, a);
    } else this.arrive(a);
  }

  /** A try of call `c` failed without an attempt in flight for it (or its attempt answered a failure). */
  private tryFailed(c: number, cause: number): void {
    const f = this.frames;
    if (f.pending[c] > 0) return; // a hedged copy is still out: wait for it
    const s = this.routes.service[f.route[c]];
    const pol = this.retry[s];
    const now = this.kernel.now;
    if (pol && cause !== BREAKER && cause !== DEADLINE && now < f.deadline[c] && pol.allow(f.slot[c])) {
      this.counters[s * 6 + 2]++;
      this.kernel.schedule(pol.delay(f.slot[c]), this.hRetry, f.ref(c));
      return;
    }
    this.callDone(c, false, cause);
  }

  /** An attempt of call `c` answered. */
  private attemptAnswered(c: number, ok: boolean, cause: number): void {
    const f = this.frames;
    f.pending[c]--;
    const s = this.routes.service[f.route[c]];
    this.breaker[s]?.record(ok, this.kernel.now);
    if (ok) this.callDone(c, true, 0);
    else this.tryFailed(c, cause);
  }

  /** Call `c` is over: tell its caller and free it (outstanding copies become orphans). */
  private callDone(c: number, ok: boolean, cause: number): void {
    const f = this.frames;
    const p = f.parent[c];
    const pg = f.parentGen[c];
    if (this.tracer !== undefined) {
      this.tracer.callEnd(
        c,
        this.kernel.now,
        cause,
        f.slot[c],
        f.route[c] >= 0 && f.state[c] === 1,
        f.slot[c] < 0,
      );
    }
    f.release(c);
    if (f.gen[p] !== pg || !f.isLive(p)) return;
    if (f.kind[p] === VISIT) this.visitStepDone(p, ok, cause);
    else this.childDone(p, ok, cause);
  }

  private onTimeout(ref: number): void {
    const f = this.frames;
    const a = f.deref(ref);
    if (a < 0) return;
    this.timedOut(a);
  }

  /** Attempt `a` took longer than its caller waits: the caller moves on without it. */
  private timedOut(a: number): void {
    const f = this.frames;
    f.tmo[a] = -1;
    const c = f.parent[a];
    if (c < 0 || f.parentGen[a] !== f.gen[c] || !f.isLive(c)) return;
    const s = this.routes.service[f.route[a]];
    this.counters[s * 6 + 3]++;
    f.parent[a] = -1; // the attempt runs on, unobserved (see the class comment)
    this.attemptAnswered(c, false, TIMEOUT);
  }

  private onHedge(ref: number): void {
    const f = this.frames;
    const c = f.deref(ref);
    if (c < 0 || f.state[c] !== 0 || f.pending[c] < 1) return;
    f.state[c] = 1;
    this.counters[this.routes.service[f.route[c]] * 6 + 4]++;
    this.send(c, true);
  }

  // ---- attempts at replicas ------------------------------------------------------------------

  /** Attempt `a` reaches its replica. */
  private arrive(a: number): void {
    const f = this.frames;
    const pool = this.pool;
    const r = f.slot[a];
    f.evt[a] = -1;
    if (this.tracer !== undefined) this.tracer.attemptArrived(a, this.kernel.now);
    if (pool.down[r] > 0 || (pool.state[r] !== UP && pool.state[r] !== DRAINING)) {
      this.finish(a, CRASH);
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
      this.counters[s * 6 + 1]++;
      this.counters[s * 6 + 5]++;
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
    this.counters[s * 6]++;
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
        if (target >= 0) this.startCall(a, target, rt.callTimeout[i]);
        else this.startContentCall(a, i);
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
  private childDone(a: number, ok: boolean, cause: number): void {
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
  private finish(a: number, cause: number): void {
    const f = this.frames;
    const k = this.kernel;
    if (f.dl[a] >= 0) {
      k.cancel(f.dl[a]);
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
    const d = this.network.zero ? 0 : this.network.delay(f.region[a], f.region[c]);
    if (d > 0) f.evt[a] = k.schedule(d, this.hNetOut, a);
    else this.deliver(a);
  }

  /** The answer of attempt `a` reaches its caller. */
  private deliver(a: number): void {
    const f = this.frames;
    const c = f.parent[a];
    const cause = f.cause[a];
    const live = c >= 0 && f.parentGen[a] === f.gen[c] && f.isLive(c);
    this.drop(a);
    if (live) this.attemptAnswered(c, cause === 0, cause);
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
        this.attemptAnswered(c, false, DEADLINE);
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
        this.counters[s * 6 + 5]++;
        f.state[id] = NET_IN;
        this.kernel.schedule(0, this.hDropped, id);
        continue;
      }
      this.serve(id, s);
      return;
    }
    this.meter.busyDelta(r, -1, now);
    if (pool.state[r] === DRAINING && pool.busy[r] === 0) this.scaling.turnOff(r);
  }

  // ---- statistics ----------------------------------------------------------------------------

  private tick(): void {
    const k = this.kernel;
    const now = k.now;
    this.meter.closeInterval(this.timeline, now);
    if (now + this.timeline.interval <= this.opts.duration + 1e-9)
      k.schedule(this.timeline.interval, this.hTick);
  }

  /** Counters of service `s` since warm-up. */
  counts(s: number): ServiceCounters {
    return this.meter.counts(s);
  }

  /** Utilization of service `s`'s routable workers since warm-up (0..1). */
  utilization(s: number, now: number): number {
    return this.meter.utilization(s, now);
  }

  /** Mean requests waiting at service `s` since warm-up, over all its replicas. */
  meanQueue(s: number, now: number): number {
    return this.meter.meanQueue(s, now);
  }

  /** Everything reported about service `s` at `now`. */
  serviceStats(s: number, now: number): TopologyServiceStats {
    const o = this.svcOpts[s];
    const out: TopologyServiceStats = {
      name: o.name,
      replicas: o.replicas * this.placement.groupsOf(s),
      workers: o.workers,
      utilization: this.utilization(s, now),
      queue: this.meanQueue(s, now),
      ...this.counts(s),
      replicasOverTime: this.replicasOverTime[s],
    };
    const br = this.breaker[s];
    if (br) out.breaker = br.transitions;
    if (o.cost !== undefined) out.cost = this.meter.paidHours(s, now) * o.cost;
    return out;
  }

  /** Replicas of service `s` serving now. */
  serving(s: number): number {
    return this.meter.routable[s];
  }

  /** Requests (visits, calls, attempts) in flight. */
  get inFlight(): number {
    return this.frames.live;
  }
}
