/** What `capacity` finds: its probes, progress and result (what `capacity --json` prints). */
import type { Interval } from '../results/run-result.js';
import type { CapacityConfidence } from './capacity-confidence.js';
import type { CapacityEstimate } from './capacity-estimate.js';

/** One simulated probe of the search. */
export interface Probe {
  rate: number;
  /** The budget metric measured (ms, 0..1 or /s), per budget. */
  values: number[];
  /** Its 95 % interval over the probe's replications, per budget (null: none, e.g. error shares). */
  cis: (Interval | null)[];
  pass: boolean;
}

/** Where the search stands after a round. */
export interface CapacityProgress {
  round: number;
  done: number;
  /** Rounds still expected (to bracket, to narrow to the tolerance, and to confirm). */
  roundsLeft: number;
  etaSeconds: number;
  interval: [number, number];
}

/** What `capacity --json` prints. */
export interface CapacityResult {
  scenario: string;
  budgets: string[];
  key: string;
  replications: number;
  seed: number;
  /** Rates probed side by side per round. */
  perRound: number;
  /** Simulated seconds per probe (shorter than the scenario's with --quick). */
  duration: number;
  quick: boolean;
  analytic: CapacityEstimate[];
  /** Highest simulated rate meeting every budget (undefined when none did). */
  rate?: number;
  /** The answer lies between the highest passing and the lowest failing rate probed. */
  interval: [number, number];
  /** The answer judged again over independent seeds (absent when no rate passed). */
  confidence?: CapacityConfidence;
  probes: Probe[];
  /** Said when the search changed the scenario's kind of arrivals. */
  note?: string;
}
