/**
 * Many runners' outputs → one RunResult. What a file is comes from its content, never its name:
 * k6 `--out json` NDJSON (points replayed into one set of histograms: exact percentiles over all
 * runners), backline RunResult JSON (merged through their encoded HDR histograms), or a k6
 * summary (`--summary-export` or `handleSummary`), which holds k6's percentiles but no histogram
 * and so is used only alone. Budgets are then checked on the whole, which k6-operator's
 * per-runner thresholds cannot do (k6-operator#115). Pointless input is a {@link UsageError}.
 */

import { UsageError } from '../../results/errors.js';
import { failedCount } from '../../results/failed-count.js';
import { failedField, mergeFailed } from '../../results/failed-latency.js';
import { LatencyHistogram, round } from '../../results/histogram.js';
import type { JourneyResult, RunResult } from '../../results/run-result.js';
import { evaluateLoadBudgets } from '../budgets.js';
import type { LoadBudget } from '../shape.js';
import { K6PointsImport, type LineIssue, setOwn } from './import.js';
import { FlowMerge } from './merge-flows.js';
import { checkRunResult } from './run-result-check.js';
import { type K6Summary, parseK6Summary, resultFromSummary, summaryFlavour } from './summary.js';

export { checkRunResult } from './run-result-check.js';

/** One input: its name (for messages) and text. */
export interface MergeInput {
  file: string;
  text: string;
}

/** An input recognised by its content. */
export type ClassifiedInput =
  | { kind: 'points'; file: string; text: string }
  | { kind: 'summary'; file: string; summary: K6Summary }
  | { kind: 'result'; file: string; result: RunResult }
  | { kind: 'sweep'; file: string; value: Record<string, unknown> };

