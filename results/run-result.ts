/**
 * RunResult: the one shape every simulation and load test resolves to, so every report, budget
 * and comparison works on both. Times in milliseconds unless a name says otherwise.
 */
import type { LatencySummary } from './histogram.js';

/** A 95 % confidence interval `[low, high]`. */
export type Interval = [number, number];

/** One journey's outcome. */
export interface JourneyResult {
  /** Finished journeys (successful and failed) in the measurement window. */
  count: number;
  /** Failed journeys by cause (`rejected`, `breaker_open`, `timeout`, `status_503`…). */
  errors: Record<string, number>;
  /** Failed share of `count` (0..1). */
  errorRate: number;
  /** Finished journeys per second of the window. */
  throughput: number;
  /**
   * Latency of successful journeys only (from the (intended) start to the last answer): the
   * percentiles, budgets and comparisons are of these. Failed journeys' latency is in `failed`.
   */
  latency: LatencySummary;
  /** Compressed base64 HDR histogram of successful latencies, microseconds. */
  hdr: string;
  /** Exact sum of successful latencies in seconds (restores the exact mean after a merge). */
  sumSeconds: number;
  /**
   * Latency of failed journeys, from the (intended) start to the failure, apart from `latency`;
   * present when the duration of at least one failure was measured.
   */
  failed?: FailedLatency;
  /** 95 % intervals over replications (present when there were at least two). */
  ci?: { mean: Interval; p50: Interval; p99: Interval; throughput: Interval };
  /** Load flows: each request step of the journey, in flow order. */
  steps?: StepResult[];
  /** Load flows: every check of the journey added up (k6's `checks` rate is pass / (pass + fail)). */
  checks?: CheckCount;
}

/** How long failed journeys took before they failed. */
export interface FailedLatency {
  /**
   * Failed journeys whose duration was measured: all of `errors` in simulations and open/closed
   * load runs; `load --max` cannot time connection errors, and a k6 summary has no failures' times.
   */
  count: number;
  latency: LatencySummary;
  /** Compressed base64 HDR histogram, microseconds. */
  hdr: string;
  /** Exact sum in seconds. */
  sumSeconds: number;
}

/** How often a check passed and failed. */
export interface CheckCount {
  pass: number;
  fail: number;
}

/** One request step of a load flow. */
export interface StepResult {
  /** `name:` as written, else `<method> <path before its first template>` (`get /v1/tracks`). */
  name: string;
  /** Responses plus failures that never got one. */
  count: number;
  /** Responses by status code. */
  statuses: Record<string, number>;
  /** Failures by cause: `check:<name>`, `capture:<name>`, `bad_request`, `timeout`… */
  errors: Record<string, number>;
  /** Latency of every response, from the step's start to its last byte. */
  latency: LatencySummary;
  hdr: string;
  /** Exact sum of the latencies in seconds (restores the exact mean after a merge). */
  sumSeconds?: number;
  /** Per check (by its key as written: `status`, `json.results`…). */
  checks?: Record<string, CheckCount>;
}

/** Responses per status code (and unanswered requests per cause) in each interval. */
export interface StatusTimeline {
  interval: number;
  t: number[];
  codes: Record<string, number[]>;
}

/** One service's outcome. */
export interface ServiceResult {
  replicas: number;
  workers: number;
  /** Busy share of all workers over the window (0..1). */
  utilization: number;
  /** Mean requests waiting, over all replicas. */
  queue: number;
  served: number;
  /** Requests turned away by a full waiting room (load shedding; cause `rejected`). */
  rejected: number;
  /** Retries sent by callers of this service. */
  retries?: number;
  /** Calls to this service that timed out at the caller. */
  timeouts?: number;
  /** Hedged second copies sent to this service. */
  hedges?: number;
  /** Calls failed fast by this service's open circuit breaker, never sent (cause `breaker_open`). */
  breakerOpen?: number;
  /** Requests dropped unserved at the head of the queue because their deadline had passed. */
  expired?: number;
  /** Breaker state changes in time order: `[seconds, 'open' | 'half-open' | 'closed']`. */
  breaker?: [number, 'open' | 'half-open' | 'closed'][];
  /** Replica count over time, `[seconds, replicas]` at each change (autoscaling, crashes). */
  replicasOverTime?: [number, number][];
  /** Cost over the window when the scenario prices a replica-hour. */
  cost?: number;
  /**
   * With `discovery`: runs of calls sent to replicas the callers' copy still listed after they had
   * gone (each refused, `stale_endpoint`), first and last call in seconds and how many.
   */
  staleBursts?: { from: number; to: number; errors: number }[];
  ci?: { utilization: Interval; queue: Interval };
}

/** One journey's series in a {@link Timeline}, one value per interval. */
export interface JourneyTimeline {
  /** Journeys finished per second (successful and failed). */
  throughput: number[];
  /** Successful journeys' p50 and p99 (ms); 0 when none succeeded. */
  p50: number[];
  p99: number[];
  /**
   * The failed **share** (0..1) of the journeys that finished in the interval, 0 when none did: the
   * same meaning in simulations and load runs. (Load results written before 2026-12-02 held the
   * failed count here; they have no `failed` series, which is how readers tell them apart.)
   */
  errors: number[];
  /** Load runs: failed journeys per interval (a count). Simulations leave it out. */
  failed?: number[];
}

