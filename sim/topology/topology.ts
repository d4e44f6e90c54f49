/**
 * The request engine of a microservice topology: users start journeys, journeys call service
 * routes, routes call other services, sequentially or in parallel, through balancers, retries,
 * breakers, hedges, regions and faults.
 *
 * ## How a request runs
 * A *visit* walks a journey's steps (`visits.ts`). A step is a *call* to a service route; each try
 * of a call is an *attempt* at one replica (`calls.ts`: where tries go, timeouts, retries, breakers,
 * hedges, regions). An attempt travels to its replica, waits for a worker, is served, then runs the
 * route's steps, holding its worker until they answered, and its answer travels back
 * (`attempts.ts`: workers, waiting rooms, deadline propagation). Calls to content (`cdn`, `stream`,
 * `stores.<name>`) go to the content models, which answer through {@link Topology.contentDone}.
 *
 * This file assembles one replication: the replicas and their placement (`placement.ts`), scaling
 * (`scaling.ts`), faults (`fault-injector.ts`), the measurements (`service-meter.ts`, the timeline)
 * and the three sides above, and reports per-service statistics.
 *
 * Everything per request lives in {@link Frames} columns; handlers are registered once with
 * `kernel.on`, and events carry row ids (with generations where a row may be recycled first).
 */

import { LatencyHistogram } from '../../results/histogram.js';
import type { FaultMark } from '../../results/run-result.js';
import type { Content } from '../content/content.js';
import type { Kernel } from '../kernel/kernel.js';
import type { RandomStreams } from '../kernel/random.js';
import { niceInterval, TimelineRecorder } from '../queueing/timeline.js';
import type { StaleBurst } from '../resilience/discovery.js';
import { Attempts } from './attempts.js';
import { Calls } from './calls.js';
import type { EngineContext } from './engine-context.js';
import { FaultInjector } from './fault-injector.js';
import { faultMarks } from './faults.js';
import { Frames, VISIT } from './frames.js';
import { Network } from './network.js';
import { Placement } from './placement.js';
import type { Population } from './population.js';
import { RegistryClock } from './registry-clock.js';
import { Routes } from './routes.js';
import { Scaling } from './scaling.js';
import { type ServiceCounters, ServiceMeter } from './service-meter.js';
import { namedJourneys, namedRegions, namedServices, type TopologyScenario } from './topology-scenario.js';
import type { Tracer } from './tracer.js';
import { Visits } from './visits.js';

export { CAUSES } from './causes.js';
export type { ServiceCounters } from './service-meter.js';
export type { TopologyScenario } from './topology-scenario.js';

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
  staleBursts?: StaleBurst[];
}

/** {@link EngineContext}'s shared state, writable while the constructor builds it. */
type SharedState = {
  -readonly [K in Exclude<keyof EngineContext, 'calls' | 'attempts' | 'visits'>]: EngineContext[K];
};

/**
 * A running topology for one replication: the engine context its parts share. The shared state's
 * fields are stated once, in {@link EngineContext}; this declaration gives them to the class, whose
 * constructor sets each (the three sides are declared below with their own classes' types).
 */
export interface Topology extends SharedState {}

// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the merged interface only adds EngineContext's fields, each set in the constructor
export class Topology implements EngineContext {
  readonly calls: Calls;
  readonly attempts: Attempts;
  readonly visits: Visits;
  readonly faults: FaultMark[];
  readonly population: Population | undefined;
  /** Services' names, in the scenario's order. */
  readonly serviceNames: string[];
  /** Routable replicas of each service over time. */
  readonly replicasOverTime: [number, number][][];

  private readonly registryClock: RegistryClock;
  private readonly faultInjector: FaultInjector;
  private readonly hTick: number;
  private readonly hWarm: number;

  constructor(
    kernel: Kernel,
    streams: RandomStreams,
    scenario: TopologyScenario,
    content?: Content,
    tracer?: Tracer,
  ) {
    this.kernel = kernel;
    this.streams = streams;
    this.frames = new Frames(4096);
    this.scenario = scenario;
    this.content = content;
    this.tracer = tracer;
    const regionNames = namedRegions(scenario).map((r) => r.name);
    this.network = new Network(regionNames, scenario.latency, streams.stream('network'));

    // Services, groups and replicas.
    const services = namedServices(scenario);
    const S = services.length;
    this.services = services;
    this.serviceNames = services.map((s) => s.name);
    this.routes = new Routes(services, content ? (step) => content.target(step) : undefined);
    this.slow = new Float64Array(S);
    this.errRate = new Float64Array(S);
    this.placement = new Placement(services, regionNames, this.network, streams);
    this.pool = this.placement.pool;
    this.meter = new ServiceMeter(
      this.pool,
      S,
      this.placement.scalers.map((sc) => sc !== undefined),
      scenario.warmup,
    );
    this.replicasOverTime = this.meter.replicasOverTime;
    this.scaling = new Scaling(kernel, this.placement, this.meter, services, scenario.duration);
    this.registryClock = new RegistryClock(kernel, this.placement.registries, scenario.duration);

    // Journeys and their statistics.
    const journeys = namedJourneys(scenario);
    this.stats = journeys.map((j) => ({
      name: j.name,
      latency: new LatencyHistogram(),
      failed: new LatencyHistogram(),
      count: 0,
      errors: {},
    }));
    this.timeline = new TimelineRecorder(niceInterval(scenario.duration), journeys.length, S);

    // The request engine's three sides, each given this context (see engine-context.ts).
    this.calls = new Calls(this);
    this.attempts = new Attempts(this);
    this.visits = new Visits(this);
    this.population = this.visits.workload.population;

    this.faults = faultMarks(scenario.faults);
    this.faultInjector = new FaultInjector(this);

    this.hTick = kernel.on(() => this.tick());
    this.hWarm = kernel.on(() => this.meter.markWarm(this.kernel.now));
  }

  /** Visits started (all, warm-up included). */
  get started(): number {
    return this.visits.started;
  }

  /** Brings the initial replicas up and schedules arrivals, faults, ticks and evaluations. */
  begin(): void {
    const k = this.kernel;
    const now = k.now;
    this.scaling.begin();
    this.registryClock.begin();
    this.meter.start(now);
    this.faultInjector.begin();
    k.schedule(this.timeline.interval, this.hTick);
    const warmup = this.scenario.warmup;
    if (warmup > 0) k.at(warmup, this.hWarm);
    else this.meter.markWarm(now);
    this.visits.workload.begin();
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
    if (f.kind[id] === VISIT) this.visits.contentStepDone(id, ok);
    else this.calls.contentCallDone(id, ok);
  }

  // ---- statistics ----------------------------------------------------------------------------

  private tick(): void {
    const k = this.kernel;
    const now = k.now;
    this.meter.closeInterval(this.timeline, now);
    this.content?.closeInterval(this.timeline);
    if (now + this.timeline.interval <= this.scenario.duration + 1e-9)
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
    const o = this.services[s];
    const out: TopologyServiceStats = {
      name: o.name,
      replicas: o.replicas * this.placement.groupsOf(s),
      workers: o.workers,
      utilization: this.utilization(s, now),
      queue: this.meanQueue(s, now),
      ...this.counts(s),
      replicasOverTime: this.replicasOverTime[s],
    };
    const br = this.calls.breaker[s];
    if (br) out.breaker = br.transitions;
    if (o.cost !== undefined) out.cost = this.meter.paidHours(s, now) * o.cost;
    const reg = this.placement.registries[s];
    if (reg) out.staleBursts = reg.bursts.map((b) => ({ ...b }));
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
