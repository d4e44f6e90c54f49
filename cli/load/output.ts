/**
 * What `load` prints and writes once the run is over: the result (JSON or a summary), the latency
 * not corrected for coordinated omission, predicted beside measured, and the report files.
 */
import type { LoadOutcome } from '../../loadtests/autocannon/driver.js';
import type { RunResult } from '../../results/run-result.js';
import { comparisonTable } from '../comparison-table.js';
import { formatSummary, table } from '../format.js';
import { defaultOutDir, writeReportsKeeping } from '../write-reports.js';

/** The flags that change what is printed. */
export interface OutputFlags {
  json?: boolean;
  max?: boolean;
  predict?: boolean;
  out?: string;
  traces?: string;
}

/** Prints the result on stdout; `board` says the dashboard's last frame already shows the journeys. */
export function printLoadResult(
  result: RunResult,
  opts: OutputFlags,
  shown: { board: boolean; outcome: LoadOutcome | undefined; predicted: RunResult | undefined; secs: string },
): void {
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  // The dashboard's last frame already shows the journeys; say only what failed.
  if (!shown.board) process.stdout.write(formatSummary(result));
  else {
    const failed = result.budgets.filter((b) => b.pass === false);
    if (failed.length > 0) process.stdout.write(`budget failed: ${failed.map((b) => b.expr).join(', ')}\n`);
  }
  if (shown.outcome && !opts.max) {
    const rows = [['journey', 'uncorrected p50 ms', 'uncorrected p99 ms']];
    for (const [n, u] of Object.entries(shown.outcome.uncorrected))
      rows.push([n, u.p50.toFixed(1), u.p99.toFixed(1)]);
    process.stdout.write(
      `\nlatency from the actual send (not corrected for coordinated omission):\n${table(rows)}\n`,
    );
  }
  if (shown.predicted)
    process.stdout.write(
      `\npredicted (simulation) vs measured:\n${comparisonTable(shown.predicted, result)}\n`,
    );
  process.stdout.write(`${result.partial ? 'stopped early after' : 'finished in'} ${shown.secs}s\n`);
}

/**
 * Writes the reports with `--out` or `--predict` and lists them; a write failure is returned, not
 * thrown, so the caller finishes what it owes first.
 */
export function writeLoadReports(
  result: RunResult,
  opts: OutputFlags,
  ctx: { scenario: string; predicted: RunResult | undefined; wallSeconds: number },
): Error | undefined {
  const { paths, error } =
    opts.out || ctx.predicted
      ? writeReportsKeeping(result, {
          outDir: opts.out ?? defaultOutDir(ctx.scenario, result),
          scenario: ctx.scenario,
          predicted: ctx.predicted,
          resultOnStdout: Boolean(opts.json),
          wallSeconds: ctx.wallSeconds,
        })
      : { paths: [], error: undefined };
  if (opts.json) for (const p of paths) process.stderr.write(`wrote ${p}\n`);
  else if (paths.length) process.stdout.write(`reports:\n${paths.map((p) => `  ${p}\n`).join('')}`);
  return error;
}

/** Lines `load` prints under the dashboard's last frame, which is that much shorter to keep its header. */
export function linesAfterBoard(r: RunResult, opts: OutputFlags): number {
  const journeys = Object.keys(r.journeys).length;
  const failed = r.budgets.some((b) => b.pass === false) ? 1 : 0;
  const uncorrected = opts.max ? 0 : 3 + journeys;
  const predicted = opts.predict ? 4 + journeys : 0;
  const reports = opts.out || opts.predict ? 5 : 0;
  const traces = opts.traces === undefined ? 0 : 1;
  return failed + uncorrected + predicted + 1 + reports + traces;
}
