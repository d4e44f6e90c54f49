/**
 * The topology engine's own option shapes: plain data, close to the scenario contract but free of
 * YAML concerns, so models can be unit-tested with hand-built configs and `sim/build.ts` is the one
 * place that maps a `Scenario` onto them. Times in seconds, rates per second, shares 0..1.
 */
import type { DistSpec } from '../../math/dist-spec.js';

/** How users turn up. `replay` carries the timestamps themselves (build.ts reads the CSV). */
export type ArrivalOptions =
  | { kind: 'poisson'; rate: number }
  | { kind: 'ramp'; from: number; to: number; over: number }
  | { kind: 'diurnal'; mean: number; amplitude: number; period: number }
  | { kind: 'spike'; base: number; peak: number; at: number; for: number }
  | { kind: 'closed'; users: number; think: DistSpec }
  | { kind: 'replay'; times: ArrayLike<number> };

/** A call inside a route: `svc`, `svc.route`, optional with probability `p`, or a parallel group. */
export type CallOptions = { call: string; p?: number; timeout?: number } | { parallel: CallOptions[] };

/** A balancing policy across the replicas of one service in one region. */
export type BalancePolicy = 'round-robin' | 'least-conn' | 'p2c' | 'random' | 'hash';

/** Retries applied by callers of a service. `attempts` counts every try, the first included. */
export interface RetryOptions {
  attempts: number;
  backoff: number;
  jitter: 'none' | 'full' | 'equal';
  /** Retries allowed as a share of first tries (token bucket); absent = unlimited. */
  budget?: number;
}

/** A circuit breaker callers keep in front of a service. */
export interface BreakerOptions {
  /** Failure share over `window` that opens the breaker. */
  failures: number;
  window: number;
  /** Seconds the breaker stays open before letting probes through. */
  open: number;
  minRequests: number;
  probes: number;
}

/** Target-tracking autoscaling of one service, per region. */
export interface AutoscaleOptions {
  min: number;
  max: number;
  target: number;
  every: number;
  provision: number;
  cooldown: number;
}

/** One service of the topology. */
export interface ServiceOptions {
  name: string;
  /** Regions it runs in; absent = every region. `replicas` run in each of them. */
  regions?: string[];
  replicas: number;
  workers: number;
  queue: number;
  time: DistSpec;
  balance?: BalancePolicy;
  /** Per-call timeout every caller applies to calls of this service. */
  timeout?: number;
  /** End-to-end deadline set on requests entering this service; inherited by their calls. */
  deadline?: number;
  routes?: Record<string, CallOptions[]>;
  retry?: RetryOptions;
  breaker?: BreakerOptions;
  hedge?: { after: number };
  /** Reject when the waiting room is full (default true); false = unbounded waiting room. */
  shed?: boolean;
  autoscale?: AutoscaleOptions;
  /** Money per replica-hour. */
  cost?: number;
}

/** A weighted, multi-step journey; each step is `service` or `service.route`. */
export interface JourneyOptions {
  name: string;
  weight: number;
  steps: string[];
  /** Think time between steps. */
  think?: DistSpec;
}

/** A fault on the timeline. */
export type FaultOptions =
  | { at: number; for: number; kind: 'crash'; target: string; count: number }
  | { at: number; for: number; kind: 'outage'; region: string }
  | { at: number; for: number; kind: 'slow'; target: string; add: number }
  | { at: number; for: number; kind: 'errors'; target: string; rate: number }
  | { at: number; for: number; kind: 'partition'; a: string; b: string };

/** Everything the topology engine needs for one replication. */
export interface TopologyOptions {
  duration: number;
  warmup: number;
  /** Regions and their share of users; empty = one region `default`. */
  regions?: { name: string; users: number }[];
  latency?: { intra: number; jitter: number; pairs: { a: string; b: string; oneWay: number }[] };
  users: {
    /** Users modelled one by one (columns); 0 = not modelled per user. */
    population?: number;
    premium?: number;
    arrivals: ArrivalOptions;
    journeys: JourneyOptions[];
  };
  services: ServiceOptions[];
  faults?: FaultOptions[];
  /** Timeline interval in seconds (default duration / 60). */
  interval?: number;
}