/** Per-interval series, aligned on `t` (interval start, seconds). */
export interface Timeline {
  interval: number;
  t: number[];
  journeys: Record<string, JourneyTimeline>;
  services: Record<string, { utilization: number[]; queue: number[]; replicas: number[] }>;
  /** Simulations with a CDN: per edge (and `shield`) requests and hit ratio (0..1) per interval. */
  cdn?: Record<string, { requests: number[]; hitRatio: number[] }>;
  /** Simulations with streams: per stream the highest sampled consumer lag (messages) per interval. */
  streams?: Record<string, { lag: number[] }>;
}

/** A fault as it fired, for markers in the dashboard and charts. */
export interface FaultMark {
  at: number;
  for: number;
  label: string;
}

/** A CDN edge's outcome. */
export interface CdnEdgeResult {
  requests: number;
  hits: number;
  hitRatio: number;
  byteHitRatio: number;
  originFetches: number;
  coalesced: number;
}

/** Hybrid P2P streaming outcome: where the bytes came from and how playback went. */
export interface P2pResult {
  serverShare: number;
  peerShare: number;
  cacheShare: number;
  playbackStart: LatencySummary;
  stutterRate: number;
  plays: number;
  /** Share of plays that needed a network lookup (neither cached nor prefetched). */
  lookupShare?: number;
  /** Share of those lookups that found no usable peer (the server streamed the whole track). */
  noPeerShare?: number;
  /** 95 % intervals over replications (Student t on the replications' values), with two or more. */
  ci?: {
    serverShare: Interval;
    peerShare: Interval;
    cacheShare: Interval;
    playbackStartP50: Interval;
    stutterRate: Interval;
  };
}

/** A sharded store's outcome. */
export interface StoreResult {
  /** Nodes: the store's `shards`, times the number of its regions when it lists them. */
  shards: number;
  /** Requests per node over the window (region by region when the store lists regions). */
  load: number[];
  /** Coefficient of variation of per-shard load. */
  cv: number;
  unavailable: number;
  latency: LatencySummary;
  /** The store's regions, when it lists them: `load` holds one block of nodes per region, in this order. */
  regions?: string[];
}

/** An event stream's outcome. */
export interface StreamResult {
  produced: number;
  consumed: number;
  lagMessages: { mean: number; p99: number; max: number };
  lagSeconds: { mean: number; p99: number; max: number };
}

/** A budget checked against a result. `pass` is null when the interval straddles the limit. */
export interface BudgetResult {
  /** As written in the scenario, e.g. `play.p99 < 400ms`. */
  expr: string;
  /** Measured value in the limit's unit (ms for latencies, 0..1 for shares, /s for rates). */
  value: number;
  limit: number;
  /** The 95 % interval of `value` when there were replications. */
  ci?: Interval;
  pass: boolean | null;
  /** Why nothing was measured to judge by (`no requests completed for journey play`); the run fails. */
  noData?: string;
}

/** The result of a simulation or a load test. */
export interface RunResult {
  version: 1;
  kind: 'sim' | 'load';
  scenario: { name: string; hash: string };
  seed?: number;
  replications?: number;
  tool?: string;
  /** The measurement window in seconds (simulated time for sim, since start for load). */
  window: { start: number; end: number };
  /** True when the run was stopped early; statistics cover what was measured. */
  partial?: boolean;
  journeys: Record<string, JourneyResult>;
  services?: Record<string, ServiceResult>;
  budgets: BudgetResult[];
  /** Kernel events fired over all replications (sim). */
  events?: number;
  timeline?: Timeline;
  faults?: FaultMark[];
  /** Money spent over the window, summed over services that price a replica-hour (sim). */
  cost?: number;
  cdn?: Record<string, CdnEdgeResult>;
  p2p?: P2pResult;
  stores?: Record<string, StoreResult>;
  streams?: Record<string, StreamResult>;
  /** Load flows: the session's steps (run once per virtual user before its first journey). */
  session?: { steps: StepResult[]; checks?: CheckCount };
  /** Load flows: status codes over time. */
  statusTimeline?: StatusTimeline;
  /** Load tests: the target and what was offered. */
  target?: { url: string; offeredRate?: number; connections?: number };
  /**
   * Load tests against the twin: journeys that touch a part of the scenario the twin does not serve
   * (P2P, say), with why; their numbers are not comparable with the simulation's.
   */
  notComparable?: Record<string, string>;
  /** Load tests under `--profile`: the clinic tool and the path of its HTML report. */
  profile?: { tool: string; report: string };
  /** Load tests on the in-process driver: how well the generator itself kept the schedule. */
  generator?: GeneratorResult;
}

/** The load generator watching itself (open and closed model on the in-process driver). */
export interface GeneratorResult {
  workers: number;
  /** Requests the schedule intended up to the end of the run. */
  intended: number;
  /** Requests written to a connection. */
  sent: number;
  /** Intended but never sent: no connection free within their slot, or the generator too late. */
  dropped: number;
  /** Requests that waited more than 10 ms for a free connection (the target held them all). */
  waitedForConnection: number;
  /** Scheduler lag, intended start → handed to the transport, ms (requests after the warm-up). */
  lag: { p50: number; p99: number; max: number };
  /** Share of requests (after the warm-up) handed over more than 10 ms after their intended start. */
  lateShare: number;
  /** Event-loop delay of the generator's threads, ms (worst thread). */
  eventLoopDelay: { p50: number; p99: number; max: number };
  /** CPU seconds the generator process used, and as a share of one core over the run. */
  cpuSeconds: number;
  cpuShare: number;
  /** Set when the generator fell behind: why the numbers are distorted. */
  behind?: string;
}