/** The merged result, the lines refused and what was set aside. */
export interface MergeOutcome {
  result: RunResult;
  issues: LineIssue[];
  notes: string[];
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** What `input` is, by content. Throws a UsageError naming the file when it is none of them. */
export function classifyInput(input: MergeInput): ClassifiedInput {
  const { file, text } = input;
  let whole: unknown;
  let parsed = false;
  try {
    whole = JSON.parse(text);
    parsed = true;
  } catch {
    // Not one JSON document: NDJSON (checked when its lines are read) or garbage.
  }
  if (!parsed) {
    const first = text.trimStart().split('\n', 1)[0].trim();
    if (first === '{' || first === '[')
      throw new UsageError(`${file}: looks like JSON but does not parse; not NDJSON either`);
    return { kind: 'points', file, text };
  }
  if (isObj(whole) && typeof whole.type === 'string') return { kind: 'points', file, text };
  if (isObj(whole) && whole.kind === 'sweep') return { kind: 'sweep', file, value: whole };
  if (isObj(whole) && whole.version === 1 && 'journeys' in whole)
    return { kind: 'result', file, result: checkRunResult(whole, file) };
  if (summaryFlavour(whole)) return { kind: 'summary', file, summary: parseK6Summary(text, file) };
  if (isObj(whole) && whole.version === '1.0.0' && isObj(whole.results))
    throw new UsageError(
      `${file}: k6's new machine-readable summary has no p(99) and no per-journey data; merge the --out json points or the --summary-export file`,
    );
  throw new UsageError(
    `${file}: not a k6 output (--out json NDJSON, --summary-export, handleSummary JSON) nor a backline RunResult`,
  );
}

/**
 * Merges RunResults of concurrent runners: counts add, histograms merge, the window is the longest;
 * flow steps, check counts, the session and status timelines merge too ({@link FlowMerge}).
 * `files` name the inputs in `notes` (what was set aside).
 */
export function mergeRunResults(results: RunResult[], files: string[] = [], notes: string[] = []): RunResult {
  const flows = new FlowMerge();
  results.forEach((r, i) => {
    flows.add(r, files[i] ?? `input ${i + 1}`);
  });
  notes.push(...flows.notes);
  const hist = new Map<
    string,
    {
      h: LatencyHistogram;
      failed: LatencyHistogram;
      count: number;
      max: number;
      errors: Record<string, number>;
    }
  >();
  let seconds = 0;
  for (const r of results) {
    seconds = Math.max(seconds, r.window.end - r.window.start);
    for (const [name, j] of Object.entries(r.journeys)) {
      let acc = hist.get(name);
      if (!acc) {
        acc = {
          h: new LatencyHistogram(),
          failed: new LatencyHistogram(),
          count: 0,
          max: 0,
          errors: Object.create(null),
        };
        hist.set(name, acc);
      }
      if (j.hdr) acc.h.merge(LatencyHistogram.decode(j.hdr, j.sumSeconds));
      mergeFailed(acc.failed, j.failed);
      acc.count += j.count;
      // Each input's max is exact; the histogram's is rounded to its bucket.
      if (j.hdr && j.latency.max > acc.max) acc.max = j.latency.max;
      for (const [c, n] of Object.entries(j.errors)) acc.errors[c] = (acc.errors[c] ?? 0) + n;
    }
  }
  const journeys: Record<string, JourneyResult> = {};
  for (const [name, a] of [...hist].sort(([x], [y]) => (x < y ? -1 : 1))) {
    const failed = failedCount(a);
    setOwn(journeys, name, {
      count: a.count,
      errors: { ...a.errors },
      errorRate: round(a.count ? failed / a.count : 0),
      throughput: round(seconds > 0 ? a.count / seconds : 0),
      latency: { ...a.h.summary(), ...(a.h.count > 0 ? { max: a.max } : {}) },
      hdr: a.h.encode(),
      sumSeconds: round(a.h.sum, 9),
      ...failedField(a.failed),
      ...flows.journey(name),
    });
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
    ...flows.extras(),
  };
}

/**
 * Merges k6 outputs and RunResults (already classified, see {@link classifyInput}); evaluates
 * `budgets` on the whole. Throws a UsageError for pointless input: an NDJSON file with no k6
 * record, several summaries, a RunResult without histograms among others, or no request at all.
 */
export function mergeOutputs(
  inputs: readonly (MergeInput | ClassifiedInput)[],
  meta: { scenario: string; hash: string; budgets?: readonly LoadBudget[] },
): MergeOutcome {
  const classified = inputs.map((i) => ('kind' in i ? i : classifyInput(i)));
  const points = new K6PointsImport();
  const results: RunResult[] = [];
  const files: string[] = [];
  const summaries: { file: string; summary: K6Summary }[] = [];
  const notes: string[] = [];
  for (const c of classified) {
    if (c.kind === 'sweep')
      throw new UsageError(`${c.file}: a sweep result; merge sweep shards on their own`);
    if (c.kind === 'summary') summaries.push(c);
    else if (c.kind === 'result') {
      results.push(c.result);
      files.push(c.file);
    } else if (points.addNdjson(c.text, c.file) === 0) {
      const line = c.text.trimStart().split('\n', 1)[0].slice(0, 60);
      throw new UsageError(`${c.file}: no k6 NDJSON record (first line: ${JSON.stringify(line)})`);
    }
  }
  const measured = points.points > 0 || results.length > 0;
  if (summaries.length > 0 && (measured || summaries.length > 1)) {
    if (!measured)
      throw new UsageError(
        `${summaries.map((s) => s.file).join(', ')}: ${summaries.length} k6 summaries cannot be merged into exact percentiles (a summary holds no histogram); merge the runners' --out json NDJSON instead`,
      );
    for (const s of summaries)
      notes.push(`${s.file}: k6 summary set aside; the percentiles come from the points and results`);
  }
  if (points.points > 0) {
    results.push(points.result({ scenario: meta.scenario, hash: meta.hash }));
    files.push('the k6 points');
  }
  for (const r of results)
    for (const [name, j] of Object.entries(r.journeys))
      if (results.length > 1 && j.count > 0 && !j.hdr)
        throw new UsageError(
          `journey ${JSON.stringify(name)} of a RunResult has no HDR histogram; its percentiles cannot be merged`,
        );
  if (!measured && summaries.length === 0)
    throw new UsageError(
      `no requests in ${classified.map((c) => c.file).join(', ')}: no http_req_duration point`,
    );
  // One input (all runners' points read into one import) keeps its steps, checks and session as they are.
  const result = measured
    ? results.length === 1
      ? { ...results[0] }
      : mergeRunResults(results, files, notes)
    : resultFromSummary(summaries[0].summary, { scenario: meta.scenario, hash: meta.hash });
  const total = Object.values(result.journeys).reduce((a, j) => a + j.count, 0);
  if (total === 0) {
    const refused = points.issues.length ? ` (${points.issues.length} line(s) refused)` : '';
    throw new UsageError(
      `no requests in ${classified.map((c) => c.file).join(', ')}: no http_req_duration point${refused}`,
    );
  }
  result.scenario = { name: meta.scenario, hash: meta.hash };
  result.budgets = evaluateLoadBudgets(result, meta.budgets ?? []);
  return { result, issues: points.issues, notes };
}
