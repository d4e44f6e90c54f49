/**
 * What `load` prints and writes once the run is over: the result (JSON or a summary), the latency
 * not corrected for coordinated omission, predicted beside measured, and the report files.
 */
import type { LoadOutcome } from '../../loadtests/autocannon/driver.js';
import type { RunResult } from '../../results/run-result.js';
import { comparisonTable } from '../comparison-table.js';
import { heldOutput } from '../dashboard/held-output.js';
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

/** What {@link printLoadResult} and the dashboard's end show beside the result. */
export interface Shown {
  outcome: LoadOutcome | undefined;
  predicted: RunResult | undefined;
  secs: string;
}

/** Prints the result on stdout when no dashboard was shown (pipes, CI, `--no-dashboard`, `--json`). */
export function printLoadResult(result: RunResult, opts: OutputFlags, shown: Shown): void {
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  process.stdout.write(
    formatSummary(result) + loadDetail(opts, shown, result) + finishedLine(result, shown.secs),
  );
}

/** The tables beside the summary: latency not corrected for coordinated omission, predicted vs measured. */
export function loadDetail(opts: OutputFlags, shown: Shown, result: RunResult): string {
  let text = '';
  if (shown.outcome && !opts.max) {
    const rows = [['journey', 'uncorrected p50 ms', 'uncorrected p99 ms']];
    for (const [n, u] of Object.entries(shown.outcome.uncorrected))
      rows.push([n, u.p50.toFixed(1), u.p99.toFixed(1)]);
    text += `\nlatency from the actual send (not corrected for coordinated omission):\n${table(rows)}\n`;
  }
  if (shown.predicted)
    text += `\npredicted (simulation) vs measured:\n${comparisonTable(shown.predicted, result)}\n`;
  return text;
}

/** `finished in 8.4s`, or `stopped early after …` for a partial result. */
export function finishedLine(result: RunResult, secs: string): string {
  return `${result.partial ? 'stopped early after' : 'finished in'} ${secs}s\n`;
}

/**
 * Writes the reports with `--out` or `--predict`; a write failure is returned, not thrown, so the
 * caller finishes what it owes first. The list of files is printed (stderr with `--json`) unless
 * `print` is false, and returned either way for the dashboard to print under its last frame.
 */
export function writeLoadReports(
  result: RunResult,
  opts: OutputFlags,
  ctx: { scenario: string; predicted: RunResult | undefined; wallSeconds: number },
  print = true,
): { error: Error | undefined; listing: string } {
  // Held while the dashboard keeps the terminal: the fallback RunResult when result.json failed.
  const held = heldOutput();
  const { paths, error } =
    opts.out || ctx.predicted
      ? writeReportsKeeping(
          result,
          {
            outDir: opts.out ?? defaultOutDir(ctx.scenario, result),
            scenario: ctx.scenario,
            predicted: ctx.predicted,
            resultOnStdout: Boolean(opts.json),
            wallSeconds: ctx.wallSeconds,
          },
          print ? process.stdout : held.stream,
        )
      : { paths: [], error: undefined };
  const listing = held.text + (paths.length ? `reports:\n${paths.map((p) => `  ${p}\n`).join('')}` : '');
  if (print && opts.json) for (const p of paths) process.stderr.write(`wrote ${p}\n`);
  else if (print) process.stdout.write(listing);
  return { error, listing };
}
