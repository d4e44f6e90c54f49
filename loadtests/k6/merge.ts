/**
 * Many runners' outputs → one RunResult: k6 NDJSON point files are replayed into one set of
 * histograms (exact percentiles over all runners), and backline RunResult JSON files are merged
 * through their encoded HDR histograms. Budgets are then checked on the whole, which is what
 * k6-operator's per-runner thresholds cannot do (k6-operator#115).
 */
import { LatencyHistogram, round } from '../../results/histogram.js';
import type { JourneyResult, RunResult } from '../../results/run-result.js';
import { evaluateLoadBudgets } from '../budgets.js';
import type { LoadBudget } from '../shape.js';
import { K6PointsImport, type LineIssue } from './import.js';

/** One input: its name (for messages) and text. */
export interface MergeInput {
  file: string;
  text: string;
}

/** The merged result and the lines that were skipped. */
export interface MergeOutcome {
  result: RunResult;
  issues: LineIssue[];
}

function isRunResult(text: string): RunResult | undefined {
  const t = text.trimStart();
  if (!t.startsWith('{')) return undefined;
  try {
    const o = JSON.parse(text) as RunResult;
    return o && o.version === 1 && typeof o.journeys === 'object' ? o : undefined;
  } catch {
    return undefined;
  }
}

/** Merges RunResults of concurrent runners: counts add, histograms merge, the window is the longest. */
export function mergeRunResults(results: RunResult[]): RunResult {
  const hist = new Map<string, { h: LatencyHistogram; count: number; errors: Record<string, number> }>();
  let seconds = 0;
  for (const r of results) {
    seconds = Math.max(seconds, r.window.end - r.window.start);
    for (const [name, j] of Object.entries(r.journeys)) {
      let acc = hist.get(name);
      if (!acc) {
        acc = { h: new LatencyHistogram(), count: 0, errors: {} };
        hist.set(name, acc);
      }
      if (j.hdr) acc.h.merge(LatencyHistogram.decode(j.hdr, j.sumSeconds));
      acc.count += j.count;
      for (const [c, n] of Object.entries(j.errors)) acc.errors[c] = (acc.errors[c] ?? 0) + n;
    }
  }
  const journeys: Record<string, JourneyResult> = {};
  for (const [name, a] of [...hist].sort(([x], [y]) => (x < y ? -1 : 1))) {
    const failed = Object.values(a.errors).reduce((s, n) => s + n, 0);
    journeys[name] = {
      count: a.count,
      errors: a.errors,
      errorRate: round(a.count ? failed / a.count : 0),
      throughput: round(seconds > 0 ? a.count / seconds : 0),
      latency: a.h.summary(),
      hdr: a.h.encode(),
      sumSeconds: round(a.h.sum, 9),
    };
  }
  const first = results[0];
  return {
    version: 1,
    kind: 'load',
    scenario: first?.scenario ?? { name: 'merged', hash: '' },
    tool: first?.tool ?? 'k6',
    window: { start: 0, end: round(seconds, 3) },
    journeys,
    budgets: [],
  };
}

/** Merges NDJSON point files and RunResult JSON files; evaluates `budgets` on the whole. */
export function mergeOutputs(
  inputs: MergeInput[],
  meta: { scenario: string; hash: string; budgets?: readonly LoadBudget[] },
): MergeOutcome {
  const points = new K6PointsImport();
  const results: RunResult[] = [];
  for (const i of inputs) {
    const rr = isRunResult(i.text);
    if (rr) results.push(rr);
    else points.addNdjson(i.text, i.file);
  }
  if (points.points > 0) results.push(points.result({ scenario: meta.scenario, hash: meta.hash }));
  const result = mergeRunResults(results);
  result.scenario = { name: meta.scenario, hash: meta.hash };
  result.budgets = evaluateLoadBudgets(result, meta.budgets ?? []);
  return { result, issues: points.issues };
}
