/**
 * How sure `capacity` is of its answer. The search's bracket [highest passing, lowest failing] is
 * only its resolution: each verdict came from one seed's runs, and another seed could move it. So
 * the answer is judged again over independent runs (the search's own and runs with other seeds, or
 * the probe's replications): each budget's 95 % interval (Student t) at the answer is met, missed,
 * or unsure when it straddles the limit. With three runs t is 4.30: an honest, wide interval.
 */
import { intervalVerdict } from '../results/budgets.js';
import { ci95 } from '../results/confidence.js';
import type { Interval } from '../results/run-result.js';
import type { Budget } from '../scenarios/budgets.js';
import { pointSeed } from './sweep-grid.js';

/** One budget judged at the answer. */
export interface BudgetConfidence {
  expr: string;
  limit: number;
  /** The budget's value in each independent run at the answer (NaN: nothing measured). */
  values: number[];
  mean: number;
  /** 95 % interval of the mean; absent with one run, or when a run measured nothing. */
  ci?: Interval;
  verdict: 'met' | 'unsure' | 'missed';
}

/** The answer judged over independent runs. */
export interface CapacityConfidence {
  rate: number;
  /** The seeds of the independent runs (the search's first). */
  seeds: number[];
  budgets: BudgetConfidence[];
}

/** The seed of the `i`-th extra run at the answer (i ≥ 1), derived from the search's seed. */
export function confirmationSeed(seed: number, i: number): number {
  return pointSeed(seed, { confirmation: String(i) });
}

/**
 * Judges each budget over `runs[r][b]` (run r, budget b). With an interval (two runs or more) the
 * verdict is the interval's; with one run the point value decides and the verdict is never 'met'
 * more surely than that: `unsure` unless it misses.
 */
export function judgeAnswer(
  rate: number,
  seeds: number[],
  budgets: readonly Budget[],
  runs: readonly (readonly number[])[],
): CapacityConfidence {
  return {
    rate,
    seeds,
    budgets: budgets.map((b, i) => {
      const values = runs.map((r) => r[i]);
      const mean = values.reduce((a, x) => a + x, 0) / values.length;
      const ci = values.every(Number.isFinite) ? ci95(values) : undefined;
      const v = ci
        ? intervalVerdict(ci, b.op, b.limit)
        : Number.isFinite(mean) && intervalVerdict([mean, mean], b.op, b.limit)
          ? null
          : false;
      const verdict = v === true ? 'met' : v === false ? 'missed' : 'unsure';
      return { expr: b.expr, limit: b.limit, values, mean, ...(ci ? { ci } : {}), verdict };
    }),
  };
}
