/**
 * `backline sim <scenario>`: simulate and print a readable summary, or the RunResult with --json.
 */
import type { Command } from 'commander';
import { UsageError } from '../../results/errors.js';
import { capacityWarnings } from '../../scenarios/capacity.js';
import { loadScenario } from '../../scenarios/load.js';
import { simulate } from '../../sim/run.js';
import { EXIT, verdictExit } from '../exit.js';
import { formatSummary } from '../format.js';
import { type MetricsFlags, metricsOptions, startExporter } from '../metrics-flags.js';
import { intOption, scenarioOptions, traceSampleOption } from '../options.js';
import { attachProgress } from '../progress.js';
import { type HistoryFlag, historyOptions, recordRun } from './history.js';

/** Options of `sim`. */
export interface SimCommandOptions extends MetricsFlags {
  json?: boolean;
  seed?: string;
  replications?: string;
  set: string[];
  /** Write the reports into this folder after the run. */
  out?: string;
  history?: HistoryFlag;
  /** Write Zipkin v2 spans of sampled journeys to this file. */
  traces?: string;
  /** Share of journeys traced: `1%`, `0.01` (default 1 %). */
  traceSample?: string;
}

/** Runs `sim` and returns the exit code. */
export async function simCommand(arg: string, opts: SimCommandOptions): Promise<number> {
  const seed = intOption('seed', opts.seed);
  const replications = intOption('replications', opts.replications, 1);
  const traceSample = opts.traces !== undefined ? traceSampleOption(opts.traceSample) : undefined;
  if (opts.traceSample !== undefined && opts.traces === undefined) {
    throw new UsageError('--trace-sample needs --traces <file>');
  }
  const scenario = loadScenario(arg, opts.set);
  for (const w of capacityWarnings(scenario)) process.stderr.write(`warning: ${w}\n`);
  const exporter = await startExporter(opts, { kind: 'sim', scenario: scenario.name });
  const t0 = performance.now();
  const run = simulate(scenario, { seed, replications, traceSample });
  exporter?.follow(run);
  // Progress on stderr: rewritten in place on a terminal, a plain line every few seconds elsewhere.
  const progressDone = opts.json
    ? undefined
    : attachProgress(run, {
        name: scenario.name,
        stream: process.stderr,
        inPlace: Boolean(process.stderr.isTTY),
      });
  const onSigint = () => run.stop();
  process.once('SIGINT', onSigint);
  const result = await run.result;
  process.off('SIGINT', onSigint);
  progressDone?.(result);
  exporter?.finish(result);
  process.stdout.write(opts.json ? `${JSON.stringify(result, null, 2)}\n` : formatSummary(result));
  // The renderers (d3) load only when reports are asked for, keeping start-up fast.
  const { paths: reports, error } =
    opts.out !== undefined
      ? (await import('../write-reports.js')).writeReportsKeeping(result, {
          outDir: opts.out,
          scenario: scenario.name,
          resultOnStdout: Boolean(opts.json),
          wallSeconds: (performance.now() - t0) / 1000,
        })
      : { paths: [], error: undefined };
  if (reports.length > 0 && !opts.json) process.stdout.write(`\n${reports.join('\n')}\n`);
  if (opts.traces !== undefined && run.traces) {
    // Temp file + rename: a reader (Zipkin import, a test) never sees half a file.
    (await import('../write-reports.js')).writeAtomic(opts.traces, run.traces.toJSON());
    const note = `${run.traces.spans.length} spans of ${run.traces.seen} journeys sampled → ${opts.traces}\n`;
    process.stderr.write(note);
  }
  const code = verdictExit(result);
  await recordRun(opts.history, result, {
    command: 'sim',
    exitCode: error ? EXIT.run : code,
    outDir: opts.out,
  });
  await exporter?.close();
  if (error) throw error;
  return code;
}

/** Registers `sim`. */
export function register(program: Command): void {
  historyOptions(
    scenarioOptions(
      metricsOptions(
        program
          .command('sim')
          .description('simulate a scenario (path or catalog name) and print a summary')
          .argument('<scenario>', 'scenario file or catalog name'),
      ),
    )
      .option('--out <dir>', 'also write the reports (result.json, report.html, junit.xml, summary.md) here')
      .option(
        '--traces <file>',
        'write Zipkin v2 JSON spans of sampled journeys (replication 0) to this file',
      )
      .option('--trace-sample <share>', 'share of journeys traced with --traces, e.g. 1% or 0.01', undefined),
  ).action(async (scenario: string, opts: SimCommandOptions) => {
    process.exitCode = await simCommand(scenario, opts);
  });
}
