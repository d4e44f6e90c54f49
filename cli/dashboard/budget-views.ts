/**
 * Every budget of a scenario as the dashboard shows it. Live, the budgets are judged by the same
 * evaluator as the final verdict (`results/budgets.ts`) on the figures of the frame: the recent
 * window of each journey, the services, CDN, P2P and stream figures so far. The final frame shows
 * the result's own verdicts.
 */
import { evaluateBudgets } from '../../results/budgets.js';
import type { BudgetResult, RunResult } from '../../results/run-result.js';
import { METRICS, type MetricUnit } from '../../scenarios/budgets.js';
import type { Budget, Scenario } from '../../scenarios/schema.js';
import { int, ms, pct, si } from './glyphs.js';
import type { BudgetState, BudgetView } from './view.js';

/** The budgets a frame judges and the kinds whose figures a live snapshot carries. */
export type LiveFigures = Pick<RunResult, 'journeys' | 'services' | 'cdn' | 'p2p' | 'streams'>;

/** Kinds of budget judged live; the others (flow steps, stores, cost) are known only at the end. */
const LIVE: ReadonlySet<string> = new Set(['journey', 'service', 'stream', 'p2p', 'cdn']);
/** Service metrics a snapshot carries (rejected requests and cost are counted only at the end). */
const LIVE_SERVICE: ReadonlySet<string> = new Set(['utilization', 'queue']);

/** The budgets a load run judges: its journeys' and flow steps' (the rest only the simulation sees). */
export function loadBudgets(scenario: Pick<Scenario, 'budgets'>): Budget[] {
  return scenario.budgets.filter((b) => b.kind === 'journey' || b.kind === 'step');
}

/** `213ms`, `0.4%`, `3.95s`, `1.20k/s`: a value in its metric's unit. */
export function formatValue(b: Pick<Budget, 'kind' | 'metric'>, value: number): string {
  if (!Number.isFinite(value)) return '-';
  const unit: MetricUnit | undefined = METRICS[b.kind]?.[b.metric];
  switch (unit) {
    case 'ms':
      return ms(value);
    case 's':
      return `${si(value)}s`;
    case 'share':
      return pct(value);
    case 'rate':
      return `${si(value)}/s`;
    case 'count':
      return int(value);
    default:
      return si(value);
  }
}

function judged(b: Budget, r: BudgetResult, live: boolean): BudgetView {
  // Live, a figure not there yet (no latency to read) is no data; in a result it fails the run.
  const state: BudgetState =
    r.noData !== undefined || (live && !Number.isFinite(r.value))
      ? r.pass
        ? 'pass'
        : 'nodata'
      : r.pass === null
        ? 'unsure'
        : r.pass
          ? 'pass'
          : 'fail';
  return { expr: b.expr, subject: b.subject, state, value: formatValue(b, r.value) };
}

/** The budgets judged on live figures; during the warm-up every one is `warming`. */
export function liveBudgetViews(
  budgets: readonly Budget[],
  figures: LiveFigures,
  warming: boolean,
): BudgetView[] {
  const live = budgets.filter(
    (b) => LIVE.has(b.kind) && (b.kind !== 'service' || LIVE_SERVICE.has(b.metric)),
  );
  const frame: RunResult = {
    version: 1,
    kind: 'sim',
    scenario: { name: '', hash: '' },
    window: { start: 0, end: 0 },
    budgets: [],
    ...figures,
  };
  const verdicts = warming ? [] : evaluateBudgets(frame, live);
  return budgets.map((b) => {
    const k = live.indexOf(b);
    if (warming) return { expr: b.expr, subject: b.subject, state: 'warming', value: '-' };
    if (k < 0) return { expr: b.expr, subject: b.subject, state: 'pending', value: '…' };
    return judged(b, verdicts[k], true);
  });
}

/** The result's verdicts, matched to the scenario's budgets (a failing one's expr carries why). */
export function finalBudgetViews(budgets: readonly Budget[], r: RunResult): BudgetView[] {
  return budgets.flatMap((b) => {
    const got = r.budgets.find((x) => x.expr === b.expr || x.expr.startsWith(`${b.expr} (`));
    return got ? [judged(b, got, false)] : [];
  });
}

/** The verdict of one journey's budgets (flow steps included), for its row in the journey table. */
export function journeyVerdict(
  budgets: readonly BudgetView[],
  journey: string,
): { budget: BudgetState; breaches: string[] } {
  const mine = budgets.filter((b) => b.subject === journey || b.subject.startsWith(`${journey}[`));
  const has = (s: BudgetState) => mine.some((b) => b.state === s);
  const breaches = mine.filter((b) => b.state === 'fail').map((b) => b.expr);
  // Nothing measured is never a pass: no data outranks the budgets that did pass.
  const order: BudgetState[] = ['fail', 'warming', 'nodata', 'unsure', 'pass', 'pending'];
  return { budget: order.find(has) ?? 'none', breaches };
}
