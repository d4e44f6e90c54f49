/**
 * The engine context: everything the parts of the request engine share for one replication, in one
 * object each part is given when it is built (`Topology` is this context).
 *
 * Shared state (frames, routes, replicas, meter, fault effects…) is built first. The three sides of
 * a request, {@link CallSide} (`calls.ts`), {@link ReplicaSide} (`attempts.ts`) and
 * {@link VisitSide} (`visits.ts`), answer one another, so each reaches the others through this
 * context when an event fires, never in its constructor: none is linked after the fact and none is
 * seen half-built.
 */
import type { Content } from '../content/content.js';
import type { Kernel } from '../kernel/kernel.js';
import type { RandomStreams } from '../kernel/random.js';
import type { JourneyStats } from '../queueing/journeys.js';
import type { TimelineRecorder } from '../queueing/timeline.js';
import type { Frames } from './frames.js';
import type { Network } from './network.js';
import type { Placement } from './placement.js';
import type { ReplicaPool } from './replicas.js';
import type { Routes } from './routes.js';
import type { Scaling } from './scaling.js';
import type { ServiceMeter } from './service-meter.js';
import type { NamedService, TopologyScenario } from './topology-scenario.js';
import type { Tracer } from './tracer.js';

/** The caller's side (`calls.ts`): what replicas and visits ask of calls. */
export interface CallSide {
  /** Starts a logical call from frame `p` (a visit or an attempt) to route `route`. */
  startCall(p: number, route: number, timeoutOverride: number): void;
  /** Starts route call `i` of attempt `a`, which names a content target. */
  startContentCall(a: number, i: number): void;
  /** An attempt of call `c` answered. */
  attemptAnswered(c: number, ok: boolean, cause: number): void;
}

/** The replica's side (`attempts.ts`): what calls and faults ask of attempts. */
export interface ReplicaSide {
  /** Attempt `a`, just sent from region `from`, travels to its replica. */
  travel(a: number, from: number): void;
  /** A call made by attempt `a` answered. */
  childDone(a: number, ok: boolean, cause: number): void;
  /** Attempt `a` is over with `cause` (0 = success): free its worker and send the answer back. */
  finish(a: number, cause: number): void;
}

/** The journeys' side (`visits.ts`): what calls ask of visits. */
export interface VisitSide {
  /** The call (or content request) of visit `v`'s current step answered. */
  stepDone(v: number, ok: boolean, cause: number): void;
}

/** What the parts of the request engine share for one replication. */
export interface EngineContext {
  readonly kernel: Kernel;
  readonly streams: RandomStreams;
  readonly scenario: TopologyScenario;
  /** The scenario's services, numbered in its order. */
  readonly services: readonly NamedService[];
  /** Every request in flight (visits, calls, attempts) as columns. */
  readonly frames: Frames;
  readonly routes: Routes;
  readonly network: Network;
  readonly placement: Placement;
  readonly pool: ReplicaPool;
  readonly meter: ServiceMeter;
  readonly scaling: Scaling;
  /** Per service: service time a `slow` fault adds (seconds); set by the fault injector. */
  readonly slow: Float64Array;
  /** Per service: the error rate an `errors` fault sets; set by the fault injector. */
  readonly errRate: Float64Array;
  /** Per journey: latency and outcomes of visits started after warm-up. */
  readonly stats: JourneyStats[];
  readonly timeline: TimelineRecorder;
  readonly content: Content | undefined;
  /** Span hooks, when the run writes traces (every hook is one `undefined` test when it does not). */
  readonly tracer: Tracer | undefined;
  readonly calls: CallSide;
  readonly attempts: ReplicaSide;
  readonly visits: VisitSide;
}
