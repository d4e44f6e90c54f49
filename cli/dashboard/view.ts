/**
 * What the dashboard shows, as plain data: the Ink components take exactly this through props, so
 * they can be rendered from a live run, a finished result or a test fixture alike.
 */

/**
 * A budget's state as coloured in the journey table and the budget rows: `warming` during the
 * warm-up, `nodata` when nothing was measured to judge by (never a pass), `pending` when the figure
 * is known only at the end (store, cost and flow-step budgets).
 */
export type BudgetState = 'pass' | 'fail' | 'unsure' | 'none' | 'warming' | 'nodata' | 'pending';

/** One budget as the budget rows show it: its verdict on the figures of the frame. */
export interface BudgetView {
  expr: string;
  /** The journey (or `journey[step]`), service, store, stream, `p2p`, `cdn` or `cost` it is about. */
  subject: string;
  state: BudgetState;
  /** The measured value in the limit's unit, formatted (`213ms`, `0.4%`, `3.95s`), or `-`. */
  value: string;
}

/** One row of the journey table, with its history for the sparklines. */
export interface JourneyView {
  name: string;
  /** Finished journeys per second over the recent window (the whole run in the final frame). */
  throughput: number;
  p50: number;
  p99: number;
  /** Failed share of finished journeys (0..1); NaN when none finished. */
  errorRate: number;
  count: number;
  budget: BudgetState;
  /** Budget expressions that are failing right now, for the legend. */
  breaches: string[];
  /** Failures by cause (`refused`, `timeout`, `status_503`…), when the run tells them apart (load). */
  causes?: Record<string, number>;
  /** Share of flow checks that passed (load flows), NaN when no check ran in the window. */
  checks?: number;
  history: { throughput: number[]; p99: number[]; errors: number[] };
}

/** One service row. */
export interface ServiceView {
  name: string;
  replicas: number;
  utilization: number;
  queue: number;
  /** Breaker state when the service has one. */
  breaker?: string;
  /** Requests served per second, when known instead of the queue (the twin under load). */
  rate?: number;
  /** Requests turned away so far (the twin's full waiting rooms). */
  rejected?: number;
}

/** CDN, P2P and stream figures, each present only when the scenario models it. */
export interface ContentView {
  cdnHitRatio?: number;
  p2p?: { server: number; peer: number; cache: number };
  /** Worst stream lag (p99) in seconds. */
  streamLag?: number;
}

/** A fault that has fired, as a marker. */
export interface FaultView {
  at: number;
  for: number;
  label: string;
  /** Whether it is in force now, when the clock that fired it is not the view's (the twin's). */
  active?: boolean;
}

/** What a load run shows instead of simulated time and events. */
export interface LoadRunView {
  /** How the load is made: `open model`, `closed model · 20 users` or `autocannon --max`, `· twin`. */
  tool: string;
  /** Wall seconds since the first intended request, and the planned length. */
  elapsed: number;
  duration: number;
  /** Responses per second achieved over the last second or so. */
  achieved: number;
  /** Requests per second the profile offers now (open model only). */
  offered?: number;
  sent: number;
  inFlight: number;
  /** Latency is measured from the intended start (open and closed models; not `--max`). */
  corrected: boolean;
  /** Requests measured in all, once the run has ended (the last snapshot may predate the last ones). */
  measured?: number;
  /** The generator row: its lag, late share, drops, loop delay (in-process open/closed model). */
  generator?: string;
}

/** Everything one dashboard frame shows. */
export interface DashboardView {
  scenario: string;
  seed: number;
  replication: number;
  replications: number;
  /** Simulated seconds reached in the current replication. */
  time: number;
  duration: number;
  events: number;
  eventsPerSec: number;
  status: 'running' | 'paused' | 'stopping' | 'done' | 'stopped';
  /**
   * Seconds the journey figures cover: the recent window while running (wall seconds for a load
   * run, simulated seconds for a simulation); absent in the final frame, whose figures are the run's.
   */
  window?: number;
  /** True during the warm-up, whose journeys the statistics leave out. */
  warming?: boolean;
  journeys: JourneyView[];
  /** Every budget of the scenario (journey and non-journey alike), in the order written. */
  budgets: BudgetView[];
  services: ServiceView[];
  content?: ContentView;
  faults: FaultView[];
  /** Present for a load run: the header then shows wall time and requests/s instead. */
  load?: LoadRunView;
}
