/**
 * A replicated service and its resilience settings: `replicas` × `workers` concurrent requests,
 * each replica queueing up to `queue`, routes of downstream calls, retries, a circuit breaker,
 * hedging, load shedding and autoscaling.
 */
import type { z } from 'zod';
import { choice, count, dist, duration, flag, named, names, section, share } from './fields.js';
import { RouteSchema } from './route.js';

/** Concurrent requests (replicas × workers) beyond this are refused as absurd. */
export const MAX_CONCURRENCY = 1e7;

/** The balancing policies a service can use across its replicas. */
export const BALANCERS = ['round-robin', 'least-conn', 'p2c', 'random', 'hash'] as const;

/** Retries by the caller: `attempts` in total, exponential backoff from `backoff`, jittered. */
export const RetrySchema = section('retry', {
  attempts: count('attempts', { integer: true, min: 1, max: 100 }),
  backoff: duration('backoff').default(0.01),
  jitter: choice('jitter', ['none', 'full', 'equal']).default('full'),
  /** Retries allowed as a share of the caller's traffic (a retry budget). */
  budget: share('budget').optional(),
});

/** Circuit breaker: opens when the failure share over `window` reaches `failures`. */
export const BreakerSchema = section('breaker', {
  failures: share('failures'),
  window: duration('window', { positive: true }).default(10),
  open: duration('open', { positive: true }).default(5),
  minRequests: count('minRequests', { integer: true, min: 1 }).default(20),
  probes: count('probes', { integer: true, min: 1 }).default(1),
});

/** Hedged requests: a second copy after `after` seconds without an answer. */
export const HedgeSchema = section('hedge', {
  after: duration('after', { positive: true }),
});

/** Target-tracking autoscaling. */
export const AutoscaleSchema = section('autoscale', {
  min: count('min', { integer: true, min: 1 }).default(1),
  max: count('max', { integer: true, min: 1, max: MAX_CONCURRENCY }),
  target: share('target'),
  every: duration('every', { positive: true }).default(15),
  provision: duration('provision').default(30),
  cooldown: duration('cooldown').default(0),
});

/**
 * Service discovery: callers find the replicas through a registry that health-checks each one every
 * `interval` (one failed check deregisters it, one passed check registers it) and keep the
 * registry's answer for `ttl` before asking again. A replica that dies stays in the callers' copy
 * until both caught up (at most `interval + ttl`); calls sent to it meanwhile are refused
 * (`stale_endpoint`). A new or recovered replica takes calls only once it is in the copy.
 */
export const DiscoverySchema = section('discovery', {
  interval: duration('interval', { positive: true }).default(10),
  ttl: duration('ttl').default(30),
});

/** A replicated service. */
export const ServiceSchema = section('service', {
  /** Regions it runs in; default every region. */
  regions: names('regions', '[eu-west, us-east]').optional(),
  replicas: count('replicas', {
    integer: true,
    min: 1,
    max: MAX_CONCURRENCY,
    tooLarge: 'that many replicas would not fit in memory',
  }).default(1),
  workers: count('workers', {
    integer: true,
    min: 1,
    max: MAX_CONCURRENCY,
    tooLarge: 'that many workers would not fit in memory',
  }).default(1),
  /** Waiting room per replica; requests beyond it are rejected. */
  queue: count('queue', { integer: true, min: 0, max: 1e9 }).default(1000),
  time: dist('time', 'duration'),
  balance: choice('balancer', BALANCERS).default('round-robin'),
  /** Per-call timeout applied by callers of this service. */
  timeout: duration('timeout', { positive: true }).optional(),
  /** End-to-end deadline for requests entering here. */
  deadline: duration('deadline', { positive: true }).optional(),
  routes: named('route', RouteSchema).default({}),
  retry: RetrySchema.optional(),
  breaker: BreakerSchema.optional(),
  hedge: HedgeSchema.optional(),
  shed: flag('shed').optional(),
  autoscale: AutoscaleSchema.optional(),
  /** Replicas found through a registry (default: callers know every replica's state at once). */
  discovery: DiscoverySchema.optional(),
  /** Money per replica-hour. */
  cost: count('cost', { min: 0 }).optional(),
});

/** One service of a scenario. */
export type Service = z.output<typeof ServiceSchema>;
