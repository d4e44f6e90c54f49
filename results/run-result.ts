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
  /** Failed journeys by cause (`rejected`, `timeout`, `status_503`…). */
  errors: Record<string, number>;
  /** Failed share of `count` (0..1). */
  errorRate: number;
  /** Finished journeys per second of the window. */
  throughput: number;
  /** Latency of successful journeys. */
  latency: LatencySummary;
  /** Compressed base64 HDR histogram of successful latencies, microseconds. */
  hdr: string;
  /** Exact sum of successful latencies in seconds (restores the exact mean after a merge). */
  sumSeconds: number;
  /** 95 % intervals over replications (present when there were at least two). */
  ci?: { mean: Interval; p50: Interval; p99: Interval; throughput: Interval };
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
  rejected: number;
  ci?: { utilization: Interval; queue: Interval };
}

/** A budget checked against a result. `pass` is null when the interval straddles the limit. */
export interface BudgetResult {
  expr: string;
  value: number;
  limit: number;
  pass: boolean | null;
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
}
