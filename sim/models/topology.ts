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
import { ArrivalProcess } from './arrivals.js';
import { Autoscaler } from './autoscaler.js';
import { Balancer } from './balancer.js';
import { Breaker } from './breaker.js';
import { faultMarks } from './faults.js';
import { ATTEMPT, CALL, Frames, NET_IN, NET_OUT, QUEUED, SERVING, VISIT, WAITING, ZOMBIE } from './frames.js';
import { Integrals } from './integrals.js';
import type { JourneyStats } from './journeys.js';
import { Network } from './network.js';
import type { FaultOptions, ServiceOptions, TopologyOptions } from './options.js';
import { Population } from './population.js';
import { DRAINING, OFF, PROVISIONING, ReplicaPool, UP } from './replicas.js';
import { RetryPolicy } from './retry.js';
import { isContentTarget, Routes } from './routes.js';
import { niceInterval, TimelineRecorder } from './timeline.js';
import { TimeoutQueues } from './timeouts.js';

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

/** Counters of one service since warm-up. */
export interface ServiceCounters {
  served: number;
  rejected: number;
  retries: number;
  timeouts: number;
  hedges: number;
  shed: number;
}

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
  /** When each replica being provisioned will serve. */
  private readonly readyAt: Float64Array;
  /** Services' names, in option order. */
  readonly serviceNames: string[];
  /** Routable replicas of each service over time. */
  readonly replicasOverTime: [number, number][][];
  /** Visits started (all, warm-up included). */
  started = 0;

  private readonly opts: TopologyOptions;
  /** Content models (CDN, P2P, stores, streams) when the scenario has them. */
  private readonly content: Content | undefined;
  /** Per route: 1 when a call of it produces to a stream. */
  private readonly produces: Uint8Array | undefined;
  private readonly warmup: number;
  private readonly nRegions: number;
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
  private readonly counters: Float64Array; // 6 per service: served rejected retries timeouts hedges shed
  private readonly svcBusy: Integrals;
  private readonly svcQueue: Integrals;
  private readonly svcCap: Integrals;
  private readonly svcPaid: Integrals;
  private readonly routable: Int32Array;
  private readonly errRng: Rng[];
  // Per group (service × region).
  private readonly groupOf: Int32Array; // [service * nRegions + region] → group or -1
  private readonly failover: Int32Array[]; // [service * nRegions + region] → other groups by latency
  private readonly balancers: Balancer[];
  private readonly groupRegion: Int32Array;
  private readonly groupService: Int32Array;
  private readonly grpBusy: Integrals;
  private readonly grpCap: Integrals;
  private readonly scalers: (Autoscaler | undefined)[];
  private readonly grpMark: Float64Array; // busy area, cap area at the last evaluation
  // Journeys.
  private readonly cumWeight: Float64Array;
  private readonly journeySteps: Int32Array[];
  private readonly think: ((() => number) | undefined)[];
  private readonly journeyRng: Rng;
  private readonly callRng: Rng;
  private readonly regionShares: Float64Array;
  // Arrivals.
  private readonly arrivals: ArrivalProcess | undefined;
  private readonly closedThink: (() => number) | undefined;
  private readonly arrivalRng: Rng;
  // Fault bookkeeping: replicas each crash fault took down.
  private readonly crashed: number[][] = [];
  private readonly faultOpts: FaultOptions[];
  // Window marks taken at warm-up.
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

  // Handler ids.
  private readonly hArrive: number;
  private readonly hClosed: number;
  private readonly hThink: number;
  private readonly hNetIn: number;
  private readonly hServed: number;
  private readonly hNetOut: number;
  private readonly hTimeout: number;
  private readonly hDeadline: number;
  private readonly hRetry: number;
  private readonly hHedge: number;
  private readonly hDropped: number;
  private readonly hFaultStart: number;
  private readonly hFaultEnd: number;
  private readonly hScale: number;
  private readonly hProvisioned: number;
  private readonly hTick: number;
  private readonly hWarm: number;

  constructor(kernel: Kernel, streams: RandomStreams, opts: TopologyOptions, content?: Content) {
    this.kernel = kernel;
    this.content = content;
    this.opts = opts;
    this.warmup = opts.warmup;
    const regions = opts.regions && opts.regions.length > 0 ? opts.regions : [{ name: 'default', users: 1 }];
    const regionNames = regions.map((r) => r.name);
    const R = regionNames.length;
    this.nRegions = R;
    this.network = new Network(
      regionNames,
      opts.latency ?? { intra: 0, jitter: 0, pairs: [] },
      streams.stream('network'),
    );
    const totalShare = regions.reduce((a, r) => a + r.users, 0) || 1;
    this.regionShares = new Float64Array(R);
    let acc = 0;
    regions.forEach((r, i) => {
      acc += r.users / totalShare;
      this.regionShares[i] = acc;
    });

    // Services, groups and replicas.
    const services = opts.services;
    const S = services.length;
    this.svcOpts = services;
    this.serviceNames = services.map((s) => s.name);
    this.routes = new Routes(services);
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
    this.counters = new Float64Array(S * 6);
    this.svcBusy = new Integrals(S);
    this.svcQueue = new Integrals(S);
    this.svcCap = new Integrals(S);
    this.svcPaid = new Integrals(S);
    this.routable = new Int32Array(S);

    this.groupOf = new Int32Array(S * R).fill(-1);
    const defs: { service: number; region: number; group: number; workers: number; queue: number }[] = [];
    const groupSlots: number[][] = [];
    const groupRegion: number[] = [];
    const groupService: number[] = [];
    const scalers: (Autoscaler | undefined)[] = [];
    services.forEach((s, si) => {
      const where =
        s.regions && s.regions.length > 0
          ? s.regions.map((n) => regionNames.indexOf(n))
          : regionNames.map((_, i) => i);
      const slots = Math.max(s.replicas, s.autoscale?.max ?? 0);
      for (const ri of where) {
        if (ri < 0) throw new Error(`service ${s.name}: unknown region`);
        const g = groupSlots.length;
        this.groupOf[si * R + ri] = g;
        groupRegion.push(ri);
        groupService.push(si);
        scalers.push(s.autoscale ? new Autoscaler(s.autoscale) : undefined);
        const ids: number[] = [];
        for (let k = 0; k < slots; k++) {
          ids.push(defs.length);
          const queue = s.shed === false ? Number.POSITIVE_INFINITY : s.queue;
          defs.push({ service: si, region: ri, group: g, workers: s.workers, queue });
        }
        groupSlots.push(ids);
      }
    });
    this.pool = new ReplicaPool(defs);
    this.readyAt = new Float64Array(defs.length);
    this.groupRegion = Int32Array.from(groupRegion);
    this.groupService = Int32Array.from(groupService);
    this.scalers = scalers;
    this.grpBusy = new Integrals(groupSlots.length);
    this.grpCap = new Integrals(groupSlots.length);
    this.grpMark = new Float64Array(groupSlots.length * 2);
    this.balancers = groupSlots.map(
      (ids, g) =>
        new Balancer(
          services[groupService[g]].balance ?? 'round-robin',
          this.pool,
          ids,
          streams.stream(`balance:${services[groupService[g]].name}:${regionNames[groupRegion[g]]}`),
        ),
    );
    this.failover = [];
    for (let si = 0; si < S; si++) {
      for (let ri = 0; ri < R; ri++) {
        const others: number[] = [];
        for (let rj = 0; rj < R; rj++)
          if (rj !== ri && this.groupOf[si * R + rj] >= 0) others.push(this.groupOf[si * R + rj]);
        others.sort(
          (a, b) =>
            this.network.base[ri * R + groupRegion[a]] - this.network.base[ri * R + groupRegion[b]] || a - b,
        );
        this.failover.push(Int32Array.from(others));
      }
    }
    this.replicasOverTime = services.map(() => []);

    // Journeys.
    const journeys = opts.users.journeys;
    this.cumWeight = new Float64Array(journeys.length);
    let tw = 0;
    journeys.forEach((j, i) => {
      tw += j.weight;
      this.cumWeight[i] = tw;
    });
    for (let i = 0; i < journeys.length; i++) this.cumWeight[i] /= tw;
    // Content steps (`stream`, `stores.x`…) are kept as -2 - target when the content models run them.
    this.journeySteps = journeys.map((j) =>
      Int32Array.from(
        j.steps
          .filter((s) => !isContentTarget(s) || (content !== undefined && content.target(s) >= 0))
          .map((s) => (isContentTarget(s) ? -2 - (content as Content).target(s) : this.routes.resolve(s))),
      ),
    );
    this.produces = content
      ? Uint8Array.from(this.routes.names, (n) => (content.producersOf(n).length > 0 ? 1 : 0))
      : undefined;
    this.think = journeys.map((j) =>
      j.think ? sampler(j.think, streams.stream(`think:${j.name}`)) : undefined,
    );
    this.stats = journeys.map((j) => ({
      name: j.name,
      latency: new LatencyHistogram(),
      count: 0,
      errors: {},
    }));
    this.journeyRng = streams.stream('journeys');
    this.callRng = streams.stream('calls');
    this.arrivalRng = streams.stream('arrivals');
    const interval = opts.interval ?? niceInterval(opts.duration);
    this.timeline = new TimelineRecorder(interval, journeys.length, S);

    const a = opts.users.arrivals;
    const population = opts.users.population ?? 0;
    if (a.kind === 'closed') {
      this.population = new Population(
        a.users,
        shares(regions),
        opts.users.premium ?? 0,
        streams.stream('population'),
      );
      this.closedThink = sampler(a.think, streams.stream('users.think'));
    } else {
      this.arrivals = new ArrivalProcess(a, this.arrivalRng);
      if (population > 0) {
        this.population = new Population(
          population,
          shares(regions),
          opts.users.premium ?? 0,
          streams.stream('population'),
        );
      }
    }
    this.faultOpts = opts.faults ?? [];
    this.faults = faultMarks(this.faultOpts);

    const k = kernel;
    this.hArrive = k.on(() => this.onArrive());
    this.hClosed = k.on((u) => this.startVisit(u, this.population!.region[u]));
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
    this.hDropped = k.on((a) => this.finish(a, DEADLINE));
    this.hFaultStart = k.on((i) => this.applyFault(i, 1));
    this.hFaultEnd = k.on((i) => this.applyFault(i, -1));
    this.hScale = k.on((g) => this.evaluateScale(g));
    this.hProvisioned = k.on((r) => this.provisioned(r));
    this.hTick = k.on(() => this.tick());
    this.hWarm = k.on(() => this.markWarm());
  }

  /** Brings the initial replicas up and schedules arrivals, faults, ticks and evaluations. */
  begin(): void {
    const k = this.kernel;
    const pool = this.pool;
    const now = k.now;
    for (let g = 0; g < this.balancers.length; g++) {
      const s = this.groupService[g];
      const o = this.svcOpts[s];
      const initial = o.autoscale
        ? Math.min(o.autoscale.max, Math.max(o.autoscale.min, o.replicas))
        : o.replicas;
      const slots = this.balancers[g].slots;
      for (let i = 0; i < initial; i++) {
        pool.state[slots[i]] = UP;
        this.capDelta(slots[i], 1);
        this.svcPaid.add(s, 1, now);
      }
      const sc = this.scalers[g];
      if (sc) k.schedule(sc.opts.every, this.hScale, g);
    }
    for (let s = 0; s < this.svcOpts.length; s++) this.replicasOverTime[s].push([now, this.routable[s]]);
    this.faultOpts.forEach((f, i) => {
      k.at(f.at, this.hFaultStart, i);
      if (Number.isFinite(f.for)) k.at(f.at + f.for, this.hFaultEnd, i);
    });
    this.tickMark = {
      busy: new Float64Array(this.svcOpts.length),
      queue: new Float64Array(this.svcOpts.length),
      cap: new Float64Array(this.svcOpts.length),
      at: now,
    };
    k.schedule(this.timeline.interval, this.hTick);
    if (this.warmup > 0) k.at(this.warmup, this.hWarm);
    else this.markWarm();
    if (this.arrivals) {
      const t = this.arrivals.next(now);
      if (t <= this.opts.duration) k.at(t, this.hArrive);
    } else if (this.closedThink) {
      const pop = this.population!;
      for (let u = 0; u < pop.size; u++) k.schedule(this.closedThink(), this.hClosed, u);
    }
  }

  // ---- users and journeys ----------------------------------------------------------------------

  private onArrive(): void {
    const now = this.kernel.now;
    const t = this.arrivals!.next(now);
    if (t <= this.opts.duration) this.kernel.at(t, this.hArrive);
    const pop = this.population;
    if (pop) {
      const u = pop.pick(this.arrivalRng);
      this.startVisit(u, pop.region[u]);
    } else {
      let region = 0;
      if (this.nRegions > 1) {
        const x = this.arrivalRng();
        const cw = this.regionShares;
        while (region < cw.length - 1 && x >= cw[region]) region++;
      }
      this.startVisit(this.started, region);
    }
  }

  private startVisit(user: number, region: number): void {
    const f = this.frames;
    const u = this.journeyRng();
    const cw = this.cumWeight;
    let j = 0;
    while (j < cw.length - 1 && u >= cw[j]) j++;
    const v = f.alloc(VISIT);
    f.parent[v] = -1;
    f.start[v] = this.kernel.now;
    f.deadline[v] = Number.POSITIVE_INFINITY;
    f.region[v] = region;
    f.user[v] = user;
    f.route[v] = j;
    f.pc[v] = 0;
    this.started++;
    if (this.journeySteps[j].length === 0) this.endVisit(v, 0);
    else this.startStep(v);
  }

  private startStep(v: number): void {
    const f = this.frames;
    const step = this.journeySteps[f.route[v]][f.pc[v]];
    if (step < 0) {
      (this.content as Content).request(-2 - step, f.ref(v), f.user[v], f.region[v]);
      return;
    }
    this.startCall(v, step, Number.NaN);
  }

  /** A content step of the visit behind `ref` finished (the content models' completion hook). */
  contentDone(ref: number, ok: boolean): void {
    const v = this.frames.deref(ref);
    if (v >= 0) this.visitStepDone(v, ok, ok ? 0 : UNAVAILABLE);
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
    const user = f.user[v];
    f.release(v);
    if (this.closedThink && now < this.opts.duration) {
      this.kernel.schedule(this.closedThink(), this.hClosed, user);
    }
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
    this.send(c, false);
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
    const r = this.choose(s, from, f.user[c]);
    if (r < 0) {
      if (br) br.record(false, now);
      if (!hedge) this.tryFailed(c, UNAVAILABLE);
      return;
    }
    const a = f.alloc(ATTEMPT);
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

  /** A routable replica of service `s` for a caller in region `from`: local first, then nearest. */
  private choose(s: number, from: number, user: number): number {
    const idx = s * this.nRegions + from;
    const g = this.groupOf[idx];
    if (g >= 0) {
      const r = this.balancers[g].pick(user);
      if (r >= 0) return r;
    }
    const others = this.failover[idx];
    for (let i = 0; i < others.length; i++) {
      const g2 = others[i];
      if (!this.network.reachable(from, this.groupRegion[g2])) continue;
      const r = this.balancers[g2].pick(user);
      if (r >= 0) return r;
    }
    return -1;
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
      this.busyDelta(r, 1);
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
        this.startCall(a, rt.callRoute[i], rt.callTimeout[i]);
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
    this.busyDelta(r, -1);
    if (pool.state[r] === DRAINING && pool.busy[r] === 0) this.turnOff(r);
  }

  private busyDelta(r: number, d: number): void {
    const pool = this.pool;
    const now = this.kernel.now;
    pool.busy[r] += d;
    this.svcBusy.add(pool.service[r], d, now);
    const g = pool.group[r];
    if (this.scalers[g] !== undefined) this.grpBusy.add(g, d, now);
  }

  /** Routable workers of `r`'s service change by `sign` × workers. */
  private capDelta(r: number, sign: number): void {
    const pool = this.pool;
    const now = this.kernel.now;
    const w = sign * pool.workers[r];
    const s = pool.service[r];
    this.svcCap.add(s, w, now);
    this.grpCap.add(pool.group[r], w, now);
    this.routable[s] += sign;
  }

  private noteReplicas(s: number): void {
    const series = this.replicasOverTime[s];
    const now = this.kernel.now;
    const last = series[series.length - 1];
    if (last && last[0] === now) last[1] = this.routable[s];
    else if (!last || last[1] !== this.routable[s]) series.push([now, this.routable[s]]);
  }

  // ---- faults ------------------------------------------------------------------------------

  private applyFault(i: number, sign: number): void {
    const fo = this.faultOpts[i];
    switch (fo.kind) {
      case 'crash': {
        const s = this.serviceNames.indexOf(fo.target);
        if (s < 0) return; // stores/streams belong to the content models
        if (sign > 0) {
          const taken: number[] = [];
          const pool = this.pool;
          for (let r = 0; r < pool.size && taken.length < fo.count; r++) {
            if (pool.service[r] === s && pool.routable(r)) taken.push(r);
          }
          this.crashed[i] = taken;
          for (const r of taken) this.setDown(r, 1);
        } else for (const r of this.crashed[i] ?? []) this.setDown(r, -1);
        return;
      }
      case 'outage': {
        const ri = this.network.regions.indexOf(fo.region);
        if (ri < 0) return;
        for (let r = 0; r < this.pool.size; r++) if (this.pool.region[r] === ri) this.setDown(r, sign);
        return;
      }
      case 'slow': {
        const s = this.serviceNames.indexOf(fo.target);
        if (s >= 0) this.slow[s] = Math.max(0, this.slow[s] + sign * fo.add);
        return;
      }
      case 'errors': {
        const s = this.serviceNames.indexOf(fo.target);
        if (s >= 0) this.errRate[s] = Math.max(0, this.errRate[s] + sign * fo.rate);
        return;
      }
      case 'partition': {
        const a = this.network.regions.indexOf(fo.a);
        const b = this.network.regions.indexOf(fo.b);
        if (a >= 0 && b >= 0) this.network.partition(a, b, sign);
      }
    }
  }

  /** A fault takes replica `r` down (+1) or releases it (-1). Going down fails what it holds. */
  private setDown(r: number, delta: number): void {
    const pool = this.pool;
    const was = pool.down[r];
    pool.down[r] = was + delta;
    const s = pool.service[r];
    if (was === 0 && delta > 0) {
      if (pool.state[r] === UP) this.capDelta(r, -1);
      if (pool.state[r] === UP || pool.state[r] === DRAINING) this.failInFlight(r);
      this.noteReplicas(s);
    } else if (was > 0 && pool.down[r] === 0 && pool.state[r] === UP) {
      this.capDelta(r, 1);
      this.noteReplicas(s);
    }
  }

  /** Fails every request replica `r` holds or queues (its process died). */
  private failInFlight(r: number): void {
    const pool = this.pool;
    const f = this.frames;
    const s = pool.service[r];
    const now = this.kernel.now;
    const victims: number[] = [];
    while (pool.qlen[r] > 0) {
      const id = pool.shift(r);
      this.svcQueue.add(s, -1, now);
      if (f.state[id] === ZOMBIE) f.release(id);
      else victims.push(id);
    }
    for (let id = 0; id < f.highWater; id++) {
      if (f.kind[id] === ATTEMPT && f.slot[id] === r && f.holds[id] === 1) {
        f.holds[id] = 0;
        if (f.evt[id] >= 0) this.kernel.cancel(f.evt[id]);
        f.evt[id] = -1;
        victims.push(id);
      }
    }
    if (pool.busy[r] > 0) this.busyDelta(r, -pool.busy[r]);
    for (const id of victims) this.finish(id, CRASH);
    if (pool.state[r] === DRAINING) this.turnOff(r);
  }

  // ---- autoscaling ---------------------------------------------------------------------------

  private evaluateScale(g: number): void {
    const sc = this.scalers[g]!;
    const k = this.kernel;
    const now = k.now;
    if (now + sc.opts.every <= this.opts.duration) k.schedule(sc.opts.every, this.hScale, g);
    const busy = this.grpBusy.at(g, now);
    const cap = this.grpCap.at(g, now);
    const dBusy = busy - this.grpMark[2 * g];
    const dCap = cap - this.grpMark[2 * g + 1];
    this.grpMark[2 * g] = busy;
    this.grpMark[2 * g + 1] = cap;
    const util = dCap > 0 ? dBusy / dCap : 0;
    const pool = this.pool;
    const slots = this.balancers[g].slots;
    let serving = 0;
    let provisioning = 0;
    for (let i = 0; i < slots.length; i++) {
      const st = pool.state[slots[i]];
      if (st === UP) serving++;
      else if (st === PROVISIONING) provisioning++;
    }
    const current = serving + provisioning;
    const want = sc.decide(serving, util, current, now);
    const s = this.groupService[g];
    if (want > current) {
      let need = want - current;
      for (let i = 0; i < slots.length && need > 0; i++) {
        const r = slots[i];
        if (pool.state[r] === DRAINING) {
          // A draining replica is still warm: take it back at once.
          pool.state[r] = UP;
          if (pool.down[r] === 0) this.capDelta(r, 1);
          need--;
        } else if (pool.state[r] === OFF) {
          pool.state[r] = PROVISIONING;
          this.svcPaid.add(s, 1, now);
          this.readyAt[r] = now + sc.opts.provision;
          k.schedule(sc.opts.provision, this.hProvisioned, r);
          need--;
        }
      }
      this.noteReplicas(s);
    } else if (want < current) {
      let extra = current - want;
      for (let i = slots.length - 1; i >= 0 && extra > 0; i--) {
        const r = slots[i];
        if (pool.state[r] === PROVISIONING) {
          pool.state[r] = OFF;
          this.svcPaid.add(s, -1, now);
          extra--;
        }
      }
      for (let i = slots.length - 1; i >= 0 && extra > 0; i--) {
        const r = slots[i];
        if (pool.state[r] !== UP) continue;
        pool.state[r] = DRAINING;
        if (pool.down[r] === 0) this.capDelta(r, -1);
        if (pool.busy[r] === 0 && pool.qlen[r] === 0) this.turnOff(r);
        extra--;
      }
      this.noteReplicas(s);
    }
  }

  private provisioned(r: number): void {
    const pool = this.pool;
    // Cancelled by a scale-in meanwhile, or cancelled and requested again (a later timer is due).
    if (pool.state[r] !== PROVISIONING || this.kernel.now < this.readyAt[r]) return;
    pool.state[r] = UP;
    if (pool.down[r] === 0) this.capDelta(r, 1);
    this.noteReplicas(pool.service[r]);
  }

  private turnOff(r: number): void {
    this.pool.state[r] = OFF;
    this.svcPaid.add(this.pool.service[r], -1, this.kernel.now);
  }

  // ---- statistics ----------------------------------------------------------------------------

  private markWarm(): void {
    const now = this.kernel.now;
    const S = this.svcOpts.length;
    this.warm = {
      busy: Float64Array.from({ length: S }, (_, s) => this.svcBusy.at(s, now)),
      queue: Float64Array.from({ length: S }, (_, s) => this.svcQueue.at(s, now)),
      cap: Float64Array.from({ length: S }, (_, s) => this.svcCap.at(s, now)),
      paid: Float64Array.from({ length: S }, (_, s) => this.svcPaid.at(s, now)),
    };
    this.counters.fill(0);
  }

  private tick(): void {
    const k = this.kernel;
    const now = k.now;
    const m = this.tickMark;
    const span = now - m.at;
    this.timeline.close(m.at, span, (s) => {
      const busy = this.svcBusy.at(s, now);
      const queue = this.svcQueue.at(s, now);
      const cap = this.svcCap.at(s, now);
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
    if (now + this.timeline.interval <= this.opts.duration + 1e-9)
      k.schedule(this.timeline.interval, this.hTick);
  }

  /** Counters of service `s` since warm-up. */
  counts(s: number): ServiceCounters {
    const c = this.counters;
    return {
      served: c[s * 6],
      rejected: c[s * 6 + 1],
      retries: c[s * 6 + 2],
      timeouts: c[s * 6 + 3],
      hedges: c[s * 6 + 4],
      shed: c[s * 6 + 5],
    };
  }

  /** Utilization of service `s`'s routable workers since warm-up (0..1). */
  utilization(s: number, now: number): number {
    const cap = this.svcCap.at(s, now) - this.warm.cap[s];
    return cap > 0 ? (this.svcBusy.at(s, now) - this.warm.busy[s]) / cap : 0;
  }

  /** Mean requests waiting at service `s` since warm-up, over all its replicas. */
  meanQueue(s: number, now: number): number {
    const span = now - Math.min(this.warmup, now);
    return span > 0 ? (this.svcQueue.at(s, now) - this.warm.queue[s]) / span : this.svcQueue.level[s];
  }

  /** Everything reported about service `s` at `now`. */
  serviceStats(s: number, now: number): TopologyServiceStats {
    const o = this.svcOpts[s];
    const out: TopologyServiceStats = {
      name: o.name,
      replicas: o.replicas * this.balancers.filter((_, g) => this.groupService[g] === s).length,
      workers: o.workers,
      utilization: this.utilization(s, now),
      queue: this.meanQueue(s, now),
      ...this.counts(s),
      replicasOverTime: this.replicasOverTime[s],
    };
    const br = this.breaker[s];
    if (br) out.breaker = br.transitions;
    if (o.cost !== undefined) out.cost = ((this.svcPaid.at(s, now) - this.warm.paid[s]) / 3600) * o.cost;
    return out;
  }

  /** Replicas of service `s` serving now. */
  serving(s: number): number {
    return this.routable[s];
  }

  /** Requests (visits, calls, attempts) in flight. */
  get inFlight(): number {
    return this.frames.live;
  }
}

function shares(regions: { users: number }[]): number[] {
  return regions.map((r) => r.users);
}
