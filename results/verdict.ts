/**
 * The verdict of a run, the one rule every command (`sim`, `run`, `check`, `load`, `merge`) exits
 * by. In order:
 *
 * 1. `run` (exit 3): a budget had nothing to judge by (`noData`, e.g. no requests completed for a
 *    journey) and does not say `or no data`; or the run was stopped early where the caller treats
 *    that as a failure (`check`: a CI gate never passes on part of a run).
 * 2. `budget` (exit 1): a budget failed (its whole interval on the wrong side), or a regression.
 * 3. `pass` (exit 0): otherwise; an "unsure" budget (interval straddling the limit) passes.
 */
import type { RunResult } from './run-result.js';

/** What a run earned; the keys of `EXIT` in `cli/exit.ts`. */
export type Verdict = 'pass' | 'budget' | 'run';

/** What else the verdict depends on besides the result's budgets. */
export interface VerdictOptions {
  /** A run stopped before its end fails (`check`); elsewhere it is judged on what was measured. */
  partialFails?: boolean;
  /** Regressions found against a baseline (`check --baseline`). */
  regressions?: number;
}

/** The verdict and, for a failed run, why in words a user can act on. */
export interface RunVerdict {
  verdict: Verdict;
  reasons: string[];
}

/** Judges `result` by the rule above. */
export function judge(result: Pick<RunResult, 'budgets' | 'partial'>, opts: VerdictOptions = {}): RunVerdict {
  const budgets = result.budgets;
  const reasons = budgets
    .filter((b) => b.noData !== undefined && b.pass === false)
    .map((b) => b.noData as string);
  if (opts.partialFails && result.partial) reasons.push('the run was stopped before its end');
  if (reasons.length > 0) return { verdict: 'run', reasons: [...new Set(reasons)] };
  const failed = budgets.some((b) => b.pass === false) || (opts.regressions ?? 0) > 0;
  return { verdict: failed ? 'budget' : 'pass', reasons: [] };
}
