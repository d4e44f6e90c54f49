/**
 * The result of a parameter sweep (`backline sweep`): the grid that was varied and one RunResult per
 * point, in grid order (the first `vary` key changes slowest). Written as `sweep.json`.
 */
import type { RunResult } from './run-result.js';

/** One varied key and the values it took, as written to `--set`. */
export interface SweepVary {
  key: string;
  values: string[];
}

/** One grid point: the `--set` overrides that made it, its seed and its result. */
export interface SweepPoint {
  overrides: Record<string, string>;
  /** The master seed this point ran with (derived from the sweep's seed and the overrides). */
  seed: number;
  result: RunResult;
}

/** A whole sweep. */
export interface SweepResult {
  version: 1;
  kind: 'sweep';
  scenario: { name: string; hash: string };
  /** The sweep's base seed. */
  seed: number;
  /** True when every point ran with the base seed (common random numbers). */
  commonSeed: boolean;
  replications: number;
  vary: SweepVary[];
  points: SweepPoint[];
}
