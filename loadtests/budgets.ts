/**
 * Budgets checked against a load RunResult. A load test measures journeys only, so budgets about
 * services, stores, streams, the CDN or P2P (which only the simulation observes) are left out
 * rather than failed; the rest go through the shared evaluator in `results/budgets.ts`.
 */
import { evaluateBudgets } from '../results/budgets.js';
import type { BudgetResult, RunResult } from '../results/run-result.js';
import type { LoadBudget } from './shape.js';

/** The budgets about `result`'s journeys, evaluated. */
export function evaluateLoadBudgets(result: RunResult, budgets: readonly LoadBudget[]): BudgetResult[] {
  const kind = (b: LoadBudget) => b.kind;
  // A journey budget stays even when the journey sent nothing: that is "no data", never a pass.
  const mine = budgets.filter(
    (b) =>
      kind(b) === 'journey' || kind(b) === 'step' || (kind(b) === undefined && b.subject in result.journeys),
  );
  return evaluateBudgets(
    result,
    mine.map((b) => ({
      expr: b.expr,
      subject: b.subject,
      metric: b.metric,
      op: b.op,
      limit: b.limit,
      kind: kind(b) === 'step' ? 'step' : 'journey',
      passWithoutData: b.passWithoutData,
    })),
  );
}
