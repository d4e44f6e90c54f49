/**
 * `backline check <scenario> [--baseline result.json] [--tolerance 10%] [--out DIR]`: the CI gate.
 * Simulates, evaluates the budgets, compares with a baseline when given, writes the reports and
 * exits 0 (pass), 1 (a budget failed or a significant regression beyond the tolerance), 2 (bad
 * input: scenario, options, baseline file) or 3 (the run failed: it threw, was stopped early, or
 * its reports could not be written). A budget whose interval straddles its limit ("unsure") does
 * not fail the gate; it is shown as skipped in junit.xml and flagged in the summary. Under GitHub
 * Actions the summary is also appended to `$GITHUB_STEP_SUMMARY`.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { type Comparison, compareResults, latencyIntervals } from '../../results/compare.js';
import { RunError, UsageError } from '../../results/errors.js';
import type { RunResult } from '../../results/run-result.js';
import { judge } from '../../results/verdict.js';
import { loadScenario } from '../../scenarios/load.js';
import { simulate } from '../../sim/run.js';
import { EXIT } from '../exit.js';
import { formatSummary } from '../format.js';
import { intOption, scenarioOptions } from '../options.js';
import { formatComparison, tolerance } from './compare.js';
import { type HistoryFlag, historyOptions, recordRun } from './history.js';
import { readResult } from './report.js';

/** Options of `check`. */
export interface CheckCommandOptions {
  json?: boolean;
  seed?: string;
  replications?: string;
  set: string[];
  baseline?: string;
  tolerance?: string;
  out?: string;
  history?: HistoryFlag;
}

/** Runs `check` and returns the exit code. */
export async function checkCommand(arg: string, opts: CheckCommandOptions): Promise<number> {
  // Every input is checked before the (possibly long) run, so bad input fails fast with exit 2.
  const seed = intOption('seed', opts.seed);
  const replications = intOption('replications', opts.replications, 1);
  const tol = tolerance(opts.tolerance);
  const baseline = opts.baseline ? readResult(opts.baseline, 'baseline') : undefined;
  const scenario = loadScenario(arg, opts.set);
  if (opts.out !== undefined && opts.out.trim() === '') throw new UsageError('--out expects a folder');

  const run = simulate(scenario, { seed, replications });
  const onSigint = () => run.stop();
  process.once('SIGINT', onSigint);
  let result: RunResult;
  try {
    result = await run.result;
  } catch (err) {
    if (err instanceof RunError || err instanceof UsageError) throw err;
    throw new RunError(`the simulation failed: ${(err as Error).message}`);
  } finally {
    process.off('SIGINT', onSigint);
  }

  let comparison: Comparison | undefined;
  if (baseline) {
    if (baseline.scenario.name !== result.scenario.name)
      process.stderr.write(
        `backline: the baseline is of scenario ${baseline.scenario.name}, this run of ${result.scenario.name}\n`,
      );
    comparison = compareResults(baseline, result, { tolerance: tol });
    const weak = Object.keys(result.journeys).filter(
      (name) =>
        baseline.journeys[name] &&
        (latencyIntervals(name, result.journeys[name], result).method === 'independent' ||
          latencyIntervals(name, baseline.journeys[name], baseline).method === 'independent'),
    );
    if (weak.length > 0)
      process.stderr.write(
        `backline: ${weak.join(', ')}: single-replication intervals assume independent latencies and are too narrow; ` +
          'use --replications 3 or more in CI so noise cannot fail the gate\n',
      );
  }
  const failedBudgets = result.budgets.filter((b) => b.pass === false);
  const regressions = comparison?.regressions ?? [];
  const { verdict, reasons } = judge(result, { partialFails: true, regressions: regressions.length });
  const code = EXIT[verdict];

  // The renderers (d3) load only when reports are written, keeping start-up fast.
  const { writeReportsKeeping } = await import('../write-reports.js');
  if (!opts.json) {
    // The verdict goes out before anything touches the disk, which may be full.
    const lines = [formatSummary(result)];
    if (comparison) lines.push(formatComparison(comparison));
    for (const b of failedBudgets)
      if (b.noData === undefined) lines.push(`FAIL budget ${b.expr}: value ${b.value} vs limit ${b.limit}`);
    for (const r of regressions) lines.push(`FAIL regression ${r.message}`);
    for (const r of reasons) lines.push(`FAIL ${r}; no verdict`);
    lines.push(code === EXIT.pass ? 'check passed' : 'check failed', '', '');
    process.stdout.write(lines.join('\n'));
  }
  // A --json verdict keeps stdout one JSON document; the result is reproducible from its seed.
  const { paths: reports, error } = writeReportsKeeping(result, {
    outDir: opts.out,
    scenario: scenario.name,
    comparison,
    resultOnStdout: Boolean(opts.json),
  });
  // On GitHub Actions the verdict also goes to the job summary page.
  const stepSummary = process.env.GITHUB_STEP_SUMMARY;
  if (stepSummary) {
    try {
      appendFileSync(stepSummary, `${readFileSync(join(dirname(reports[0]), 'summary.md'), 'utf8')}\n`);
    } catch (err) {
      process.stderr.write(`backline: could not append to $GITHUB_STEP_SUMMARY: ${(err as Error).message}\n`);
    }
  }
  await recordRun(opts.history, result, {
    command: 'check',
    exitCode: error ? EXIT.run : code,
    outDir: reports[0] && dirname(reports[0]),
  });

  if (opts.json) {
    const out = {
      exitCode: error ? EXIT.run : code,
      partial: result.partial ?? false,
      budgets: result.budgets,
      ...(reasons.length > 0 ? { failed: reasons } : {}),
    };
    process.stdout.write(
      `${JSON.stringify({ ...out, regressions, reports, ...(error ? { reportError: error.message } : {}) }, null, 2)}\n`,
    );
  } else if (reports.length > 0) process.stdout.write(`${reports.join('\n')}\n`);
  if (error) throw error;
  return code;
}

/** Registers `check`. */
export function register(program: Command): void {
  historyOptions(
    scenarioOptions(
      program
        .command('check')
        .description('CI gate: simulate, check budgets and a baseline, write reports, exit 0/1/2/3')
        .argument('<scenario>', 'scenario file or catalog name'),
    )
      .option('--baseline <file>', 'a previous result.json to detect regressions against')
      .option('--tolerance <share>', 'relative worsening of p99/mean/errors allowed (default 10%)')
      .option('--out <dir>', 'report folder (default out/<scenario>-<run id>)'),
  ).action(async (scenario: string, opts: CheckCommandOptions) => {
    process.exitCode = await checkCommand(scenario, opts);
  });
}
